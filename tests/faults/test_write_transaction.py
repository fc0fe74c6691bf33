"""The refresh's one write transaction, and the report's run log (issue 18, items 4 and 8).

- The data and the run-log row that marks the run `ok` commit together or not at all: a run
  log that refuses the update leaves the data as it was (SQLite and PostgreSQL).
- On PostgreSQL, a refresh whose advisory-lock connection is killed while it fetches stores
  nothing (the write goes through that connection, so it cannot commit without the lock).
- A refresh does not hold the write lock while it fetches: a report rendered meanwhile logs its
  run at once; and a report whose run cannot be logged swaps nothing.
"""

from __future__ import annotations

import sqlite3
from typing import Any

import pytest
import sqlalchemy as sa

from tests.conftest import API, query_rows, table_contents
from tests.faults.harness import (
    CITED,
    Clinic,
    assert_failed_cleanly,
    assert_recovers,
    run_cli,
    target_matcher,
)
from tests.write_faults import failing_swap
from trialwatch.report import writer as report_writer

REFUSE_OK_SQLITE = """
CREATE TRIGGER refuse_ok BEFORE UPDATE ON refresh_runs WHEN NEW.outcome = 'ok'
BEGIN SELECT RAISE(ABORT, 'run log refused by a test trigger'); END
"""
REFUSE_OK_PG = [
    """CREATE FUNCTION refuse_ok() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION 'run log refused by a test trigger'; END $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER refuse_ok BEFORE UPDATE ON refresh_runs
       FOR EACH ROW WHEN (NEW.outcome = 'ok') EXECUTE FUNCTION refuse_ok()""",
]
REFUSE_REPORT_SQLITE = """
CREATE TRIGGER refuse_report BEFORE INSERT ON report_runs
BEGIN SELECT RAISE(ABORT, 'report log refused by a test trigger'); END
"""
REFUSE_REPORT_PG = [
    """CREATE FUNCTION refuse_report() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION 'report log refused by a test trigger'; END $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER refuse_report BEFORE INSERT ON report_runs
       FOR EACH ROW EXECUTE FUNCTION refuse_report()""",
]


def _execute(db_url: str, *statements: str) -> None:
    engine = sa.create_engine(db_url)
    try:
        with engine.begin() as conn:
            for statement in statements:
                conn.execute(sa.text(statement))
    finally:
        engine.dispose()


def _install(db_url: str, sqlite: str, pg: list[str]) -> None:
    _execute(db_url, *([sqlite] if db_url.startswith("sqlite") else pg))


def _report_runs(clinic: Clinic) -> list[tuple]:
    return query_rows(clinic.db_url, "SELECT id, bytes FROM report_runs ORDER BY id")


def test_run_log_refusing_ok_leaves_the_data_as_it_was(clinic: Clinic):
    """Item 4: the run-log row cannot be marked ok, so the refresh's data does not commit."""
    before = clinic.snapshot()
    _install(clinic.db_url, REFUSE_OK_SQLITE, REFUSE_OK_PG)
    result = clinic.refresh()
    assert_failed_cleanly(
        clinic, before, result, r"The database refused the refresh's write \(.*run log refused"
    )
    on_table = "" if clinic.db_url.startswith("sqlite") else " ON refresh_runs"
    _execute(clinic.db_url, f"DROP TRIGGER refuse_ok{on_table}")
    assert_recovers(clinic)


def test_over_long_data_timestamp_commits_all_or_nothing(clinic: Clinic):
    """Item 4 as found: a /version dataTimestamp over the column's 30 characters (PostgreSQL
    refuses it). Either the run stores everything and is logged ok, or it stores nothing and
    is logged failed; never data with a run left `running`."""
    before = clinic.snapshot()
    long_stamp = "2026-11-25T09:00:05.123456789+00:00 (a very long timestamp)"
    clinic.mock.reset()
    clinic.mock.get(
        f"{API}/version",
        json={"apiVersion": "2.0.5", "dataTimestamp": long_stamp},
        match=[target_matcher("version")],
    )
    clinic.serve(skip=("version",))
    result = clinic.refresh()
    outcome = clinic.runs()[-1][1]
    assert outcome in ("ok", "failed")
    if outcome == "failed":
        assert_failed_cleanly(clinic, before, result, r"nothing was stored")
        assert_recovers(clinic)
    else:
        assert result.exit_code == 0, result.stderr
        assert clinic.study_row(CITED[0])[0] == "TERMINATED"


