"""The command-line conventions every sitroom command gets from the root group.

- an unexpected error is one line (`error: ...`), its traceback only with `--debug`
  (anywhere on the line, or SITROOM_DEBUG=1);
- Ctrl-C ends with "interrupted" and exit status 130, not a traceback (commands that store
  things catch it first to say what was stored);
- flags show no `<bool>` type in help: a flag takes no value.
"""

from __future__ import annotations

import os
import signal
import sys
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from importlib.metadata import entry_points
from typing import Any

import typer
from rich.markup import escape
from typer.core import TyperGroup

from sitroom import __version__
from sitroom.cli.common import err, one_line

_debug = {"on": bool(os.environ.get("SITROOM_DEBUG"))}
COMMANDS_GROUP = "sitroom.commands"  # entry points: a callable register(app) each


def debugging() -> bool:
    return _debug["on"]


def _set_debug(ctx: Any, param: Any, value: bool) -> bool:
    if value:
        _debug["on"] = True
    return value


def _print_version(ctx: Any, param: Any, value: bool) -> None:
    if value:
        typer.echo(f"sitroom {__version__}")
        raise typer.Exit()


def version_option() -> Any:
    return typer.Option(False, "--version", callback=_print_version, is_eager=True, expose_value=True,
                        help="Print the version and exit.")


def debug_option() -> Any:
    return typer.Option(False, "--debug", callback=_set_debug, is_eager=True,
                        help="Show tracebacks of unexpected errors (also SITROOM_DEBUG=1).")


def _plain_flags(command: Any) -> None:
    """Blank the value type of every flag (`--json`, not `--json <bool>`), the help option
    included, in this command and every subcommand."""
    for param in command.params:
        if getattr(param, "is_flag", False):  # typer vendors click: duck-typed
            param.metavar = ""
    original = command.get_help_option

    def help_option(ctx: Any) -> Any:
        option = original(ctx)
        if option is not None:
            option.metavar = ""
        return option

    command.get_help_option = help_option  # type: ignore[method-assign]
    for sub in getattr(command, "commands", {}).values():
        _plain_flags(sub)


class SitroomGroup(TyperGroup):
    """The root `sitroom` group: applies the conventions above to every command under it."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _plain_flags(self)

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        # `--debug` is accepted anywhere before a `--`, not only before the subcommand.
        end = args.index("--") if "--" in args else len(args)
        if "--debug" in args[:end]:
            _debug["on"] = True
            args = [a for a in args[:end] if a != "--debug"] + args[end:]
        return super().parse_args(ctx, args)

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            err.print("interrupted", highlight=False)
            raise typer.Exit(130) from None
        except BrokenPipeError:  # `sitroom ... | head`: the reader has what it wanted
            sys.stderr.close()
            raise typer.Exit(0) from None
        except Exception as exc:
            if type(exc).__module__.startswith(("typer", "click")):  # Exit, Abort, usage errors
                raise
            if debugging():
                traceback.print_exc()
            else:
                err.print(f"[red]error:[/] {type(exc).__name__}: {escape(one_line(exc))}  "
                          "(--debug shows the traceback)", highlight=False)
            raise typer.Exit(1) from None


def load_plugins(app: typer.Typer) -> list[str]:
    """Let installed packages add commands: each entry point of the `sitroom.commands` group
    names a `register(app)` function, the same shape as our own command modules. A plugin
    that fails is one warning line; the built-in commands keep working."""
    problems = []
    for ep in entry_points(group=COMMANDS_GROUP):
        try:
            ep.load()(app)
        except Exception as exc:
            problems.append(f"plugin {ep.name} ({ep.value}): {type(exc).__name__}: {exc}")
    for line in problems:
        err.print(f"warning: {line}", markup=False, highlight=False)
    return problems


@contextmanager
def workers_ignore_interrupts() -> Iterator[Callable[[], None]]:
    """Ctrl-C reaches only this process: analysis workers forked inside the block inherit a
    handler that does nothing there (no worker tracebacks), and the parent stops the pool.

    Yields a check to call at safe points: a KeyboardInterrupt raised while Python runs a
    finaliser or weakref callback is swallowed, so the request is remembered and raised
    again by the check."""
    parent = os.getpid()
    requested = {"stop": False}

    def on_interrupt(signum: int, frame: object) -> None:
        if os.getpid() == parent:
            requested["stop"] = True
            raise KeyboardInterrupt

    def check() -> None:
        if requested["stop"]:
            raise KeyboardInterrupt

    previous = signal.signal(signal.SIGINT, on_interrupt)
    try:
        yield check
    finally:
        signal.signal(signal.SIGINT, previous)
