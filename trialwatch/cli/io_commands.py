"""Staff commands that reach outside the store: `search` asks the live registry, `export` writes
files (the commands that only read the store are in `trialwatch.cli.lookups`).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from trialwatch.cli import output
from trialwatch.cli.lookups import MAX_COUNT

if TYPE_CHECKING:
    from trialwatch.cli.context import Context


def _statuses(values: tuple[str, ...]) -> list[str]:
    return [part for value in values for part in value.split(",") if part.strip()]


@click.command()
@click.argument("terms", nargs=-1)
@click.option("--cond", default="", metavar="TEXT", help="Condition or disease (query.cond).")
@click.option("--intr", default="", metavar="TEXT", help="Intervention (query.intr).")
@click.option(
    "--status", "statuses", multiple=True, metavar="STATUS",
    help="Overall status, e.g. recruiting or 'not yet recruiting'; repeat or use commas.",
)  # fmt: skip
@click.option(
    "--phase", "phases", multiple=True, metavar="PHASE",
    help="Phase 1, 2, 3, 4, 'early 1' or NA; repeat for any of several.",
)  # fmt: skip
@click.option(
    "--limit", type=click.IntRange(min=1, max=MAX_COUNT), default=50, show_default=True,
    help="Show at most this many studies (fetched page by page).",
)  # fmt: skip
@output.json_option
@click.pass_obj
def search(
    obj: Context,
    terms: tuple[str, ...],
    cond: str,
    intr: str,
    statuses: tuple[str, ...],
    phases: tuple[str, ...],
    limit: int,
    as_json: bool,
) -> None:
    """Search the live registry now (nothing is stored).

    \b
    Example:
      trialwatch search --intr ketamine --cond depression --status recruiting
      trialwatch search esketamine --phase 3 --limit 200 --json > hits.json
    """
    from trialwatch.ctgov.live import search_params
    from trialwatch.services import pipeline as services

    params = search_params(
        " ".join(terms), cond=cond, intr=intr, statuses=_statuses(statuses), phases=phases
    )
    config = obj.config()
    with obj.progress() as bar:
        outcome = services.search_registry(
            config, params, limit=limit,
            on_page=lambda n, total: bar.update(f"{n} of {total or '?'} studies fetched…"),
        )  # fmt: skip
    if as_json:
        output.echo_json(outcome.as_dict())
        return
    from trialwatch.cli.views import search_text

    if outcome.studies:
        output.echo_text(search_text(outcome.as_dict()))
    total = outcome.total_count if outcome.total_count is not None else "?"
    more = " (use --limit to see more)" if outcome.more else ""
    obj.note(f"{len(outcome.studies)} of {total} matching studies shown{more}.")


@click.command()
@click.option(
    "--what", required=True,
    type=click.Choice(
        ["studies", "outcomes", "analyses", "baseline", "adverse-events", "changes", "search-hits",
         "related-results"]
    ),
    help="studies; outcomes (one row per arm and measurement); analyses (one row per registered "
    "analysis); baseline (one row per arm and baseline value); adverse-events (one row per "
    "arm and event, never pooled); changes; search-hits (one row per study in a search); "
    "related-results (one row per search, study with posted results, primary outcome and "
    "analysis).",
)  # fmt: skip
@click.option(
    "--format", "fmt", type=click.Choice(["csv", "xlsx", "json"], case_sensitive=False),
    help="File format (default: from the file name).",
)  # fmt: skip
@click.option(
    "-o", "--output", "path", required=True, metavar="FILE",
    type=click.Path(dir_okay=False, path_type=Path), help="File to write (replaced if present).",
)  # fmt: skip
@output.json_option
@click.pass_obj
def export(obj: Context, what: str, fmt: str | None, path: Path, as_json: bool) -> None:
    """Write stored data to CSV, Excel or JSON, one row per natural unit.

    \b
    Example:
      trialwatch export --what search-hits -o related-trials.xlsx
      trialwatch export --what adverse-events --format csv -o ae.csv
    """
    from trialwatch.services.exports import export_to

    config = obj.config()
    with obj.progress() as bar:
        bar.update(f"Exporting {what}…")
        result = export_to(config, what, path, fmt)
    if as_json:
        output.echo_json(result)
    else:
        obj.echo(f"Wrote {result['rows']} rows ({what}) to {result['path']}")
