"""`trialwatch export`: store contents as CSV, Excel or JSON through pandas.

One row per natural unit (a study; an outcome measurement of one arm; an adverse event in one arm;
a change; a study in a search). Columns are named for people. Registry values stay verbatim
("NA" stays "NA", `2019-09` stays `2019-09`) and adverse events are never pooled across arms.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, NamedTuple

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from trialwatch.config import Config
from trialwatch.domain.results import parse_adverse_events, parse_outcomes
from trialwatch.domain.summary import FIELD_LABELS, LIST_JOINERS, LISTED_FIELDS
from trialwatch.domain.text import FORMULA_START, spreadsheet_safe
from trialwatch.errors import TrialwatchError, UsageError
from trialwatch.services.collector import gc_paused
from trialwatch.services.result_exports import analysis_rows, baseline_rows
from trialwatch.store.changelog import ChangeQuery, change_log
from trialwatch.store.models import RecordVersion, SearchHit, Study
from trialwatch.store.reader import reading

FORMATS = ("csv", "xlsx", "json")


def _study_rows(session: Session) -> Iterator[dict[str, Any]]:
    for s in session.scalars(select(Study).order_by(Study.nct_id)):
        row: dict[str, Any] = {}
        for name in LISTED_FIELDS:
            value = getattr(s, name)
            if name in LIST_JOINERS:
                value = LIST_JOINERS[name].join(value or [])
            row[FIELD_LABELS[name]] = value
        yield {
            **row,
            "Stored fields": "full record" if s.scope == "full" else "search summary",
            "Registry page": f"https://clinicaltrials.gov/study/{s.nct_id}",
        }


class _Current(NamedTuple):
    nct_id: str
    version_holder: str | None


def _full_records(session: Session) -> Iterator[tuple[_Current, dict[str, Any]]]:
    """Each study stored in full that has results, with the raw JSON of its current version
    (only the columns the rows use: no ORM objects, no other JSON columns decoded)."""
    rows = session.execute(
        select(Study.nct_id, Study.version_holder, RecordVersion.raw)
        .join(RecordVersion, RecordVersion.id == Study.current_version_id)
        .where(Study.scope == "full", Study.has_results.is_(True))
        .order_by(Study.nct_id)
        .execution_options(yield_per=200)  # streamed: a store's records never all in memory
    )
    for nct_id, version_holder, raw in rows:
        yield _Current(nct_id, version_holder), raw if isinstance(raw, dict) else {}


def _outcome_rows(session: Session) -> Iterator[dict[str, Any]]:
    for study, raw in _full_records(session):
        for number, outcome in enumerate(parse_outcomes(raw), 1):
            groups = {g.id: g.title for g in outcome.groups}
            for m in outcome.measurements:
                row_denoms = outcome.denoms_for_class(m.class_title) or outcome.denoms
                analysed = row_denoms[0].count_for(m.group_id) if row_denoms else None
                yield {
                    "NCT ID": study.nct_id,
                    "Record version": study.version_holder,
                    "Outcome number": number,
                    "Outcome type": outcome.type,
                    "Outcome title": outcome.title,
                    "Time frame": outcome.time_frame,
                    "Unit": outcome.unit,
                    "Measure": outcome.param_type,
                    "Dispersion": outcome.dispersion_type,
                    "Arm ID": m.group_id,
                    "Arm": groups.get(m.group_id),
                    "Class": m.class_title,
                    "Category": m.category_title,
                    "Value": m.value,
                    "Spread": m.spread,
                    "Lower limit": m.lower_limit,
                    "Upper limit": m.upper_limit,
                    "Comment": m.comment,
                    "Number analysed": analysed.value if analysed else None,
                    "Units analysed": row_denoms[0].units if row_denoms else None,
                }


def _analysis_rows(session: Session) -> Iterator[dict[str, Any]]:
    for study, raw in _full_records(session):
        yield from analysis_rows(study.nct_id, study.version_holder, raw)


def _baseline_rows(session: Session) -> Iterator[dict[str, Any]]:
    for study, raw in _full_records(session):
        yield from baseline_rows(study.nct_id, study.version_holder, raw)


def _adverse_event_rows(session: Session) -> Iterator[dict[str, Any]]:
    for study, raw in _full_records(session):
        events = parse_adverse_events(raw)
        if events is None:
            continue
        groups = {g.id: g for g in events.groups}
        for event in events.serious + events.other:
            for stat in event.stats:
                group = groups.get(stat.group_id)
                yield {
                    "NCT ID": study.nct_id,
                    "Record version": study.version_holder,
                    "Serious": event.serious,
                    "Event": event.term,
                    "Organ system": event.organ_system,
                    "Arm ID": stat.group_id,
                    "Arm": group.title if group else None,
                    "Participants affected": stat.num_affected,
                    "Participants at risk": stat.num_at_risk,
                    "Events": stat.num_events,
                    "Assessment": event.assessment_type,
                    "Vocabulary": event.source_vocabulary,
                    "Notes": event.notes,
                    "Time frame": events.time_frame,
                }


def _change_rows(session: Session) -> Iterator[dict[str, Any]]:
    for c in change_log(session, ChangeQuery(oldest_first=True)):
        yield {
            "Detected (UTC)": c.detected_at,
            "NCT ID": c.nct_id,
            "Brief title": c.brief_title,
            "Search": c.search_name,
            "Field": c.field,
            "Old value": c.old,
            "New value": c.new,
            "Severity": c.severity,
            "Alert sent (UTC)": c.notified_at,
        }


def _search_hit_rows(session: Session) -> Iterator[dict[str, Any]]:
    rows = session.execute(
        select(SearchHit, Study)
        .outerjoin(Study, Study.nct_id == SearchHit.nct_id)
        .order_by(SearchHit.search_name, SearchHit.nct_id)
    )
    for hit, study in rows:
        yield {
            "Search": hit.search_name,
            "NCT ID": hit.nct_id,
            "Brief title": study.brief_title if study else None,
            "Overall status": study.overall_status if study else None,
            "Phases": ", ".join(study.phases or []) if study else None,
            "Enrollment": study.enrollment if study else None,
            "Has results": study.has_results if study else None,
            "In the search now": hit.present,
            "First seen (UTC)": hit.first_seen,
            "Last seen (UTC)": hit.last_seen,
            "Left the search (UTC)": hit.left_at,
        }


def _related_result_rows(session: Session) -> Iterator[dict[str, Any]]:
    """Each related search's members with posted results and a stored full record."""
    from trialwatch.domain.related import export_rows

    rows = session.execute(
        select(SearchHit.search_name, Study.nct_id, RecordVersion.raw)
        .join(Study, Study.nct_id == SearchHit.nct_id)
        .join(RecordVersion, RecordVersion.id == Study.current_version_id)
        .where(SearchHit.present, Study.has_results.is_(True), RecordVersion.scope == "full")
        .order_by(SearchHit.search_name, Study.nct_id)
    )
    for search, _nct, raw in rows:
        if isinstance(raw, dict):
            yield from ({"Search": search} | row for row in export_rows(raw))


