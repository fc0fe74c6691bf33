"""The Atom 1.0 feed of changes (`feed.xml` in the report folder), from a Jinja2 template.

Rendering is pure; `write_atomic` is the only I/O. A feed reader sees either the old file or the
new one, never half of one.
"""

from __future__ import annotations

import os
import tempfile
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from trialwatch import __version__
from trialwatch.alerts.health import body_text, headline
from trialwatch.alerts.notices import (
    StudyNotice,
    atom_time,
    feed_namespace,
    join_url,
    notice_id,
)
from trialwatch.domain.pages import INDEX_PAGE
from trialwatch.report.templating import environment
from trialwatch.store.models import HealthAlert

FEED_FILE = "feed.xml"


@dataclass(frozen=True)
class FeedEntry:
    id: str
    updated: str
    report_link: str
    notice: StudyNotice


@dataclass(frozen=True)
class HealthEntry:
    """A feed entry about trialwatch itself (a failing refresh, its recovery)."""

    id: str
    updated: str
    title: str
    text: str
    category: str


def render_feed(
    notices: Sequence[StudyNotice],
    *,
    report_dir: Path,
    title: str,
    min_severity: str,
    now: datetime,
    report_url: str = "",
    health: Sequence[HealthAlert] = (),
) -> str:
    """The feed document. `notices` newest first; `now` dates a feed that has no entry yet.

    Links are relative to the feed (the report beside it) unless `report_url` says where the
    report is published.
    """
    namespace = feed_namespace(report_dir)
    entries = [
        FeedEntry(
            id=notice_id(namespace, n),
            updated=atom_time(n.detected_at),
            report_link=n.report_url(report_url),
            notice=n,
        )
        for n in notices
    ]
    health_entries = [
        HealthEntry(
            id=uuid.uuid5(namespace, f"health/{a.kind}/{a.streak_start_run_id}").urn,
            updated=atom_time(a.raised_at),
            title=headline(a),
            text=body_text(a),
            category=a.kind,
        )
        for a in health
    ]
    newest = max([n.detected_at for n in notices] + [a.raised_at for a in health], default=now)
    return (
        environment()
        .get_template("feed.atom.j2")
        .render(
            feed_id=namespace.urn,
            title=title,
            min_severity=min_severity,
            updated=atom_time(newest),
            version=__version__,
            report_link=join_url(report_url, INDEX_PAGE),
            self_link=join_url(report_url, FEED_FILE) if report_url else "",
            entries=entries,
            health_entries=health_entries,
        )
    )


def write_atomic(path: Path, text: str) -> None:
    """Write `text` to `path` through a temporary file in the same folder and os.replace."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)  # mkstemp makes it private; the feed is meant to be served
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
