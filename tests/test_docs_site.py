"""The documentation site (mkdocs.yml): every page is in the navigation, and every public name
the API reference shows has a docstring (scripts/test builds the site with --strict)."""

from __future__ import annotations

import importlib
import inspect
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CONFIG = (ROOT / "mkdocs.yml").read_text("utf-8")
API_PAGE = (ROOT / "docs" / "api.md").read_text("utf-8")
REFERENCED = re.findall(r"^::: (captionbridge[\w.]*)$", API_PAGE, re.M)


def test_every_docs_page_is_in_the_navigation() -> None:
    pages = sorted(p.name for p in (ROOT / "docs").glob("*.md"))
    missing = [page for page in pages if f": {page}" not in CONFIG]
    assert not missing, f"add to nav in mkdocs.yml: {missing}"


def test_the_api_page_covers_the_public_modules() -> None:
    assert {"captionbridge.api", "captionbridge.model", "captionbridge.testing"} <= set(REFERENCED)


def _undocumented(module_name: str) -> list[str]:
    module = importlib.import_module(module_name)
    missing = []
    for name in getattr(module, "__all__", ()):
        obj = getattr(module, name)
        if not (inspect.isclass(obj) or inspect.isfunction(obj)):
            continue  # constants and aliases cannot carry a docstring of their own
        doc = obj.__doc__ or ""
        if not doc.strip() or doc.startswith(f"{obj.__name__}("):  # dataclass's generated one
            missing.append(f"{module_name}.{name}")
        if not inspect.isclass(obj):
            continue
        for member, value in vars(obj).items():
            if member.startswith("_") or (member.startswith("test_") is False and False):
                continue
            function = value.__func__ if isinstance(value, (classmethod, staticmethod)) else value
            if isinstance(function, property):
                function = function.fget
            if inspect.isfunction(function) and not (function.__doc__ or "").strip():
                missing.append(f"{module_name}.{name}.{member}")
    return missing


@pytest.mark.parametrize("module_name", REFERENCED)
def test_public_names_have_docstrings(module_name: str) -> None:
    assert _undocumented(module_name) == []


def test_the_check_finds_a_missing_docstring(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "cb_undocumented.py").write_text(
        "from dataclasses import dataclass\n"
        "__all__ = ['Spec', 'shown', 'LIMIT']\n"
        "LIMIT = 3\n"
        "@dataclass\n"
        "class Spec:\n"
        "    name: str\n"
        "    def render(self):\n"
        "        return self.name\n"
        "def shown():\n"
        '    """Documented."""\n'
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    assert _undocumented("cb_undocumented") == [
        "cb_undocumented.Spec",
        "cb_undocumented.Spec.render",
    ]