# the lock's two int4 keys (store.lock) as pg_locks shows them: unsigned oids
_KEY1 = "((hashtext('trialwatch-refresh')::bigint + 4294967296) % 4294967296)"
_KEY2 = "((hashtext(coalesce(current_schema(), ''))::bigint + 4294967296) % 4294967296)"


def test_lost_advisory_lock_connection_aborts_before_commit(clinic: Clinic):
    """Item 4: pg_terminate_backend on the lock's connection while the refresh fetches."""
    if not clinic.db_url.startswith("postgresql"):
        pytest.skip("an advisory lock is PostgreSQL's (SQLite's lock is a file)")
    before = clinic.snapshot()
    killed: list[Any] = []

    def kill_lock_then_answer(request: Any) -> tuple[int, dict[str, str], str]:
        if not killed:
            killed.extend(
                query_rows(
                    clinic.db_url,
                    "SELECT pg_terminate_backend(l.pid) FROM pg_locks l "
                    "WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 2 "
                    f"AND l.classid::bigint = {_KEY1} AND l.objid::bigint = {_KEY2}",
                )
            )
        return clinic.answer(request)

    clinic.mock.reset()
    clinic.serve(skip=("search",))
    clinic.mock.add_callback(
        "GET", f"{API}/studies", callback=kill_lock_then_answer, match=[target_matcher("search")]
    )
    result = clinic.refresh()
    assert killed == [(True,)], "the test killed exactly the lock's connection"
    assert_failed_cleanly(
        clinic, before, result, r"connection holding the refresh lock was lost.*nothing was stored"
    )
    assert_recovers(clinic)


def test_report_during_a_refresh_fetch_logs_its_run_at_once(clinic: Clinic):
    """Item 8: while a refresh fetches, it holds no write lock: a report renders and logs its
    run meanwhile, and the refresh then stores its data."""
    renders = _report_runs(clinic)
    during: list[tuple[int, str]] = []

    def report_then_answer(request: Any) -> tuple[int, dict[str, str], str]:
        if not during:
            if clinic.db_url.startswith("sqlite"):  # nobody holds the write lock now
                conn = sqlite3.connect(clinic.db_url.removeprefix("sqlite:///"), timeout=0)
                conn.execute("BEGIN IMMEDIATE")
                conn.rollback()
                conn.close()
            shown = run_cli("--config", str(clinic.config_path), "report")
            during.append((shown.exit_code, shown.stderr))
        return clinic.answer(request)

    clinic.mock.reset()
    clinic.serve(skip=("search",))
    clinic.mock.add_callback(
        "GET", f"{API}/studies", callback=report_then_answer, match=[target_matcher("search")]
    )
    result = clinic.refresh()
    assert during == [(0, "")]
    assert result.exit_code == 0, result.stderr
    assert len(_report_runs(clinic)) == len(renders) + 1
    assert clinic.runs()[-1][1] == "ok"
    assert clinic.study_row(CITED[0])[0] == "TERMINATED"


def test_report_whose_run_cannot_be_logged_swaps_nothing(clinic: Clinic):
    """Item 8: the run is logged before the swap; if it cannot be, the old report stays."""
    assert clinic.refresh().exit_code == 0  # new data: the next report would differ
    before = clinic.snapshot()
    renders = _report_runs(clinic)
    _install(clinic.db_url, REFUSE_REPORT_SQLITE, REFUSE_REPORT_PG)
    result = run_cli("--config", str(clinic.config_path), "report")
    assert result.exit_code == 1, (result.stdout, result.stderr)
    assert result.stderr.startswith("Error: Could not log the report in the database")
    assert "Traceback" not in result.stderr
    assert clinic.report_hashes() == before.report
    assert _report_runs(clinic) == renders
    assert table_contents(clinic.db_url) == before.tables


def test_report_whose_swap_fails_logs_no_run(clinic: Clinic, monkeypatch: pytest.MonkeyPatch):
    """Item 8, the other way round: a swap that fails takes its logged run back."""
    assert clinic.refresh().exit_code == 0
    before = clinic.snapshot()
    renders = _report_runs(clinic)

    monkeypatch.setattr(
        report_writer, "exchange_paths", failing_swap(OSError(5, "Input/output error"))
    )
    result = run_cli("--config", str(clinic.config_path), "report")
    assert result.exit_code == 1 and "previous report is unchanged" in result.stderr
    assert clinic.report_hashes() == before.report
    assert _report_runs(clinic) == renders
