"""SECURITY.md maps every guarantee to tests; each named test must exist."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _functions(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {n.name for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)}


def test_every_guarantee_has_existing_tests() -> None:
    text = (ROOT / "SECURITY.md").read_text(encoding="utf-8")
    guarantees = re.findall(r"^(\d+)\. \*\*", text, re.M)
    rows = dict(re.findall(r"^\| (\d+) \| (.+) \|$", text, re.M))
    assert guarantees and set(guarantees) == set(rows), (guarantees, sorted(rows))
    for number, cell in rows.items():
        references = re.findall(r"`(tests/[\w/]+\.py)::(\w+)`", cell)
        assert references, f"guarantee {number} names no test"
        for file, function in references:
            assert (ROOT / file).is_file(), file
            assert function in _functions(ROOT / file), f"{file}::{function} does not exist"
