"""What every command gets: the config path and verbosity from the group's options."""

from __future__ import annotations

import sys
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING

from trialwatch.cli import output

if TYPE_CHECKING:
    from trialwatch.config import Config


class Context:
    def __init__(self, config_path: str | None, verbosity: int) -> None:
        self.config_path = config_path
        self.verbosity = verbosity

    def config(self) -> Config:
        from trialwatch.config import load_config

        return load_config(self.config_path)

    def echo(self, message: str) -> None:
        if self.verbosity >= 0:
            output.echo_text(message)

    def note(self, message: str | None) -> None:
        """A remark on standard error (none with -q, none for an empty message)."""
        if message and self.verbosity >= 0:
            output.echo_text(message, err=True)

    def progress(self) -> AbstractContextManager[output.Progress]:
        """Progress on a terminal's standard error only, and not with -q."""
        return output.progress(output.is_tty(sys.stderr) and self.verbosity >= 0)
