"""Hook API stability: every hook is documented in docs/plugins.md and tested in tests/."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import pytest

from captionbridge import hookspecs

ROOT = Path(__file__).resolve().parent.parent
DOCS = (ROOT / "docs" / "plugins.md").read_text("utf-8")
HOOKS = sorted(name for name in vars(hookspecs) if name.startswith("captionbridge_"))


def _section(name: str) -> str:
    match = re.search(rf"^### {name}\n(.*?)(?=^### |^## |\Z)", DOCS, re.S | re.M)
    assert match, f"docs/plugins.md has no '### {name}' section"
    return match.group(1)


def test_there_are_hooks() -> None:
    assert len(HOOKS) >= 9


@pytest.mark.parametrize("name", HOOKS)
def test_hook_is_documented(name: str) -> None:
    spec = getattr(hookspecs, name)
    section = _section(name)
    assert f"Added in {spec.added_in}." in section
    parameters = ", ".join(inspect.signature(spec).parameters)
    assert re.search(rf"def {name}\({re.escape(parameters.split(',')[0])}", section), (
        f"the section on {name} must show its signature ({parameters})"
    )
    firstresult = spec.captionbridge_spec["firstresult"]
    assert ("**firstresult**" in section) == firstresult
    assert ("Not firstresult." in section) != firstresult
    assert section.count("```python") >= 2, f"the section on {name} needs an example"


@pytest.mark.parametrize("name", HOOKS)
def test_hook_has_a_test(name: str) -> None:
    own = Path(__file__).name
    users = [
        path.name
        for path in (ROOT / "tests").glob("test_*.py")
        if path.name != own and name in path.read_text("utf-8")
    ]
    assert users, f"no test module in tests/ mentions {name}: add a test of the hook"


@pytest.mark.parametrize("name", HOOKS)
def test_hook_records_added_in(name: str) -> None:
    assert re.fullmatch(r"\d+\.\d+\.\d+", getattr(hookspecs, name).added_in)


def test_docs_document_no_hook_that_does_not_exist() -> None:
    documented = set(re.findall(r"^### (captionbridge_\w+)", DOCS, re.M))
    assert documented == set(HOOKS)
