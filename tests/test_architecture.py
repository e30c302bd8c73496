"""The import rules of the package (docs/architecture.md), read from the source with ``ast``.

Each test lists every break of one rule as ``path:line: what``, so a failure says where to look.
An import is one of three kinds: ``top`` (module level, runs on import), ``typing`` (under
``if TYPE_CHECKING:``, never runs) and ``lazy`` (inside a function, runs on first call).

- Who may import whom counts all three kinds: a lazy or a typing-only import is still a
  dependency.
- Cycles between modules count ``top`` imports: those are the ones that can break an import.
  Cycles between packages (one node per folder, top-level module and plugin family) count
  ``top`` and ``lazy`` imports: a lazy import only hides a cycle from the interpreter, not from
  the reader. ``typing`` imports are left out of both, since they never run.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from captionbridge.host.registry import make_host

SRC = Path(__file__).resolve().parents[1] / "src"
PACKAGE = "captionbridge"
CONTRACT = {"model", "errors", "specs", "hookspecs"}
#: libraries the plugins may use besides the contract: they know no format and no plugin
ENGINES = {"helpers", "reflow", "speakers"}
#: the layers that must not name a format (see test_core_layers_name_no_format)
FORMAT_BLIND = ("flow", "host", "batch", "api")
#: a format's record framing, which names it as surely (the bracket reader's segment start)
FRAMINGS = ("\n[",)


@dataclass(frozen=True)
class Import:
    """One import of a package module: by ``source`` at ``line``, of ``target``."""

    source: str
    target: str
    line: int
    kind: str  # "top", "typing" or "lazy"


@dataclass(frozen=True)
class Module:
    name: str  # dotted, e.g. captionbridge.flow.pipeline
    path: Path
    tree: ast.Module

    @property
    def rel(self) -> str:
        """The path below src/captionbridge/, as the messages show it."""
        return self.path.relative_to(SRC / PACKAGE).as_posix()


@cache
def modules() -> dict[str, Module]:
    found = {}
    for path in sorted((SRC / PACKAGE).rglob("*.py")):
        parts = list(path.relative_to(SRC).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        name = ".".join(parts)
        found[name] = Module(name, path, ast.parse(path.read_text(encoding="utf-8")))
    return found


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _walk(node: ast.AST, kind: str) -> Iterator[tuple[ast.AST, str]]:
    for child in ast.iter_child_nodes(node):
        if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            yield from _walk(child, "lazy")
        elif isinstance(child, ast.If) and _is_type_checking(child) and kind == "top":
            for stmt in child.body:
                yield stmt, "typing"
                yield from _walk(stmt, "typing")
            for stmt in child.orelse:
                yield stmt, kind
                yield from _walk(stmt, kind)
        else:
            yield child, kind
            yield from _walk(child, kind)


def _resolve(module: Module, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    base = module.name.split(".")
    if module.path.name != "__init__.py":
        base.pop()
    base = base[: len(base) - node.level + 1]
    return ".".join(base + ([node.module] if node.module else []))


@cache
def imports() -> tuple[Import, ...]:
    """Every import of a package module by a package module."""
    known = modules()
    found = []
    for module in known.values():
        for node, kind in _walk(module.tree, "top"):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = _resolve(module, node)
                # `from pkg import mod` imports the module pkg.mod; `from pkg import name`, pkg
                targets = [
                    f"{base}.{a.name}" if f"{base}.{a.name}" in known else base for a in node.names
                ]
            for target in targets:
                if target == PACKAGE or target.startswith(PACKAGE + "."):
                    found.append(Import(module.name, target, node.lineno, kind))  # type: ignore[attr-defined]
    return tuple(found)


def layer(name: str) -> str:
    """The folder or top-level module a module belongs to: ``flow``, ``model``, ``(face)``."""
    parts = name.split(".")
    return parts[1] if len(parts) > 1 else "(face)"


def unit(name: str) -> str:
    """The node of the package graph: the layer, or for plugins the plugin family (each
    subpackage of plugins/ is one family; each top-level plugin module is its own)."""
    parts = name.split(".")
    if layer(name) == "plugins" and len(parts) > 2:
        return ".".join(parts[:3])
    return layer(name)


def _where(imp: Import) -> str:
    return f"{modules()[imp.source].rel}:{imp.line}: {imp.source} imports {imp.target} ({imp.kind})"


def test_model_imports_nothing_of_the_package() -> None:
    breaks = [_where(i) for i in imports() if i.source == f"{PACKAGE}.model"]
    assert not breaks, "\n".join(breaks)


def test_the_contract_imports_only_the_contract() -> None:
    contract = {f"{PACKAGE}.{name}" for name in CONTRACT}
    breaks = [
        _where(i)
        for i in imports()
        if i.source in contract - {f"{PACKAGE}.model"} and i.target not in contract
    ]
    assert not breaks, "\n".join(breaks)


def test_helpers_and_engines_import_only_the_contract_and_the_helpers() -> None:
    """helpers/ sees the contract only; reflow/ and speakers/ also helpers/ and themselves."""
    breaks = []
    for i in imports():
        source, target = layer(i.source), layer(i.target)
        if source not in ENGINES or target in CONTRACT or target == source:
            continue
        if source == "helpers" or target != "helpers":
            breaks.append(_where(i))
    assert not breaks, "\n".join(breaks)


def test_plugins_import_only_the_contract_helpers_engines_and_their_family() -> None:
    """A built-in plugin is written the way a third-party one is: no CLI, API, pipeline, host,
    batch, lint, files, testing, package face, and no other plugin's private helpers."""
    breaks = [
        _where(i)
        for i in imports()
        if layer(i.source) == "plugins"
        and layer(i.target) not in CONTRACT | ENGINES
        and unit(i.target) != unit(i.source)
    ]
    assert not breaks, "\n".join(breaks)


