"""The atheris harness in ``fuzz/`` runs each reader on a fixed number of inputs without a finding.

``CB_FUZZ_RUNS`` sets the inputs per reader (default 500: a fixed amount of work, not of time,
so a busy machine makes the test slower, never failing; on an idle one the eight built-in
readers take about two minutes of CPU). Longer runs are made by hand with ``fuzz/run_long.py``.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from test_fuzz_readers import READERS

ROOT = Path(__file__).resolve().parents[1]
RUNS = int(os.environ.get("CB_FUZZ_RUNS", "500"))


@pytest.mark.slow
@pytest.mark.parametrize("reader", READERS)
def test_atheris_finds_nothing(reader: str, tmp_path: Path) -> None:
    if not os.environ.get("CI"):
        pytest.importorskip("atheris")  # in CI a missing atheris fails below instead
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    cmd = [
        sys.executable,
        str(ROOT / "fuzz" / "fuzz_readers.py"),
        "--reader",
        reader,
        f"-runs={RUNS}",
        "-timeout=20",
        "-rss_limit_mb=2048",
        "-max_len=8192",
        f"-artifact_prefix={tmp_path}/",
        str(corpus),
        *(
            str(d)
            for d in (ROOT / "fuzz" / "seeds" / reader, ROOT / "tests" / "corpus" / reader)
            if d.is_dir()
        ),
    ]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=1800, check=False)
    log = proc.stdout + proc.stderr
    crashes = sorted(p.name for p in tmp_path.glob("crash-*"))
    assert proc.returncode == 0 and not crashes, (crashes, log[-3000:])
    runs = re.search(r"Done (\d+) runs", log)
    assert runs and int(runs.group(1)) == RUNS, log[-2000:]
