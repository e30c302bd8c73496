"""Run the shared quality harness over every human reference: the tuning set and the held-out.

    python benchmarks/quality.py [--no-suber] [--presets netflix,bbc]

The tuning set is ``../shared/quality/refs`` (beside the clone); the held-out set is
``tests/data/human`` (origins and licences in its MANIFEST.txt). The harness is called as it
is, with ``--refs`` for each set, on this tree's ``captionbridge`` (through a small wrapper,
so the tree is measured rather than whatever is installed).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HARNESS = ROOT.parent / "shared" / "quality" / "evaluate.py"
SETS = {"tune": HARNESS.parent / "refs", "held-out": ROOT / "tests" / "data" / "human"}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-suber", action="store_true")
    parser.add_argument("--presets", default="netflix,bbc")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        wrapper = Path(tmp) / "captionbridge"
        wrapper.write_text(
            f'#!/bin/sh\nPYTHONPATH={ROOT / "src"} exec {sys.executable} -m captionbridge "$@"\n'
        )
        wrapper.chmod(0o755)
        for name, refs in SETS.items():
            print(f"== {name}: {refs}", flush=True)
            command = [sys.executable, str(HARNESS), str(wrapper), "--refs", str(refs)]
            command += ["--presets", args.presets, "--work", str(Path(tmp) / name)]
            if args.no_suber:
                command.append("--no-suber")
            done = subprocess.run(command, check=False, env=os.environ.copy())
            if done.returncode:
                return done.returncode
    return 0


if __name__ == "__main__":
    sys.exit(main())
