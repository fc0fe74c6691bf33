"""`trialwatch export`: store contents as CSV, Excel or JSON through pandas.

The rows of each kind are trialwatch.services.export_rows; this module turns them into files:
whole (Excel, or a store with no rows) or streamed in pieces (CSV and JSON), never a
half-written one.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
from sqlalchemy.orm import Session

from trialwatch.config import Config
from trialwatch.domain.text import FORMULA_START, spreadsheet_safe
from trialwatch.errors import TrialwatchError, UsageError
from trialwatch.services.collector import gc_paused
from trialwatch.services.export_rows import EMPTY_COLUMNS, WHAT
from trialwatch.store.reader import reading

FORMATS = ("csv", "xlsx", "json")


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
