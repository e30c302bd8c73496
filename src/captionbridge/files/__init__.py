"""File access: reading local files and fsspec URLs, and atomic output."""