def test_only_the_cli_imports_the_cli() -> None:
    """``python -m captionbridge`` (``__main__``) is the one way in from outside; the host
    names no CLI module either (a string passed to importlib counts)."""
    breaks = [
        _where(i)
        for i in imports()
        if layer(i.target) == "cli"
        and layer(i.source) != "cli"
        and i.source != f"{PACKAGE}.__main__"
    ]
    for module in modules().values():
        if layer(module.name) == "cli" or module.name == f"{PACKAGE}.__main__":
            continue
        for node in ast.walk(module.tree):
            value = node.value if isinstance(node, ast.Constant) else None
            if isinstance(value, str) and value.startswith(f"{PACKAGE}.cli"):
                breaks.append(f"{module.rel}:{node.lineno}: names {value!r}")
    assert not breaks, "\n".join(breaks)


def test_nothing_inside_imports_the_package_face() -> None:
    """``captionbridge/__init__`` imports the API lazily; a module that imports it back (for
    ``__version__``, say) makes a cycle through the whole package."""
    breaks = [_where(i) for i in imports() if i.target == PACKAGE]
    assert not breaks, "\n".join(breaks)


def _format_words() -> set[str]:
    """Every name, alias and extension of the readers and writers of a freshly built host."""
    host = make_host(entry_points=False)
    words = set(host.readers) | set(host.writers) | set(host._aliases)
    for reader in host.readers.values():
        words |= {ext.lower() for ext in reader.extensions}
    for writer in host.writers.values():
        words |= {writer.extension.lower(), *map(str.lower, writer.claimed_extensions)}
    return {word for word in words if word}


def _docstrings(tree: ast.Module) -> set[int]:
    """The ids of the docstring constants (prose may say "SRT"; code may not)."""
    ids = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                ids.add(id(body[0].value))
    return ids


def test_core_layers_name_no_format() -> None:
    """flow/, host/, batch/ and api.py work for any format: a string literal that is a format
    name, alias, extension or record framing there is a format the core knows by name."""
    words = _format_words()
    breaks = []
    for module in modules().values():
        if layer(module.name) not in FORMAT_BLIND:
            continue
        skip = _docstrings(module.tree)
        for node in ast.walk(module.tree):
            if not isinstance(node, ast.Constant) or id(node) in skip:
                continue
            value = node.value
            if isinstance(value, bytes):
                value = value.decode("latin-1")
            if not isinstance(value, str):
                continue
            if value.lower() in words or any(framing in value for framing in FRAMINGS):
                breaks.append(f"{module.rel}:{node.lineno}: names the format {node.value!r}")
    assert not breaks, "\n".join(breaks)


def _cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one node, or a node that imports
    itself (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(edges.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1 or node in edges.get(node, ()):
                found.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


def test_cycles_finder_finds_cycles() -> None:
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _cycles({"a": {"a"}, "b": {"a"}}) == [["a"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_cycle_between_modules() -> None:
    edges: dict[str, set[str]] = {}
    for i in imports():
        if i.kind == "top" and i.target != i.source:
            edges.setdefault(i.source, set()).add(i.target)
    cycles = _cycles(edges)
    assert not cycles, "\n".join(" <-> ".join(cycle) for cycle in cycles)


def test_no_import_cycle_between_packages() -> None:
    edges: dict[str, set[str]] = {}
    for i in imports():
        source, target = unit(i.source), unit(i.target)
        if i.kind != "typing" and source != target:
            edges.setdefault(source, set()).add(target)
    cycles = _cycles(edges)
    assert not cycles, "\n".join(" <-> ".join(cycle) for cycle in cycles)


def test_the_rules_see_imports() -> None:
    """The scanner finds each kind of import, so the rules above cannot pass by seeing none."""
    kinds = {(i.source, i.target): i.kind for i in imports()}
    assert kinds[("captionbridge.flow.pipeline", "captionbridge.flow.decode")] == "top"
    assert kinds[("captionbridge.hookspecs", "captionbridge.model")] == "typing"
    assert kinds[("captionbridge.api", "captionbridge.batch.run")] in ("lazy", "typing")
    assert kinds[("captionbridge.plugins.ttml.itt", "captionbridge.plugins.ttml.writer")] == "top"
    assert unit("captionbridge.plugins.ttml.itt") == unit("captionbridge.plugins.ttml.writer")
    assert unit("captionbridge.plugins.vtt") != unit("captionbridge.plugins.srt")
