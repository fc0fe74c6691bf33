"""The command line: `trialwatch` and its commands."""

from trialwatch.cli.main import main

__all__ = ["main"]
