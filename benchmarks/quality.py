"""Run the shared quality harness over every human reference, with the search and the rules.

    python benchmarks/quality.py [--no-suber] [--presets netflix,bbc] [--segmenters search,rules]

The references are ``../shared/quality/refs`` (beside the clone: the TED-Ed set the costs were
first tuned on) and ``tests/data/human`` (origins and licences in its MANIFEST.txt), measured
together in one run so that the harness prints every file and their mean. The harness is
called as it is, on this tree's ``captionbridge`` (through a small wrapper, so the tree is
measured rather than whatever is installed), once per segmenter; the whisper fragments and the
greedy packer are the harness's own baselines.
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
REF_DIRS = (HARNESS.parent / "refs", ROOT / "tests" / "data" / "human")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-suber", action="store_true")
    parser.add_argument("--presets", default="netflix,bbc")
    parser.add_argument("--segmenters", default="search,rules")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        refs = Path(tmp) / "refs"
        refs.mkdir()
        for folder in REF_DIRS:
            for ref in sorted(folder.glob("*.srt")):
                (refs / ref.name).symlink_to(ref)
        for segmenter in filter(None, args.segmenters.split(",")):
            wrapper = Path(tmp) / segmenter / "captionbridge"
            wrapper.parent.mkdir()
            wrapper.write_text(
                f"#!/bin/sh\nPYTHONPATH={ROOT / 'src'} exec {sys.executable} -m captionbridge"
                f' "$@" --segmenter {segmenter}\n'
            )
            wrapper.chmod(0o755)
            print(f"== --segmenter {segmenter}, references: {', '.join(map(str, REF_DIRS))}")
            command = [sys.executable, str(HARNESS), str(wrapper), "--refs", str(refs)]
            command += ["--presets", args.presets, "--work", str(Path(tmp) / f"work-{segmenter}")]
            if args.no_suber:
                command.append("--no-suber")
            sys.stdout.flush()
            done = subprocess.run(command, check=False, env=os.environ.copy())
            if done.returncode:
                return done.returncode
    return 0


if __name__ == "__main__":
    sys.exit(main())
