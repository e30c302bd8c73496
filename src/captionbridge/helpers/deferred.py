"""Functions imported when first called, so that registering a plugin stays cheap.

Every built-in plugin is registered when the command line starts, but a conversion uses one
reader and a writer or two. A plugin hands :func:`deferred` to a spec where the spec takes a
function (``ReaderSpec.read``, ``WriterSpec.write``, ``ReaderSpec.guess``...): the module that
implements it is imported by the first call, not by the registration.

>>> split = deferred("os.path", "split")
>>> split("/a/b")
('/a', 'b')
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any

__all__ = ["deferred", "lazy_exports"]


class _Deferred:
    """``module.name``, looked up on the first call."""

    __slots__ = ("_function", "_module", "_name")

    def __init__(self, module: str, name: str) -> None:
        self._module = module
        self._name = name
        self._function: Any = None

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        function = self._function
        if function is None:
            function = self._function = getattr(importlib.import_module(self._module), self._name)
        return function(*args, **kwargs)

    def __reduce__(self) -> tuple[Any, ...]:
        return (_Deferred, (self._module, self._name))

    def __repr__(self) -> str:
        return f"<deferred {self._module}.{self._name}>"


def deferred(module: str, name: str) -> Callable[..., Any]:
    """A function that calls ``module.name``, importing ``module`` on the first call."""
    return _Deferred(module, name)


def lazy_exports(package: str, names: Mapping[str, str]) -> Callable[[str], Any]:
    """A module ``__getattr__`` (PEP 562) for ``package``: each name of ``names`` is imported
    from the module named beside it when first asked for, so that a plugin package can
    re-export its functions without importing them at start-up."""
    namespace = importlib.import_module(package).__dict__

    def __getattr__(name: str) -> Any:
        module = names.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(module), name)
        namespace[name] = value
        return value

    return __getattr__
