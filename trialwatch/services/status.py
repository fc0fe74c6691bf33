"""`trialwatch status`: recent refresh runs, what is tracked, the database, the last report and
the next scheduled run, gathered into one plain dict. Reading only: never creates the database.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from trialwatch.config import Config
from trialwatch.domain.health import RunRecord, freshness
from trialwatch.store import engine as store
from trialwatch.store.models import RecordVersion, SearchHit, SearchState, Study, utcnow
from trialwatch.store.reader import reading, sqlite_file
from trialwatch.store.runlog import since_last_success


def gather_status(config: Config, *, runs: int, next_run: dict[str, Any]) -> dict[str, Any]:
    """Everything `trialwatch status` shows, with the `runs` most recent refresh runs and the
    next scheduled run as the caller found it (`trialwatch.schedule.service.next_run`)."""
    url = config.database_url
    path = sqlite_file(url)
    parsed = make_url(url)
    database: dict[str, Any] = {
        "url": store.safe_url(url),
        "backend": parsed.get_backend_name(),
        "path": str(path) if path is not None else None,
        "exists": path is None or path.is_file(),
        "size_bytes": None,
    }
    status: dict[str, Any] = {
        "config": str(config.path),
        "database": database,
        "runs": [],
        "cited": [{"nct_id": s.nct_id, "cited_as": s.cited_as, "stored": False}
                  for s in config.studies],
        "searches": [{"name": s.name, "params": dict(s.params)} for s in config.searches],
        "stored": {"studies": 0, "versions": 0},
        "last_report": None,
        "next_run": next_run,
    }  # fmt: skip
    if database["exists"]:
        with reading(url, config.path) as session:
            database["size_bytes"] = _size(session, path)
            _fill_from_store(session, config, status, runs)
    index = config.report_dir / "index.html"
    if index.is_file():
        report = status["last_report"] or {}
        report["index_html"] = str(index)
        report["index_modified"] = datetime.fromtimestamp(index.stat().st_mtime, UTC)
        status["last_report"] = report
    return status


def _fill_from_store(session: Session, config: Config, status: dict[str, Any], runs: int) -> None:
    status["runs"] = [_run_dict(run) for run in store.recent_runs(session, runs)]
    stored = {
        s.nct_id: s
        for s in session.scalars(select(Study).where(Study.nct_id.in_(config.cited_ids)))
    }
    for item in status["cited"]:
        study = stored.get(item["nct_id"])
        if study is not None:
            item.update(stored=True, overall_status=study.overall_status,
                        version=study.version_holder, last_checked=study.last_checked)  # fmt: skip
    counts = session.execute(
        select(SearchHit.search_name, func.count())
        .where(SearchHit.present)
        .group_by(SearchHit.search_name)
    )
    members = {name: int(n) for name, n in counts}
    for item in status["searches"]:
        state = session.get(SearchState, item["name"])
        item.update(
            studies=members.get(item["name"], 0),
            total_count=state.total_count if state else None,
            capped=state.capped if state else False,
            last_success_at=state.last_success_at if state else None,
        )
    status["stored"] = {
        "studies": session.scalar(select(func.count()).select_from(Study)) or 0,
        "versions": session.scalar(select(func.count()).select_from(RecordVersion)) or 0,
    }
    report = store.last_report(session)
    if report is not None:
        status["last_report"] = {
            "rendered_at": report.rendered_at,
            "directory": report.directory,
            "bytes": report.bytes,
        }


def _run_dict(run: Any) -> dict[str, Any]:
    keys = ("id", "started_at", "finished_at", "outcome", "kind", "trigger", "studies_fetched",
            "new_versions", "changes", "requests", "bytes", "error", "notes")  # fmt: skip
    return {key: getattr(run, key) for key in keys}


def _size(session: Session, path: Path | None) -> int | None:
    """Bytes on disk: the SQLite file and its write-ahead log, or PostgreSQL's database size."""
    if path is not None:
        return sum(p.stat().st_size for p in (path, path.with_name(path.name + "-wal"))
                   if p.is_file())  # fmt: skip
    if session.get_bind().dialect.name == "postgresql":
        size = session.scalar(text("SELECT pg_database_size(current_database())"))
        return int(size) if size is not None else None
    return None


def health_check(config: Config, now: datetime | None = None) -> tuple[bool, str]:
    """(healthy, one line) for `status --check`: fresh data and a last run that did not fail."""
    url = config.database_url
    path = sqlite_file(url)
    runs: list[RunRecord] = []
    if path is None or path.is_file():
        with reading(url, config.path) as session:
            runs = since_last_success(session)
    fresh = freshness(runs, now or utcnow(), config.report.stale_after_days)
    newest = next((r for r in reversed(runs) if r.outcome != "running"), None)
    last_failed = newest is not None and newest.outcome == "failed"
    healthy = not fresh.too_old and not last_failed
    words = "OK" if healthy else "PROBLEM"
    if fresh.last_success_at is None:
        line = f"{words}: no refresh has succeeded yet"
    else:
        line = (
            f"{words}: last successful refresh {fresh.last_success_at:%Y-%m-%d %H:%M} UTC "
            f"({fresh.age_words()}; stale after {config.report.stale_after_days:g} days)"
        )
    if fresh.failed_since:
        line += f"; {fresh.failed_since} failed run{'s' if fresh.failed_since != 1 else ''} since"
        line += f", last error: {fresh.last_error}" if fresh.last_error else ""
    return healthy, line
