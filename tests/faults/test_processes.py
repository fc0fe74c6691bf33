"""Process faults, as real processes against the local fake API v2 (real records): a refresh
killed with SIGKILL in the middle of its write, and two refreshes at once.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.conftest import API, study, table_contents
from tests.fakeapi import FakeApi
from tests.faults.harness import (
    CITED,
    SEARCH_HITS,
    SEARCH_NAME,
    SEARCH_PARAMS,
    query,
    run_cli,
    updated_record,
)


@pytest.fixture
def api() -> Iterator[FakeApi]:
    with FakeApi([study(n) for n in CITED + SEARCH_HITS]) as server:
        server.set_search(SEARCH_PARAMS, list(SEARCH_HITS))
        yield server


@pytest.fixture
def config(api: FakeApi, make_config: Callable[..., Path]) -> Path:
    """The clinic's config against the fake API, after one good refresh; the registry then
    moves on (a SYNTHETIC TERMINATED edit of the first cited study)."""
    path = make_config(studies=CITED, searches={SEARCH_NAME: SEARCH_PARAMS})
    path.write_text(path.read_text(encoding="utf-8").replace(API, api.url), encoding="utf-8")
    first = run_cli("--config", str(path), "refresh")
    assert first.exit_code == 0, first.stderr
    api.put(updated_record(CITED[0]))
    return path


def _start(config: Path, *args: str) -> subprocess.Popen[str]:
    command = [sys.executable, "-m", "trialwatch", "--config", str(config), "refresh", *args]
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _wait_for(condition: Callable[[], bool], what: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.01)


def _writing(db_url: str) -> bool:
    """True while another connection holds an open write transaction on the store."""
    engine = sa.create_engine(db_url, connect_args={"timeout": 0} if "sqlite" in db_url else {})
    try:
        with engine.connect() as conn:
            if engine.dialect.name == "sqlite":
                try:
                    conn.exec_driver_sql("BEGIN IMMEDIATE")
                except sa.exc.OperationalError as exc:
                    return "locked" in str(exc)
                conn.exec_driver_sql("ROLLBACK")
                return False
            held = conn.execute(
                sa.text(
                    "SELECT count(*) FROM pg_locks WHERE relation = 'record_versions'::regclass "
                    "AND mode = 'RowExclusiveLock' AND pid <> pg_backend_pid()"
                )
            ).scalar_one()
            return bool(held)
    finally:
        engine.dispose()


def test_refresh_killed_with_sigkill_mid_write(api: FakeApi, config: Path, db_url: str):
    before = table_contents(db_url)
    runs_before = query(db_url, "SELECT id, outcome FROM refresh_runs ORDER BY id")
    api.delay = 0.5  # every answer is slow: the refresh sits in its transaction a while
    api.reset_counts()
    process = _start(config)
    try:
        # the new version was fetched and written, uncommitted, while the search page is awaited
        _wait_for(lambda: api.paths["studies"] >= 2, "the full fetch of the new version")
        _wait_for(lambda: _writing(db_url), "the refresh's open write transaction")
        process.send_signal(signal.SIGKILL)
        process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == -signal.SIGKILL

    assert table_contents(db_url) == before  # the uncommitted write vanished with the process
    runs = query(db_url, "SELECT id, outcome, finished_at FROM refresh_runs ORDER BY id")
    assert [r[:2] for r in runs[:-1]] == runs_before
    assert runs[-1][1:] == ("running", None)  # the killed run stays visible as never finished
    status = run_cli("--config", str(config), "status")
    assert status.exit_code == 0, status.stderr
    assert "running" in status.stdout

    api.delay = 0
    again = run_cli("--config", str(config), "refresh")  # lock released by the kernel
    assert again.exit_code == 0, again.stderr
    assert "1 new versions" in again.stdout
    (row,) = query(db_url, f"SELECT overall_status FROM studies WHERE nct_id = '{CITED[0]}'")
    assert row == ("TERMINATED",)
    assert query(db_url, "SELECT outcome FROM refresh_runs ORDER BY id DESC LIMIT 1") == [("ok",)]


def test_two_refreshes_at_once(api: FakeApi, config: Path, db_url: str):
    """The second is refused at once with a clear message and writes nothing, not even a run
    row; the first finishes normally and stores the new version exactly once."""
    before = table_contents(db_url)
    runs_before = query(db_url, "SELECT count(*) FROM refresh_runs")[0][0]
    api.delay = 0.3
    api.reset_counts()
    first = _start(config)
    try:
        _wait_for(lambda: api.requests >= 1, "the first refresh to hold the lock")
        second = run_cli("--config", str(config), "refresh")
        assert second.exit_code == 1
        assert second.stderr.startswith(
            "Error: Another trialwatch refresh is running on this database; it was left alone."
        )
        assert "Or add --wait SECONDS to wait for it." in second.stderr
        assert table_contents(db_url) == before
        assert query(db_url, "SELECT count(*) FROM refresh_runs")[0][0] == runs_before + 1
        api.delay = 0
        out, err = first.communicate(timeout=60)
    finally:
        if first.poll() is None:
            first.kill()
    assert first.returncode == 0, err
    assert "1 new versions" in out
    versions = query(db_url, f"SELECT version_no FROM record_versions WHERE nct_id = '{CITED[0]}'")
    assert sorted(versions) == [(1,), (2,)]
    outcomes = query(db_url, "SELECT outcome FROM refresh_runs ORDER BY id")
    assert outcomes == [("ok",), ("ok",)]
