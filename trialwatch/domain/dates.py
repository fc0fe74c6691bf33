"""The registry's partial dates (`yyyy`, `yyyy-MM`, `yyyy-MM-dd`): pure helpers."""

from __future__ import annotations


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
