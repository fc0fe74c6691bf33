"""The command line: parse, load config, call one service function, print. Nothing else.

Heavy modules (requests, pandas, jinja2) are imported inside the commands that need them, so a
lookup from the store starts fast.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import Any

import click

from trialwatch import __version__
from trialwatch.errors import TrialwatchError

log = logging.getLogger("trialwatch")


class Context:
    def __init__(self, config_path: str | None, verbosity: int) -> None:
        self.config_path = config_path
        self.verbosity = verbosity

    def config(self) -> Any:
        from trialwatch.config import load_config

        return load_config(self.config_path)

    def echo(self, message: str) -> None:
        if self.verbosity >= 0:
            click.echo(message)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="trialwatch")
@click.option(
    "--config",
    "config_path",
    envvar="TRIALWATCH_CONFIG",
    metavar="PATH",
    help="Configuration file (default ./config.toml; or set TRIALWATCH_CONFIG).",
)
@click.option("-v", "--verbose", count=True, help="More detail (-vv for debug logging).")
@click.option("-q", "--quiet", is_flag=True, help="Only errors.")
@click.pass_context
def cli(ctx: click.Context, config_path: str | None, verbose: int, quiet: bool) -> None:
    """trialwatch keeps a clinic's ClinicalTrials.gov evidence honest and current.

    \b
    Example:
      trialwatch demo                      # offline demo on bundled real records
      trialwatch --config config.toml refresh
    """
    verbosity = -1 if quiet else verbose
    level = logging.ERROR if quiet else (logging.DEBUG if verbose > 1 else logging.INFO)
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    if verbose < 2:
        logging.getLogger("urllib3").setLevel(logging.WARNING)
    ctx.obj = Context(config_path, verbosity)


@cli.command()
@click.option("--full", is_flag=True, help="Re-fetch everything, not only what changed.")
@click.option(
    "--wait", type=float, default=0.0, metavar="SECONDS",
    help="Wait this long for another running refresh to finish (default: exit at once).",
)  # fmt: skip
@click.pass_obj
def refresh(obj: Context, full: bool, wait: float) -> None:
    """Fetch the cited studies and related searches, store new versions, log changes.

    \b
    Example:
      trialwatch refresh            # incremental: only what changed since the last run
      trialwatch refresh --full     # re-check every record
    """
    from trialwatch import services

    config = obj.config()
    result = services.refresh(config, full=full, lock_wait=wait)
    for note in result.notes:
        click.echo(note, err=True)
    obj.echo(result.summary_line())


@cli.command()
@click.option(
    "--dir", "directory", type=click.Path(file_okay=False, path_type=Path),
    default=Path("trialwatch-demo"), show_default=True,
    help="Folder for the demo's own config, database and report.",
)  # fmt: skip
@click.pass_obj
def demo(obj: Context, directory: Path) -> None:
    """Run the whole pipeline offline on bundled real ClinicalTrials.gov records.

    Uses its own config and database in DIR (never the clinic's config.toml).

    \b
    Example:
      trialwatch demo
      trialwatch demo --dir /tmp/tw-demo
    """
    from trialwatch.demo import run_demo

    result = run_demo(directory)
    obj.echo("DEMO DATA: real recorded registry responses replayed offline (see PROVENANCE.md).")
    for i, run in enumerate(result.refreshes, 1):
        obj.echo(f"  refresh {i}: {run.summary_line()}")
        for note in run.notes:
            obj.echo(f"    note: {note}")
    obj.echo(f"Config:   {result.config.path}")
    obj.echo(f"Database: {result.config.database_url}")
    if result.report is not None:
        obj.echo(f"Report:   {result.report}")
    obj.echo(f"Try:      trialwatch --config {result.config.path} show NCT02552212")


def main() -> None:
    """Entry point: run the CLI, turning trialwatch errors into one line and an exit code."""
    try:
        cli.main(standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(1)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except TrialwatchError as exc:
        click.echo(f"Error: {exc}", err=True)
        sys.exit(exc.exit_code)
