"""Exceptions raised by captionbridge; all derive from :class:`CaptionbridgeError`."""

from __future__ import annotations

import os

__all__ = [
    "CaptionbridgeError",
    "FormatError",
    "OptionError",
    "OutputExistsError",
    "OutputsFailed",
    "ParseError",
    "PluginError",
    "SetupError",
    "brief",
    "debug_details",
    "debug_enabled",
]

#: Set to 1 (the CLI's ``--traceback`` does) to see a failing plugin's traceback.
DEBUG_ENV = "CAPTIONBRIDGE_DEBUG"


def brief(value: object) -> str:
    """``repr(value)`` cut short for a one-line message (a 5,000-digit value stays short)."""
    try:
        text = repr(value)
    except ValueError:  # an int past Python's 4,300-digit conversion limit
        return "a number of over 4300 digits"
    return text if len(text) <= 40 else text[:37] + "..."


def _shown_source(source: str) -> str:
    """A file name as messages show it: control characters escaped, so that a name holding a
    line break (``--rttm $'\\r'``) still gives a one-line error."""
    if source.isprintable():
        return source
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in source)


class CaptionbridgeError(Exception):
    """Base of every error captionbridge raises on purpose.

    ``source`` names the file (or ``<stdin>``) the error is about, when there is one.
    """

    def __init__(self, message: str, *, source: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.source = source

    def __str__(self) -> str:
        return f"{_shown_source(self.source)}: {self.message}" if self.source else self.message


class ParseError(CaptionbridgeError):
    """Input that cannot be read: carries the source, 1-based line and column, and the text."""

    def __init__(
        self,
        message: str,
        *,
        source: str | None = None,
        line: int | None = None,
        column: int | None = None,
        text: str | None = None,
    ) -> None:
        super().__init__(message, source=source)
        self.line = line
        self.column = column
        self.text = text

    def __str__(self) -> str:
        where = _shown_source(self.source) if self.source else "<input>"
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        shown = ""
        if self.text is not None:
            snippet = self.text if len(self.text) <= 60 else self.text[:57] + "..."
            shown = f": {snippet!r}"
        return f"{where}: {self.message}{shown}"


class FormatError(CaptionbridgeError):
    """An unknown format, a format that cannot be guessed, or two plugins claiming one name."""


class OptionError(CaptionbridgeError):
    """An option that does not exist or has a value it cannot take (a usage error)."""


class SetupError(CaptionbridgeError):
    """The run cannot start where it was asked to: an optional package it needs is not
    installed (fsspec for a URL, dask.distributed for a scheduler), or the Dask scheduler does
    not answer. Nothing was converted; the command line exits 2, as for a usage error."""


class OutputExistsError(CaptionbridgeError):
    """The output file exists and overwriting was not asked for."""


class OutputsFailed(CaptionbridgeError):
    """Some outputs of a conversion failed; the others were written.

    ``written`` are the paths written, ``failed`` one line ``path: reason`` per failed output.
    """

    def __init__(self, failed: tuple[str, ...], written: tuple[str, ...]) -> None:
        super().__init__("; ".join(failed))
        self.failed = failed
        self.written = written


class PluginError(CaptionbridgeError):
    """A plugin failed inside a hook; names the plugin and the hook."""

    def __init__(self, message: str, *, plugin: str, hook: str, source: str | None = None) -> None:
        super().__init__(message, source=source)
        self.plugin = plugin
        self.hook = hook

    @classmethod
    def failed(
        cls, plugin: str, where: str, hook: str, problem: str | BaseException, source: str | None
    ) -> PluginError:
        """``plugin 'P' failed in WHERE: PROBLEM`` (an exception is shown by type and first
        line, followed by its traceback when :func:`debug_enabled`)."""
        if isinstance(problem, BaseException):
            problem = describe(problem) + debug_details(problem)
        return cls(
            f"plugin {plugin!r} failed in {where}: {problem}",
            plugin=plugin,
            hook=hook,
            source=source,
        )


def describe(exc: BaseException) -> str:
    """An exception as one line: its type and the first line of its message."""
    lines = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {lines[0]}" if lines else type(exc).__name__


def debug_enabled() -> bool:
    """Whether ``CAPTIONBRIDGE_DEBUG`` asks for plugin tracebacks (set, and not 0/no/false)."""
    value = os.environ.get(DEBUG_ENV, "").strip().lower()
    return value not in ("", "0", "no", "false", "off")


def debug_details(exc: BaseException) -> str:
    """``exc``'s traceback on lines of its own when :func:`debug_enabled`, else ``""``.

    Appended to a one-line plugin failure so an author sees the file and line of their code."""
    if not debug_enabled():
        return ""
    import traceback

    return "\n" + "".join(traceback.format_exception(exc)).rstrip()
