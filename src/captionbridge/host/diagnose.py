"""Registration problems explained for plugin authors: the plugin, the hook, what is wrong and
what to change.

pluggy's :class:`~pluggy.PluginValidationError` puts the useful part (the argument names the
hook does not have) on its second and third lines; :func:`describe_validation` keeps it on one.
"""

from __future__ import annotations

import difflib
import inspect
import re

import pluggy

from ..errors import describe

__all__ = ["describe_validation"]

_UNKNOWN_HOOK = re.compile(r"unknown hook '([^']+)'")
_BAD_ARGUMENTS = re.compile(r"Argument\(s\) (\{.*?\}) are declared in the hookimpl")
_FOR_HOOK = re.compile(r"for hook '([^']+)'")


def describe_validation(exc: BaseException, pm: pluggy.PluginManager) -> str:
    """One line saying which hook of the plugin is wrong and how to fix it; any other
    exception is described as :func:`~captionbridge.errors.describe` does."""
    if not isinstance(exc, pluggy.PluginValidationError):
        return describe(exc)
    text = str(exc)
    unknown = _UNKNOWN_HOOK.search(text)
    if unknown:
        name = unknown.group(1)
        known = sorted(
            h
            for h in dir(pm.hook)
            if h.startswith("captionbridge_") and getattr(pm.hook, h).spec is not None
        )
        close = difflib.get_close_matches(name, known, n=1)
        hint = f"; did you mean {close[0]!r}?" if close else f" (known hooks: {', '.join(known)})"
        return f"PluginValidationError: unknown hook {name!r}{hint}"
    bad, hook = _BAD_ARGUMENTS.search(text), _FOR_HOOK.search(text)
    if bad and hook:
        caller = getattr(pm.hook, hook.group(1), None)
        spec = caller.spec if caller is not None else None
        takes = ", ".join(inspect.signature(spec.function).parameters) if spec else "?"
        return (
            f"PluginValidationError: hook {hook.group(1)!r} has argument(s) {bad.group(1)}"
            f" that its specification does not; it takes ({takes}): rename them"
        )
    return f"PluginValidationError: {' '.join(text.split())}"
