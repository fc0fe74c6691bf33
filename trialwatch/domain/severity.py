"""How much a logged change matters, most severe first: one list for config, changes, alerts."""

from __future__ import annotations

SEVERITIES = ("critical", "notable", "minor")


def severity_rank(severity: str) -> int:
    """0 for the most severe; lower ranks sort first."""
    return SEVERITIES.index(severity)
