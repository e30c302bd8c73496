"""The one conversion path: decode, read, transform, render, write; and streaming."""