WHAT: dict[str, Callable[[Session], Iterator[dict[str, Any]]]] = {
    "studies": _study_rows,
    "outcomes": _outcome_rows,
    "analyses": _analysis_rows,
    "baseline": _baseline_rows,
    "adverse-events": _adverse_event_rows,
    "changes": _change_rows,
    "search-hits": _search_hit_rows,
    "related-results": _related_result_rows,
}


# the headings an export with no rows still has
EMPTY_COLUMNS = {
    "studies": ["NCT ID", "Brief title", "Overall status", "Phases", "Enrollment"],
    "outcomes": ["NCT ID", "Outcome type", "Outcome title", "Arm", "Value"],
    "analyses": ["NCT ID", "Outcome title", "Groups compared", "Estimate", "p-value"],
    "baseline": ["NCT ID", "Measure", "Arm", "Value", "Number analysed"],
    "adverse-events": ["NCT ID", "Serious", "Event", "Arm", "Participants affected"],
    "changes": ["Detected (UTC)", "NCT ID", "Field", "Old value", "New value", "Severity"],
    "search-hits": ["Search", "NCT ID", "Brief title", "In the search now"],
    "related-results": ["Search", "NCT ID", "Primary outcome", "Groups compared", "Estimate"],
}


def frame(session: Session, what: str) -> pd.DataFrame:
    """The export as a DataFrame (columns present even when there are no rows)."""
    rows = list(WHAT[what](session))
    if rows:
        # nullable dtypes: an enrollment of 317 beside a missing one stays 317, not 317.0
        return pd.DataFrame(rows).convert_dtypes()
    return pd.DataFrame(columns=EMPTY_COLUMNS[what])


def format_for(path: Path, explicit: str | None) -> str:
    if explicit:
        return explicit.lower()
    suffix = path.suffix.lower().lstrip(".")
    if suffix in FORMATS:
        return suffix
    raise UsageError(f"cannot tell the format from {path.name!r}: add --format csv, xlsx or json")


def write(df: pd.DataFrame, path: Path, fmt: str, *, sheet: str) -> None:
    """Write `df`; datetimes become timezone-free UTC for Excel, ISO 8601 text in JSON."""
    if not path.parent.is_dir():
        raise UsageError(f"folder {path.parent} does not exist")
    _prepare(df)
    try:
        _write_as(df, path, fmt, sheet)
    except OSError as exc:  # /dev/full, a read-only mount, a folder that is not one
        raise ExportError(f"could not write the export to {path}: {exc.strerror or exc}") from None


class ExportError(TrialwatchError):
    """The export file could not be written."""


