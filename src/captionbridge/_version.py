"""The package version, in a module of its own: the package face re-exports it, and the host
and the CLI read it from here without importing the face (which would import the API)."""

__version__ = "0.1.0"
