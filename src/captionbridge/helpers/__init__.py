"""Small helpers that format plugins share: timecodes, turn markers, speaker rendering,
repairs of read times. They import only the contract (model, errors, specs)."""
