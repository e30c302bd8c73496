"""The TTML family: the TTML/DFXP/IMSC writers and reader, iTT, FCPXML, their XML text helpers."""
