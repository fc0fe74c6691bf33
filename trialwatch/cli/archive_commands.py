"""Staff commands that add a study's past: `import` archived files, `backfill` the registry's
own version history. Both store each version at its own date."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import click

from trialwatch.cli import output
from trialwatch.errors import UsageError

if TYPE_CHECKING:
    from trialwatch.cli.context import Context
    from trialwatch.config import Config


def chosen_ids(config: Config | None, ids: tuple[str, ...], cited: bool) -> set[str] | None:
    """The studies picked by --ids (repeat or commas) and --cited; None when neither is given."""
    from trialwatch.domain.ids import normalize_nct_id

    if not ids and not cited:
        return None
    chosen = {normalize_nct_id(part) for value in ids for part in value.split(",") if part.strip()}
    if cited and config is not None:
        chosen |= {s.nct_id for s in config.studies}
    return chosen


def _snapshot_date(value: str | None) -> str | None:
    if value is None:
        return None
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise UsageError(f"--date {value!r} is not a date like 2024-06-01") from None
    if len(value) != 10 or day > datetime.now(UTC).date():
        raise UsageError(f"--date {value!r} must be a past day written yyyy-mm-dd")
    return value


@click.command("import")
@click.argument(
    "paths", nargs=-1, required=True,
    type=click.Path(exists=True, path_type=Path),
)  # fmt: skip
@click.option(
    "--ids", multiple=True, metavar="NCT…",
    help="Import only these studies (repeat or use commas).",
)  # fmt: skip
@click.option("--cited", is_flag=True, help="Import only the config's cited studies (and --ids).")
@click.option(
    "--date", "snapshot", metavar="YYYY-MM-DD",
    help="Observed date of API v2 JSON files (default: each record's versionHolder).",
)  # fmt: skip
@output.json_option
@click.pass_obj
def import_archives(
    obj: Context,
    paths: tuple[Path, ...],
    ids: tuple[str, ...],
    cited: bool,
    snapshot: str | None,
    as_json: bool,
) -> None:
    """Store archived records as versions with their own dates.

    PATH is a classic XML or API v2 JSON study file, a folder of them, a classic AllPublicXML
    ZIP or the v2 bulk download ctg-studies.json.zip. Importing the same file again adds
    nothing; a malformed file is reported and skipped; a corrupt ZIP stops the import before
    anything is stored (exit 2).

    \b
    Example:
      trialwatch import AllPublicXML.zip --cited
      trialwatch import ctg-studies.json.zip --ids NCT00088699,NCT01558063 --date 2026-11-30
      trialwatch import archive/NCT00088699__2018-05-29.xml
    """
    from trialwatch.services.importing import SHOWN_PROBLEMS, import_paths

    config = obj.config()
    chosen = chosen_ids(config, ids, cited)
    day = _snapshot_date(snapshot)
    with obj.progress() as bar:

        def show(done: int, total: int) -> None:
            if done == total or done % 50 == 0:
                bar.update(f"import {_bar(done, total)} {done:,}/{total:,} files")

        summary = import_paths(config, list(paths), ids=chosen, date=day, progress=show)
    if as_json:
        output.echo_json(
            {
                "files": summary.files, "studies": sorted(summary.studies),
                "new_versions": summary.new_versions, "changes": summary.changes,
                "skipped": dict(summary.skipped), "problems": summary.problems,
            }
        )  # fmt: skip
        return
    for problem in summary.problems[:SHOWN_PROBLEMS]:
        obj.note(f"skipped {printable(problem)}")
    if len(summary.problems) > SHOWN_PROBLEMS:
        obj.note(f"… and {len(summary.problems) - SHOWN_PROBLEMS:,} more malformed files")
    obj.echo(summary.summary_line())


@click.command()
@click.argument("nct_ids", nargs=-1, metavar="NCT…")
@click.option("--cited", is_flag=True, help="Back-fill the config's cited studies (and NCT…).")
@click.pass_obj
def backfill(obj: Context, nct_ids: tuple[str, ...], cited: bool) -> None:
    """Fetch a study's past versions from the registry's own version history.

    Asks the registry for the list of versions, then for each version not yet stored, and
    stores each at the registry's date for it. Interrupted, it keeps what it stored; run it
    again to fetch the rest.

    \b
    Example:
      trialwatch backfill --cited
      trialwatch backfill NCT00088699 NCT01558063
    """
    from trialwatch.services.backfill import backfill as run_backfill

    config = obj.config()
    chosen = chosen_ids(config, nct_ids, cited)
    if not chosen:
        raise UsageError("name the studies (NCT…) or give --cited")
    with obj.progress() as bar:

        def show(nct: str, done: int, total: int) -> None:
            bar.update(f"backfill {nct} {_bar(done, total)} version {done:,}/{total:,}")

        summary = run_backfill(config, sorted(chosen), progress=show)
    obj.echo(summary.summary_line())


def printable(text: str) -> str:
    """A file name or message for the terminal: no control characters or escape sequences."""
    return "".join(ch if ch.isprintable() else "?" for ch in output.cell(text))


def _bar(done: int, total: int, width: int = 24) -> str:
    filled = width * done // total if total else width
    return "[" + "#" * filled + "-" * (width - filled) + "]"
