"""The registry's partial dates (`yyyy`, `yyyy-MM`, `yyyy-MM-dd`): pure helpers."""

from __future__ import annotations

from datetime import date

from dateutil.relativedelta import relativedelta


def date_precision(date: str | None) -> str | None:
    """'year', 'month' or 'day' for the registry's partial dates; None if not one."""
    if not date:
        return None
    parts = date.split("-")
    if not all(p.isdigit() for p in parts) or len(parts[0]) != 4:
        return None
    if len(parts) == 1:
        return "year"
    if len(parts) == 2 and len(parts[1]) == 2:
        return "month"
    if len(parts) == 3 and len(parts[1]) == 2 and len(parts[2]) == 2:
        return "day"
    return None


def to_date(value: str | None, *, month_end: bool = False) -> date | None:
    """A registry partial date as a date: first day of the month/year (or the last, if asked)."""
    if not value:
        return None
    try:
        parts = [int(p) for p in value.split("-")]
        if len(parts) == 1:
            return date(parts[0], 12, 31) if month_end else date(parts[0], 1, 1)
        if len(parts) == 2:
            first = date(parts[0], parts[1], 1)
            return first + relativedelta(day=31) if month_end else first  # day=31: the last
        return date(parts[0], parts[1], parts[2])
    except (ValueError, TypeError):
        return None
