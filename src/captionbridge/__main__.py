"""The ``captionbridge`` script and ``python -m captionbridge``.

This module imports nothing at load time, so a Ctrl-C while the command line's modules are
still being imported ends the run like a Ctrl-C during a conversion: ``captionbridge:
interrupted`` on standard error and exit status 130, without a traceback.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = ["main"]


def main(argv: Sequence[str] | None = None) -> None:
    """Run the command line (see :func:`captionbridge.cli.app.main`)."""
    try:
        from .cli.app import main as run
    except KeyboardInterrupt:
        sys.stderr.write("captionbridge: interrupted\n")
        sys.exit(130)
    run(argv)


if __name__ == "__main__":
    main()
