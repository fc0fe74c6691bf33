"""The run log as Prometheus metrics, for node_exporter's textfile collector (`[monitoring]`).

Written after every refresh run, successful or not, from the run log itself, so the file always
says what `trialwatch status` says. `prometheus_client.write_to_textfile` writes a temporary
file and renames it: the collector never reads half a file.
"""

from __future__ import annotations

import logging
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from trialwatch.store.models import RefreshRun

log = logging.getLogger(__name__)

OUTCOMES = ("ok", "failed", "stopped", "running")
_COUNTS = {
    "requests": "Registry requests made by the last refresh run",
    "bytes": "Bytes received from the registry by the last refresh run",
    "new_versions": "New record versions stored by the last refresh run",
    "changes": "Changes logged by the last refresh run",
}


def write_metrics(session: Session, path: Path) -> None:
    """Write the newest run's figures and the last success time to `path` (Prometheus text)."""
    from prometheus_client import CollectorRegistry, Gauge, write_to_textfile

    last = session.scalars(select(RefreshRun).order_by(RefreshRun.id.desc()).limit(1)).first()
    ok = session.scalars(
        select(RefreshRun).where(RefreshRun.outcome == "ok").order_by(RefreshRun.id.desc()).limit(1)
    ).first()
    registry = CollectorRegistry()

    def gauge(name: str, doc: str, value: float, labels: dict[str, str] | None = None) -> None:
        metric = Gauge(f"trialwatch_{name}", doc, list(labels or {}), registry=registry)
        (metric.labels(**labels) if labels else metric).set(value)

    if ok is not None:
        gauge("last_success_timestamp_seconds", "When the last successful refresh finished",
              (ok.finished_at or ok.started_at).timestamp())  # fmt: skip
    if last is not None:
        gauge("last_run_timestamp_seconds", "When the last refresh run started",
              last.started_at.timestamp())  # fmt: skip
        if last.finished_at is not None:
            gauge("last_run_duration_seconds", "How long the last refresh run took",
                  (last.finished_at - last.started_at).total_seconds())  # fmt: skip
        outcome = Gauge("trialwatch_last_run_outcome", "1 for the last refresh run's outcome",
                        ["outcome"], registry=registry)  # fmt: skip
        for name in OUTCOMES:
            outcome.labels(outcome=name).set(1 if last.outcome == name else 0)
        for name, doc in _COUNTS.items():
            gauge(f"last_run_{name}", doc, getattr(last, name) or 0)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_to_textfile(str(path), registry)
