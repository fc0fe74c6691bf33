"""Pure: flags raised by a study's whole stored history, every version (fetched, imported or
back-filled) taken into account. Each flag says what it found, in words and as data, and names
the versions it comes from. Nothing here judges the study; a flag points at what a reader of the
evidence should know.

- the primary outcome changed after the study started, or after its primary completion date
- enrollment against the first registered figure (planned N -> actual M, as a percentage)
- the primary completion date moved (from what to what, how many times)
- the study was registered after it started (how long after)
- results were submitted long (more than a year) after primary completion
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, NamedTuple

from trialwatch.domain.change_rules import DATE_NOTABLE_DAYS, ENROLLMENT_NOTABLE
from trialwatch.domain.dates import to_date
from trialwatch.domain.raw import obj, objs, text
from trialwatch.domain.records import ENROLLMENT_SENTINEL

RESULTS_LATE_DAYS = 365  # results are due a year after primary completion (FDAAA 801)
FLAG_TITLES = {
    "primary_outcome_after_primary_completion": "Primary outcome changed after primary completion",
    "primary_outcome_after_start": "Primary outcome changed after the start",
    "enrollment_vs_first_plan": "Enrollment against the first registered figure",
    "primary_completion_moved": "Primary completion date moved",
    "registered_after_start": "Registered after the study started",
    "results_submitted_late": "Results submitted late",
}


class HistoryVersion(NamedTuple):
    version: int  # trialwatch's version number
    observed: date | None  # when this version was seen (fetched, or the archive's date)
    record: dict[str, Any]


@dataclass(frozen=True)
class HistoryFlag:
    code: str
    words: str
    versions: tuple[int, ...]  # the version numbers it comes from
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def title(self) -> str:
        return FLAG_TITLES.get(self.code, self.code.replace("_", " ").capitalize())

    def as_json(self) -> dict[str, Any]:
        return {"code": self.code, "title": self.title, "words": self.words,
                "versions": list(self.versions), "details": self.details}  # fmt: skip


def history_flags(versions: Sequence[HistoryVersion]) -> list[HistoryFlag]:
    """Flags from every version, oldest first as given."""
    if not versions:
        return []
    return [
        *_primary_outcome_flags(versions),
        *_enrollment_flag(versions),
        *_completion_moves(versions),
        *_registered_late(versions),
        *_results_late(versions),
    ]


def _status(record: dict[str, Any]) -> dict[str, Any]:
    return obj(record, "protocolSection", "statusModule")


def _date(record: dict[str, Any], struct: str) -> str | None:
    return text(obj(_status(record), struct), "date")


def _last_update(record: dict[str, Any]) -> str | None:
    return _date(record, "lastUpdatePostDateStruct") or text(
        _status(record), "lastUpdateSubmitDate"
    )


def _primaries(record: dict[str, Any]) -> dict[str, str]:
    """{folded measure text: 'measure (time frame: …)'} of the primary outcomes."""
    out = {}
    for o in objs(obj(record, "protocolSection", "outcomesModule"), "primaryOutcomes"):
        measure = " ".join((text(o, "measure") or "").split())
        frame = text(o, "timeFrame")
        out[measure.casefold()] = f"{measure} (time frame: {frame})" if frame else measure
    return out


def _primary_outcome_flags(versions: Sequence[HistoryVersion]) -> list[HistoryFlag]:
    out = []
    for a, b in zip(versions, versions[1:], strict=False):
        before, after = _primaries(a.record), _primaries(b.record)
        if set(before) == set(after) or not before or not after:
            continue
        # the change was posted after `a` was current and by `b`'s last update
        earliest = max(d for d in (to_date(_last_update(a.record)), a.observed, date.min) if d)
        change = _PrimaryChange(a, b, before, after, earliest)
        completion = _date(b.record, "primaryCompletionDateStruct")
        start = _date(b.record, "startDateStruct")
        for code, reference, words in (
            ("primary_outcome_after_primary_completion", completion, "primary completion"),
            ("primary_outcome_after_start", start, "the study started"),
        ):
            ref = to_date(reference, month_end=True)
            if ref is not None and earliest > ref:
                out.append(_primary_flag(change, code, words, reference))
                break
    return out


@dataclass(frozen=True)
class _PrimaryChange:
    """The primary outcomes of version `a` (`before`) and of the next one, `b` (`after`), which
    were changed no earlier than `earliest`."""

    a: HistoryVersion
    b: HistoryVersion
    before: dict[str, str]
    after: dict[str, str]
    earliest: date


def _primary_flag(
    change: _PrimaryChange, code: str, after_what: str, reference: str | None
) -> HistoryFlag:
    a, b, before, after = change.a, change.b, change.before, change.after
    removed = [v for k, v in before.items() if k not in after]
    added = [v for k, v in after.items() if k not in before]
    verb = "replaced" if removed and added else "changed"
    by = _last_update(b.record) or (b.observed.isoformat() if b.observed else "?")
    words = (
        f"Primary outcome {verb} after {after_what} ({reference}): changed between "
        f"{change.earliest.isoformat()} and {by} ({_named(a.version, b.version)}). "
        f"Before: {'; '.join(removed) or '(none)'}. After: {'; '.join(added) or '(none)'}."
    )
    details = {"reference_date": reference, "changed_after": change.earliest.isoformat(),
               "changed_by": by, "before": removed, "after": added}  # fmt: skip
    return HistoryFlag(code, words, (a.version, b.version), details)


def _enrollment(record: dict[str, Any]) -> tuple[int | None, str | None]:
    info = obj(record, "protocolSection", "designModule", "enrollmentInfo")
    count = info.get("count")
    # the parser's rule: a whole number, not negative, not the "unknown" sentinel
    ok = (
        isinstance(count, int) and not isinstance(count, bool) and 0 <= count != ENROLLMENT_SENTINEL
    )
    return (count if ok else None), text(info, "type")


def _enrollment_flag(versions: Sequence[HistoryVersion]) -> list[HistoryFlag]:
    counted = [
        (v, *_enrollment(v.record)) for v in versions if _enrollment(v.record)[0] is not None
    ]
    actual = [c for c in counted if c[2] == "ACTUAL"]
    if not counted or not actual:
        return []
    (first, planned, kind), (last, final, _) = counted[0], actual[-1]
    if first is last or not planned or final is None:
        return []
    if abs(final - planned) / planned < ENROLLMENT_NOTABLE:
        return []
    share = round(100 * final / planned)
    if kind == "ACTUAL":
        words = f"Enrollment {planned} → {final} ({share}% of the first registered figure)"
    else:
        words = f"Enrollment {planned} planned → {final} actual ({share}% of the plan)"
    words += f" ({_named(first.version, last.version)})"
    details = {"first": planned, "first_type": kind, "actual": final, "percent": share}
    return [HistoryFlag("enrollment_vs_first_plan", words, (first.version, last.version), details)]


def _completion_moves(versions: Sequence[HistoryVersion]) -> list[HistoryFlag]:
    steps: list[tuple[HistoryVersion, str, str | None]] = []
    for v in versions:
        struct = obj(_status(v.record), "primaryCompletionDateStruct")
        value = text(struct, "date")
        if value and (not steps or steps[-1][1] != value):
            steps.append((v, value, text(struct, "type")))
    moves = list(zip(steps, steps[1:], strict=False))
    far = [
        m for m in moves
        if (d1 := to_date(m[0][1])) and (d2 := to_date(m[1][1]))
        and abs((d2 - d1).days) >= DATE_NOTABLE_DAYS
    ]  # fmt: skip
    if not far:
        return []
    chain = " → ".join(f"{d}" + (f" ({k.lower()})" if k else "") for _v, d, k in steps)
    times = "once" if len(moves) == 1 else f"{len(moves)} times"
    ids = tuple(v.version for v, _d, _k in steps)
    words = f"Primary completion date moved {times}: {chain} ({_named(*ids)})"
    details = {"dates": [d for _v, d, _k in steps], "moves": len(moves)}
    return [HistoryFlag("primary_completion_moved", words, ids, details)]


def _registered_late(versions: Sequence[HistoryVersion]) -> list[HistoryFlag]:
    first, latest = versions[0], versions[-1]
    registered = text(_status(first.record), "studyFirstSubmitDate")
    start = _date(latest.record, "startDateStruct")
    reg, began = to_date(registered), to_date(start, month_end=True)
    if reg is None or began is None or reg <= began:
        return []
    words = (
        f"Registered {_span(began, reg)} after the study started "
        f"(started {start}, registered {registered}; {_named(first.version, latest.version)})"
    )
    details = {"start_date": start, "registered": registered, "days": (reg - began).days}
    return [HistoryFlag("registered_after_start", words, (first.version, latest.version), details)]


def _results_late(versions: Sequence[HistoryVersion]) -> list[HistoryFlag]:
    with_results = [v for v in versions if text(_status(v.record), "resultsFirstSubmitDate")]
    if not with_results:
        return []
    v = with_results[0]
    submitted = text(_status(v.record), "resultsFirstSubmitDate")
    struct = obj(_status(v.record), "primaryCompletionDateStruct")
    completion, kind = text(struct, "date"), text(struct, "type")
    done, sent = to_date(completion, month_end=True), to_date(submitted)
    if done is None or sent is None or (sent - done).days <= RESULTS_LATE_DAYS:
        return []
    words = (
        f"Results submitted {_span(done, sent)} after primary completion "
        f"(completed {completion}, results submitted {submitted}; {_named(v.version)})"
    )
    details = {"primary_completion": completion, "primary_completion_type": kind,
               "results_submitted": submitted, "days": (sent - done).days}  # fmt: skip
    return [HistoryFlag("results_submitted_late", words, (v.version,), details)]


def _named(*versions: int) -> str:
    """'version 2', 'versions 1 and 3', 'versions 1, 2 and 4' (each named once)."""
    ids = [str(v) for v in dict.fromkeys(versions)]
    if len(ids) == 1:
        return f"version {ids[0]}"
    return f"versions {', '.join(ids[:-1])} and {ids[-1]}"


def _span(start: date, end: date) -> str:
    """'16 days', '5 months', '3 years 11 months' (whole months, counted down)."""
    days = (end - start).days
    if days < 60:
        return f"{days} day" + ("" if days == 1 else "s")
    months = (end.year - start.year) * 12 + end.month - start.month - (end.day < start.day)
    years, rest = divmod(months, 12)
    parts = [f"{years} year" + ("" if years == 1 else "s")] if years else []
    if rest:
        parts.append(f"{rest} month" + ("" if rest == 1 else "s"))
    return " ".join(parts)
