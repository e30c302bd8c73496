"""Reflow: house-style limits, break rules, atoms, line breaking, resegmentation, cue timing."""
