"""Pure pandas aggregation of a related search: counts, new entries and a table grouped by status.

Input is plain rows (one dict per study, the stored summary fields); output is plain data the
templates and charts read. No I/O.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from trialwatch.domain.wording import STATUS_ORDER, phase_words, status_words

COLUMNS = [
    "nct_id", "brief_title", "overall_status", "phases", "start_date", "enrollment", "has_results",
]  # fmt: skip


@dataclass(frozen=True)
class StudyRow:
    nct_id: str
    title: str
    status: str | None
    phase: str
    start_date: str | None
    enrollment: int | None
    has_results: bool


@dataclass(frozen=True)
class SearchEvidence:
    total: int
    with_results: int
    by_status: list[tuple[str, int]]  # (status code, count), most common first within our order
    by_phase: list[tuple[str, int]]  # (phase words, count)
    status_by_phase: pd.DataFrame  # rows: status words, columns: phase words
    start_years: list[tuple[int, int]]  # (year, count); studies without a start date left out
    no_start_date: int
    grouped: list[tuple[str, list[StudyRow]]]  # (status code, its studies newest first)
    new: list[StudyRow] = field(default_factory=list)


def frame(rows: Iterable[Mapping[str, Any]]) -> pd.DataFrame:
    df = pd.DataFrame(list(rows), columns=COLUMNS)
    df["phase"] = df["phases"].map(phase_words)
    df["status"] = df["overall_status"].fillna("")
    df["has_results"] = df["has_results"].fillna(False).astype(bool)
    # Start year from the registry's partial date ('2012', '2012-02', '2012-02-03').
    df["start_year"] = pd.to_numeric(df["start_date"].str.slice(0, 4), errors="coerce")
    return df


def _status_key(code: str) -> int:
    return STATUS_ORDER.index(code) if code in STATUS_ORDER else len(STATUS_ORDER)


def _rows(df: pd.DataFrame) -> list[StudyRow]:
    def clean(value: Any) -> Any:
        return None if value is None or (isinstance(value, float) and pd.isna(value)) else value

    records: list[dict[str, Any]] = df.to_dict("records")  # type: ignore[assignment]
    return [
        StudyRow(
            nct_id=r["nct_id"],
            title=clean(r["brief_title"]) or "(no title registered)",
            status=clean(r["overall_status"]),
            phase=r["phase"],
            start_date=clean(r["start_date"]),
            enrollment=None if clean(r["enrollment"]) is None else int(r["enrollment"]),
            has_results=bool(r["has_results"]),
        )
        for r in records
    ]


def summarise(rows: Iterable[Mapping[str, Any]], new_ids: Iterable[str] = ()) -> SearchEvidence:
    """Counts by status and phase, results posted, start years and the grouped table."""
    df = frame(rows)
    by_status = df.groupby("status").size()
    statuses = sorted(by_status.index, key=_status_key)
    by_phase = df.groupby("phase").size().sort_values(ascending=False, kind="stable")
    crosstab = pd.crosstab(df["status"].map(status_words), df["phase"])
    crosstab = crosstab.reindex([status_words(s) for s in statuses if s in by_status.index])
    years = df["start_year"].dropna().astype(int).value_counts().sort_index()
    # Newest start first inside each status; a missing date sorts last.
    ordered = df.sort_values(["start_date", "nct_id"], ascending=[False, True], na_position="last")
    grouped = [(s, _rows(ordered[ordered["status"] == s])) for s in statuses]
    wanted = set(new_ids)
    return SearchEvidence(
        total=len(df),
        with_results=int(df["has_results"].sum()),
        by_status=[(s, int(by_status[s])) for s in statuses],
        by_phase=[(str(p), int(n)) for p, n in by_phase.items()],
        status_by_phase=crosstab,
        start_years=list(zip(years.index.tolist(), years.tolist(), strict=True)),
        no_start_date=int(df["start_year"].isna().sum()),
        grouped=grouped,
        new=_rows(ordered[ordered["nct_id"].isin(wanted)]) if wanted else [],
    )
