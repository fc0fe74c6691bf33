"""Pure: changes grouped the way alerts show them, one notice per study per refresh run.

A run often changes several fields of one study at once (status, why stopped, a date). One
notice per study and run keeps a feed reader or an inbox readable; each notice lists every
change in it with its severity.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from trialwatch.domain.change import LoggedChange
from trialwatch.domain.change_words import MAX_VALUE_CHARS as MAX_VALUE_CHARS
from trialwatch.domain.change_words import change_label as change_label
from trialwatch.domain.change_words import critical_words, field_words
from trialwatch.domain.change_words import shorten as shorten
from trialwatch.domain.pages import INDEX_PAGE, REGISTRY_URL
from trialwatch.domain.severity import SEVERITIES, severity_rank


@dataclass(frozen=True)
class StudyNotice:
    nct_id: str
    title: str | None  # the study's brief title: registry text, escaped wherever it is shown
    run_id: int | None
    detected_at: datetime
    changes: tuple[LoggedChange, ...]
    page: str = INDEX_PAGE  # the report page that shows this study

    @property
    def severity(self) -> str:
        """The most severe change in the notice."""
        return min((c.severity for c in self.changes), key=severity_rank)

    @property
    def registry_url(self) -> str:
        return REGISTRY_URL.format(nct=self.nct_id)

    def report_url(self, base: str) -> str:
        """The study's section of the report, relative to the report folder unless `base` is set."""
        return join_url(base, self.page)

    def headline(self) -> str:
        """Critical changes first, in a few words each; then what else changed."""
        critical = [critical_words(c) for c in self.changes if c.severity == "critical"]
        rest = [field_words(c) for c in self.changes if c.severity != "critical"]
        lead = "; ".join(dict.fromkeys(critical))
        others = ", ".join(dict.fromkeys(rest))
        return f"{self.nct_id} ({self.severity}): " + "; ".join(p for p in (lead, others) if p)


def at_or_above(min_severity: str) -> list[str]:
    """The severities an alert with this threshold includes ("notable": critical and notable)."""
    return [s for s in SEVERITIES if severity_rank(s) <= severity_rank(min_severity)]


def group_changes(
    changes: Iterable[LoggedChange],
    titles: dict[str, str | None],
    pages: dict[str, str] | None = None,
) -> list[StudyNotice]:
    """One notice per (run, study), newest first; changes inside in the order they were logged.

    A run logs all its changes with one detection time; changes logged outside a run (a live
    lookup) have no run id, and their detection time keeps them apart.
    """
    groups: dict[tuple[int | None, datetime, str], list[LoggedChange]] = {}
    for change in sorted(changes, key=lambda c: c.id or 0):
        if change.detected_at is None:
            raise ValueError("only logged changes are grouped into notices")
        key = (change.run_id, change.detected_at, change.nct_id)
        groups.setdefault(key, []).append(change)
    notices = [
        StudyNotice(nct_id=nct, title=titles.get(nct), run_id=run_id, detected_at=detected,
                    changes=tuple(items), page=(pages or {}).get(nct, INDEX_PAGE))
        for (run_id, detected, nct), items in groups.items()
    ]  # fmt: skip
    notices.sort(key=lambda n: max(c.id or 0 for c in n.changes), reverse=True)
    return notices


def notice_id(namespace: uuid.UUID, notice: StudyNotice) -> str:
    """A permanent Atom id: the same run and study always give the same id.

    It derives from the run and the detection time, not from which changes pass the severity
    threshold, so changing the threshold updates an entry instead of duplicating it; and a
    database rebuilt from scratch (run ids starting again at 1) never reuses an old id.
    """
    stamp = notice.detected_at.astimezone(UTC).isoformat()
    return uuid.uuid5(namespace, f"{notice.nct_id}/run-{notice.run_id}/{stamp}").urn


def feed_namespace(report_dir: Path) -> uuid.UUID:
    """The feed's own UUID: stable for a report folder, distinct between installations."""
    return uuid.uuid5(uuid.NAMESPACE_URL, report_dir.resolve().as_uri() + "/feed.xml")


def join_url(base: str, path: str) -> str:
    if not base:
        return path
    return base.rstrip("/") + "/" + path


def atom_time(moment: datetime) -> str:
    """RFC 3339 in UTC, as Atom wants it."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
