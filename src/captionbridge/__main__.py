"""``python -m captionbridge``: the same command line as ``captionbridge``."""

from .cli import main

if __name__ == "__main__":
    main()
