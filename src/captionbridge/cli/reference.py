"""The whole command tree, built eagerly from the built-in plugins only, for generated
references (the docs site's CLI page): the real ``cli`` group builds ``convert`` and plugin
commands lazily, and with whatever plugins happen to be installed."""

from __future__ import annotations

import click

__all__ = ["full_cli"]


def full_cli() -> click.Group:
    """``captionbridge`` with every built-in command and the options of the built-in plugins."""
    from ..host.registry import make_host
    from . import app

    host = make_host(entry_points=False)
    group = click.Group(
        "captionbridge", help=app.cli.help, params=list(app.cli.params), commands=app.cli.commands
    )
    group.add_command(app._convert_command(host))
    for impl in reversed(host.pm.hook.captionbridge_register_commands.get_hookimpls()):
        impl.function(cli=group)
    return group


def __getattr__(name: str) -> click.Group:
    # mkdocs-click looks the command up as a module attribute
    if name == "cli":
        return full_cli()
    raise AttributeError(name)