def _write_as(df: pd.DataFrame, path: Path, fmt: str, sheet: str) -> None:
    if fmt == "csv":
        _csv_safe(df).to_csv(path, index=False)
    elif fmt == "xlsx":
        with pd.ExcelWriter(path, engine="openpyxl") as excel:
            df.to_excel(excel, index=False, sheet_name=sheet[:31])
            _no_formulas(excel.sheets[sheet[:31]])
    elif fmt == "json":
        df.to_json(path, orient="records", date_format="iso", indent=2, force_ascii=False)
    else:  # pragma: no cover - click restricts the choice
        raise UsageError(f"unknown format {fmt!r}")


def _csv_safe(df: pd.DataFrame) -> pd.DataFrame:
    """Text cells neutralised against formulas (OWASP), as a spreadsheet would read them."""
    text = df.select_dtypes(include=["object", "string"]).columns
    return df.assign(**{c: _safe_column(df[c]) for c in text})


def _safe_column(column: pd.Series) -> pd.Series:
    if not isinstance(column.dtype, pd.StringDtype):  # mixed values: cell by cell
        return column.map(_csv_cell, na_action="ignore")
    # vectorised first look: only the few cells that start like a formula are checked one by one
    risky = column.str.startswith(FORMULA_START, na=False).astype(bool)
    if not risky.any():
        return column
    safe = column.copy()
    safe[risky] = column[risky].map(spreadsheet_safe)
    return safe


def _csv_cell(value: Any) -> Any:
    return spreadsheet_safe(value) if isinstance(value, str) else value


def _no_formulas(sheet: Any) -> None:
    """Registry text is never a formula: openpyxl makes one of any text starting with `=`."""
    for row in sheet.iter_rows():
        for cell in row:
            if cell.data_type == "f":
                cell.data_type = "s"


def _prepare(df: pd.DataFrame) -> None:
    for column in df.columns:
        if isinstance(df[column].dtype, pd.DatetimeTZDtype):
            df[column] = df[column].dt.tz_convert("UTC").dt.tz_localize(None)


STREAM_ROWS = 20_000  # rows per piece of a streamed CSV or JSON export


def chunks(rows: Iterator[dict[str, Any]], size: int) -> Iterator[pd.DataFrame]:
    """The rows as DataFrames of `size` rows (nullable dtypes, as `frame` gives)."""
    piece: list[dict[str, Any]] = []
    for row in rows:
        piece.append(row)
        if len(piece) == size:
            yield pd.DataFrame(piece).convert_dtypes()
            piece = []
    if piece:
        yield pd.DataFrame(piece).convert_dtypes()


def stream(rows: Iterator[dict[str, Any]], path: Path, fmt: str) -> int:
    """Write CSV or JSON piece by piece (the same bytes `write` gives for the whole frame);
    returns the number of rows, 0 if there were none (nothing is written then)."""
    count = 0
    with open(path, "w", encoding="utf-8", newline="") as handle:
        for df in chunks(rows, STREAM_ROWS):
            _prepare(df)
            if fmt == "csv":
                _csv_safe(df).to_csv(handle, index=False, header=count == 0)
            else:  # one JSON array: each piece's records joined as to_json writes them
                text = df.to_json(orient="records", date_format="iso", indent=2,
                                  force_ascii=False)  # fmt: skip
                handle.write(("[" if count == 0 else ",") + text[1:-2])
            count += len(df)
        if fmt == "json" and count:
            handle.write("\n]")
    return count


def export_to(config: Config, what: str, path: Path, fmt: str | None = None) -> dict[str, Any]:
    """Write one export file; returns what was written (for the command's message or JSON).

    CSV and JSON stream: rows are read from the store and written in pieces, so memory stays
    flat for any store. Written to a temporary file beside the target, then renamed: a failed
    export leaves no half-written file. Excel (at most 1,048,576 rows anyway) is built whole."""
    fmt = format_for(path, fmt)
    if not path.parent.is_dir():
        raise UsageError(f"folder {path.parent} does not exist")
    # a device or a pipe (/dev/stdout, /dev/full) is written to, never replaced by a file
    direct = path.exists() and not path.is_file()
    target = path if direct else path.with_name(f".{path.name}.partial")
    try:
        with reading(config.database_url, config.path) as session:
            rows = 0
            if fmt in ("csv", "json"):
                try:
                    with gc_paused():
                        rows = stream(WHAT[what](session), target, fmt)
                except OSError as exc:
                    raise ExportError(
                        f"could not write the export to {path}: {exc.strerror or exc}"
                    ) from None
            if rows == 0:
                df = frame(session, what)
                write(df, target, fmt, sheet=what)
                rows = len(df)
        if not direct:
            os.replace(target, path)
    finally:
        if not direct:
            with contextlib.suppress(OSError):  # a read-only mount refuses even this
                target.unlink(missing_ok=True)
    return {"what": what, "format": fmt, "path": str(path.resolve()), "rows": rows}
