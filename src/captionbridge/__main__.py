"""``python -m captionbridge``: the same command line as ``captionbridge``."""

from .cli.app import main

if __name__ == "__main__":
    main()
