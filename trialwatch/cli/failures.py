"""How a command's failure reaches the person: one `Error:` line and its exit code.

A TrialwatchError keeps its own message and exit code; anything else (a bug, a full disk, a lost
connection) is the last resort: one line too, with the traceback above it only with `-v`.
"""

from __future__ import annotations

import logging
import traceback
from typing import Any

import click

from trialwatch.errors import TrialwatchError, unexpected

log = logging.getLogger("trialwatch")


class CommandFailed(click.ClickException):
    """A TrialwatchError as click shows it: `Error: <one line>`, exit code 1."""

    exit_code = 1


class BadInput(CommandFailed):
    """A TrialwatchError for bad input or configuration: exit code 2."""

    exit_code = 2


def usage_line(error: click.UsageError) -> str:
    """A usage error (missing argument, unknown option or command, bad value) as one line:
    `Error: <what is wrong>. See '<command> --help'.` (click's own shows the usage and a hint
    on lines of their own first)."""
    message = " ".join(error.format_message().split())
    if message and message[-1] not in ".?!":
        message += "."
    command = error.ctx.command_path if error.ctx is not None else "trialwatch"
    return f"Error: {message} See '{command} --help'."


def as_click_error(error: TrialwatchError) -> CommandFailed:
    # click keeps exit_code on the class, so each exit code has a class of its own
    return (BadInput if error.exit_code == BadInput.exit_code else CommandFailed)(str(error))


class TrialwatchGroup(click.Group):
    """Turns a TrialwatchError from any command into one line and its exit code (not a traceback),
    under `main()` and under click's test runner alike."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except TrialwatchError as exc:
            raise as_click_error(exc) from None
        except (click.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except Exception as exc:  # the last resort: one line, the traceback only with -v
            if getattr(ctx.obj, "verbosity", 0) > 0:
                click.echo(traceback.format_exc().rstrip(), err=True)
            log.debug("unexpected error", exc_info=True)
            raise CommandFailed(unexpected(exc)) from None
