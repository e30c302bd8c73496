"""The built-in transforms: speaker labelling, reflow and the timing fix."""
