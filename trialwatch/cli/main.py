"""The command line: parse, load config, call one service function, print. Nothing else.

Heavy modules (requests, pandas, jinja2) are imported inside the commands that need them, so a
lookup from the store starts fast.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import click

from trialwatch import __version__
from trialwatch.cli import archive_commands, db_commands, output
from trialwatch.cli import io_commands as commands_io
from trialwatch.cli import lookups as commands
from trialwatch.cli.context import Context
from trialwatch.cli.failures import TrialwatchGroup, usage_line
from trialwatch.errors import LockBusy, Stopped, TrialwatchError

log = logging.getLogger("trialwatch")


@click.group(cls=TrialwatchGroup, context_settings={"help_option_names": ["-h", "--help"]})
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
    # Commands print their own results; log lines are for problems, or for detail with -v.
    levels = {0: logging.WARNING, 1: logging.INFO}
    level = logging.ERROR if quiet else levels.get(verbose, logging.DEBUG)
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    if verbose < 2:
        logging.getLogger("urllib3").setLevel(logging.ERROR)  # its retry lines; ours say it
        logging.getLogger("alembic").setLevel(logging.WARNING)  # its set-up chatter
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
    import signal

    from trialwatch.ctgov.stop import STOP, stopping_on
    from trialwatch.services import pipeline as services

    config = obj.config()
    STOP.clear()
    try:
        with stopping_on(signal.SIGTERM):  # `systemctl stop`, `kill`: roll back, exit 0
            result = services.refresh(config, full=full, lock_wait=wait)
    except LockBusy as exc:
        raise LockBusy(f"{exc} Or add --wait SECONDS to wait for it.") from None
    except Stopped as exc:
        click.echo(f"Stopped: {exc}", err=True)
        return
    for note in result.notes:
        output.echo_text(note, err=True)
    obj.echo(result.summary_line())


@cli.command()
@click.option(
    "--dir", "directory", type=click.Path(file_okay=False, path_type=Path),
    default=Path("trialwatch-demo"), show_default=True,
    help="Folder for the demo's own config, database and report.",
)  # fmt: skip
@click.pass_obj
def demo(obj: Context, directory: Path) -> None:
    """Run the clinic's config offline on bundled archived ClinicalTrials.gov records.

    The first refresh replays the registry's 2018-05-29 snapshot, the second its 2020-07-28
    snapshot, then the report is rendered. Uses its own config and database in DIR (never the
    clinic's config.toml).

    \b
    Example:
      trialwatch demo
      trialwatch demo --dir /tmp/tw-demo
    """
    from trialwatch.demo import run_demo

    result = run_demo(directory)
    obj.echo(
        "DEMO DATA: the clinic's config over real archived registry records (snapshots of "
        "2018-05-29, then 2020-07-28), replayed offline (see PROVENANCE.md)."
    )
    for i, run in enumerate(result.refreshes, 1):
        obj.echo(f"  refresh {i}: {run.summary_line()}")
        for note in run.notes:
            obj.echo(f"    note: {note}")
    obj.echo(f"Config:   {result.config.path}")
    obj.echo(f"Database: {result.config.database_url}")
    if result.report is not None:
        obj.echo(f"Report:   {result.report}")
    for command in ("show NCT00088699", "history NCT01558063", "changes"):
        obj.echo(f"Try:      trialwatch --config {result.config.path} {command}")


@cli.command()
@click.pass_obj
def report(obj: Context) -> None:
    """Render the evidence summary (HTML) from the store alone; no network is used.

    Written into [report] dir as a whole: a failed render leaves the previous report as it was.

    \b
    Example:
      trialwatch report                        # then open reports/index.html
      trialwatch --config config.toml report
    """
    from trialwatch.services import pipeline as services

    index = services.render_report(obj.config())
    obj.echo(f"Report written: {index}")


@cli.command()
@click.option("--test", "test_message", is_flag=True, help="Send one test e-mail, then exit.")
@click.pass_obj
def alerts(obj: Context, test_message: bool) -> None:
    """Send change alerts now: rewrite feed.xml and e-mail the changes not sent yet.

    A refresh does this by itself; use it after fixing the mail settings, or with --test to
    check them. Exit 1 if the mail server refused, 2 if [alerts.email] is missing.

    \b
    Example:
      trialwatch alerts --test       # one test message to [alerts.email] to
      trialwatch alerts              # send what is pending now
    """
    from trialwatch.errors import AlertError
    from trialwatch.services import pipeline as services

    config = obj.config()
    if test_message:
        obj.echo(services.send_test_alert(config))
        return
    outcome = services.send_alerts(config)
    for note in outcome.notes:
        output.echo_text(note, err=True)
    if outcome.feed_path is not None:
        n, state = outcome.feed_entries, "written" if outcome.feed_written else "up to date"
        obj.echo(f"Feed {state}: {outcome.feed_path} ({n} {'entry' if n == 1 else 'entries'})")
    if outcome.failed:
        raise AlertError("some alerts did not go out (see above); they stay pending")
    if config.alerts.email is not None and not outcome.emailed_changes:
        obj.echo("E-mail: nothing pending.")


@cli.command()
@click.option("--once", is_flag=True, help="Run one refresh + report now, then exit.")
@click.pass_obj
def schedule(obj: Context, once: bool) -> None:
    """Run refresh + report on the [schedule] cron, in the foreground, until SIGTERM or Ctrl-C.

    A run missed while the machine slept or was off is caught up once; a failed run is retried
    with backoff. With --once (for cron and systemd timers) the exit code is the run's outcome:
    0 ok (or stopped by a signal), 1 failed.

    \b
    Example:
      trialwatch schedule            # long-running service (see deploy/trialwatch.service)
      trialwatch schedule --once     # one run, from cron or deploy/trialwatch.timer
    """
    from trialwatch.schedule import service as scheduler

    if obj.verbosity == 0:  # a service's log is its output: one line per run
        logging.getLogger("trialwatch").setLevel(logging.INFO)
    from trialwatch.services.pipeline import check_report_dir

    config = obj.config()
    check_report_dir(config)  # bad config: exit 2 before anything runs
    if once:
        if scheduler.run_once(config) is scheduler.jobs.Outcome.FAILED:
            sys.exit(1)
        return
    scheduler.serve(config)


# the schema's commands, and the staff commands: reading the store, and reaching outside it
for command in (db_commands.db,
                commands.show, commands.history, commands.changes, commands.status,
                commands_io.search, commands_io.export,
                archive_commands.import_archives, archive_commands.backfill):  # fmt: skip
    cli.add_command(command)


def main() -> None:
    """Entry point: run the CLI, turning trialwatch errors into one line and an exit code."""
    try:
        cli.main(standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(1)
    except click.UsageError as exc:  # one line, exit code 2
        click.echo(usage_line(exc), err=True)
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except TrialwatchError as exc:
        output.echo_text(f"Error: {exc}", err=True)  # an error may quote registry text
        sys.exit(exc.exit_code)
