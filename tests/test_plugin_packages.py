"""The packages in plugins/ have the shape of separately published plugins and use only the
public API, and their tests can run from the repository root next to tests/."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
import tomllib

import captionbridge

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = sorted(p for p in (ROOT / "plugins").iterdir() if (p / "pyproject.toml").exists())
PUBLIC = set(captionbridge.__all__)


def test_there_are_at_least_three() -> None:
    assert {p.name for p in PACKAGES} >= {
        "captionbridge-hls",
        "captionbridge-sdh",
        "captionbridge-youtube",
    }


@pytest.mark.parametrize("package", PACKAGES, ids=lambda p: p.name)
def test_package_shape(package: Path) -> None:
    project = tomllib.loads((package / "pyproject.toml").read_text())["project"]
    assert project["name"] == package.name
    assert "captionbridge" in " ".join(project["dependencies"])
    entry_points = project["entry-points"]["captionbridge"]
    for module in entry_points.values():
        assert (package / f"{module}.py").exists()
    assert (package / "README.md").read_text().startswith(f"# {package.name}")
    tests = list((package / "tests").glob("test_*.py"))
    assert tests
    # no conftest.py or __init__.py: with pytest's default import mode they would clash with
    # tests/conftest.py and each other when everything runs from the repository root
    assert not list((package / "tests").glob("conftest.py"))
    assert not list((package / "tests").glob("__init__.py"))


def test_test_module_names_are_unique_across_the_repository() -> None:
    names = [p.name for p in ROOT.glob("tests/test_*.py")]
    names += [p.name for p in ROOT.glob("plugins/*/tests/test_*.py")]
    assert len(names) == len(set(names))


def _private_uses(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(), str(path))
    found = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.ImportFrom)
            and node.module
            and node.module.startswith("captionbridge.")
        ):
            if node.module != "captionbridge.testing":
                found.append(f"from {node.module} import ...")
        elif isinstance(node, ast.ImportFrom) and node.module == "captionbridge":
            found += [a.name for a in node.names if a.name not in PUBLIC]
        elif (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id == "captionbridge"
            and node.attr not in PUBLIC
        ):
            found.append(f"captionbridge.{node.attr}")
    return found


@pytest.mark.parametrize(
    "path",
    sorted(ROOT.glob("plugins/*/*.py")) + sorted(ROOT.glob("plugins/*/tests/*.py")),
    ids=lambda p: str(p.relative_to(ROOT)),
)
def test_only_the_public_api_is_used(path: Path) -> None:
    assert _private_uses(path) == []
