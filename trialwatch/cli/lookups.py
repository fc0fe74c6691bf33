"""Staff commands that read the store: show, history, changes, status (search and export are in
`trialwatch.cli.io_commands`; `trialwatch.cli.main` adds both to the group).

Each parses its options, loads the config, calls one function and prints. Queries live in
`trialwatch.services.lookups` and `trialwatch.services.status`, text views in
`trialwatch.cli.views`, files in `trialwatch.services.exports`. Heavy modules (requests, pandas)
are imported only by the commands that need them, so `show` starts fast.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

import click

from trialwatch.cli import output
from trialwatch.domain.severity import SEVERITIES
from trialwatch.errors import UsageError

if TYPE_CHECKING:
    from trialwatch.cli.context import Context

LIVE_LOCK_WAIT = 10.0  # seconds `show --live` waits for a running refresh before giving up


@click.command()
@click.argument("nct_id")
@click.option("--live", is_flag=True, help="Fetch the record from the registry now and store it.")
@output.json_option
@click.pass_obj
def show(obj: Context, nct_id: str, live: bool, as_json: bool) -> None:
    """A study from the store: status, dates, results, primary outcomes, latest changes.

    NCT_ID may be lower case (nct01558063). With -v, every change is listed
    (by default the latest 10).

    \b
    Example:
      trialwatch show NCT01558063
      trialwatch show nct01558063 --live      # ask the registry now
      trialwatch show NCT01558063 --json | jq .overall_status
    """
    from trialwatch.domain.ids import normalize_nct_id
    from trialwatch.services.lookups import LATEST_CHANGES, get_study

    nct = normalize_nct_id(nct_id)
    config = obj.config()
    if live:
        from trialwatch.services import pipeline as services

        with obj.progress() as bar:
            bar.update(f"Fetching {nct} from ClinicalTrials.gov…")
            fetched = services.fetch_study(config, nct, lock_wait=LIVE_LOCK_WAIT)
        obj.note(fetched.note)
        obj.note(f"Stored a new version of {fetched.nct_id}." if fetched.new_version else None)
        nct = fetched.nct_id
    detail = get_study(config, nct, changes_limit=None if obj.verbosity > 0 else LATEST_CHANGES)
    if as_json:
        output.echo_json(detail)
    else:
        from trialwatch.cli.views import study_text

        output.echo_text(study_text(detail))


@click.command()
@click.argument("nct_id")
@output.json_option
@click.pass_obj
def history(obj: Context, nct_id: str, as_json: bool) -> None:
    """The versions of a study seen so far and the field changes between them.

    \b
    Example:
      trialwatch history NCT02552212
      trialwatch history NCT02552212 --json
    """
    from trialwatch.domain.ids import normalize_nct_id
    from trialwatch.services.lookups import get_history

    nct = normalize_nct_id(nct_id)
    result = get_history(obj.config(), nct)
    if as_json:
        output.echo_json(result)
    else:
        from trialwatch.cli.views import history_text

        output.echo_text(history_text(result))


MAX_COUNT = 10**9  # --limit, --runs: beyond this a database cannot take the number

_RELATIVE = re.compile(r"^([0-9]+)\s*([dw])$")


def parse_since(text: str, *, now: datetime | None = None) -> datetime:
    """`2026-11-01`, `2026-11-01T08:00`, `7d` or `2w` -> an aware UTC datetime."""
    raw = text.strip().lower()
    now = now or datetime.now(UTC)
    if match := _RELATIVE.match(raw):
        days = int(match.group(1)) * (7 if match.group(2) == "w" else 1)
        try:
            return now - timedelta(days=days)
        except OverflowError:
            raise UsageError(
                f"--since {text!r}: that reaches back before the year 1; try a date instead"
            ) from None
    try:
        when = datetime.fromisoformat(raw.upper())
    except ValueError:
        raise UsageError(
            f"--since {text!r}: expected a date like 2026-11-01, a time like 2026-11-01T08:00, "
            "or a number of days or weeks like 7d or 2w"
        ) from None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


@click.command()
@click.option("--since", metavar="DATE", help="Only changes detected since (2026-11-01, 7d, 2w).")
@click.option(
    "--severity", type=click.Choice(SEVERITIES, case_sensitive=False),
    help="At least this severe: critical; notable (and critical); minor (everything).",
)  # fmt: skip
@click.option("--study", "nct_id", metavar="NCT_ID", help="Only this study's changes.")
@click.option(
    "--limit", type=click.IntRange(min=1, max=MAX_COUNT), default=100, show_default=True,
    help="Show at most this many (newest first).",
)  # fmt: skip
@click.option(
    "--unnotified", is_flag=True,
    help="Only changes no e-mail alert has carried yet (by default at or above the e-mail "
    "alert's severity).",
)  # fmt: skip
@output.json_option
@click.pass_obj
def changes(
    obj: Context,
    since: str | None,
    severity: str | None,
    nct_id: str | None,
    limit: int,
    unnotified: bool,
    as_json: bool,
) -> None:
    """The change log across everything tracked, newest first.

    \b
    Example:
      trialwatch changes --since 30d --severity notable
      trialwatch changes --study NCT01558063 --json
      trialwatch changes --unnotified     # what the next e-mail alert will carry
    """
    from trialwatch.domain.ids import normalize_nct_id
    from trialwatch.store.changelog import ChangeQuery, get_changes

    config = obj.config()
    if unnotified and not severity:
        severity = config.alerts.email_min_severity
        if config.alerts.email is None:
            obj.note("E-mail alerts are off (no [alerts.email] in the config): nothing is sent.")
    query = ChangeQuery(
        since=parse_since(since) if since else None,
        min_severity=severity.lower() if severity else None,
        nct_id=normalize_nct_id(nct_id) if nct_id else None,
        limit=limit + 1,  # one more tells whether some were left out
        unnotified=unnotified,
    )
    rows = get_changes(config, query)
    cut = len(rows) > limit
    rows = rows[:limit]
    if as_json:
        output.echo_json(rows)
        return
    from trialwatch.cli.views import changes_text

    if not rows:
        obj.note("No changes recorded" + (" that match." if since or severity or nct_id else "."))
        return
    output.echo_text(changes_text(rows))
    obj.note(f"{len(rows)} changes shown; more with --limit." if cut else None)


@click.command()
@click.option(
    "--runs", type=click.IntRange(min=1, max=MAX_COUNT), default=5, show_default=True,
    help="How many recent refresh runs to list.",
)  # fmt: skip
@click.option(
    "--check", is_flag=True,
    help="One line for monitoring; exit 0 if the data is fresh and the last run did not fail, "
    "else 1.",
)  # fmt: skip
@output.json_option
@click.pass_obj
def status(obj: Context, runs: int, check: bool, as_json: bool) -> None:
    """Recent refresh runs, what is tracked, the database, the last report, the next run.

    \b
    Example:
      trialwatch status
      trialwatch status --json | jq '.runs[0].outcome'
      trialwatch status --check || echo "trialwatch needs attention"
    """
    config = obj.config()
    if check:
        from trialwatch.services.status import health_check

        healthy, line = health_check(config)
        click.echo(output.cell(line))  # the last error may quote a server: one safe line
        raise SystemExit(0 if healthy else 1)
    from trialwatch.schedule.service import next_run  # APScheduler: only `status` pays for it
    from trialwatch.services.status import gather_status

    result = gather_status(config, runs=runs, next_run=next_run(config))
    if as_json:
        output.echo_json(result)
    else:
        from trialwatch.cli.status_view import status_text

        output.echo_text(status_text(result))
