"""The scheduled service as real processes against the local fake API v2 (real records): two
processes at once, and SIGTERM/SIGINT in the middle of a run."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.conftest import study
from tests.fakeapi import FakeApi

IDS = ("NCT02552212", "NCT00763412", "NCT03418623")  # two cited studies, one search hit
LOCK_MESSAGE = "Another trialwatch refresh is running on this database"


def _fake_api() -> FakeApi:
    api = FakeApi([study(nct) for nct in IDS])
    api.set_search({"query.cond": "alcohol"}, ["NCT03418623"])
    return api


def _write_config(tmp_path: Path, api: FakeApi) -> Path:
    config = tmp_path / "config.toml"
    config.write_text(
        f'[api]\nbase_url = "{api.url}"\nmin_interval = 0\nmax_retries = 0\n'
        '[database]\nurl = "sqlite:///tw.db"\n'
        "[schedule]\nlock_wait_seconds = 0\n"
        '[[studies]]\nnct_id = "NCT02552212"\n[[studies]]\nnct_id = "NCT00763412"\n'
        '[[searches]]\nname = "aud"\nparams = { "query.cond" = "alcohol" }\n'
    )
    return config


def _command(config: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "trialwatch", "--config", str(config), *args]


_started: list[subprocess.Popen[str]] = []


@pytest.fixture(autouse=True)
def _no_process_left_behind():
    yield
    while _started:  # a failed test must not leave a scheduler running
        process = _started.pop()
        if process.poll() is None:
            process.kill()
        process.communicate()


def _start(config: Path, *args: str) -> subprocess.Popen[str]:
    process = subprocess.Popen(
        _command(config, *args), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    _started.append(process)
    return process


def _rows(db: Path, sql: str) -> list[tuple]:
    engine = sa.create_engine(f"sqlite:///{db}")
    try:
        with engine.connect() as conn:
            return [tuple(r) for r in conn.execute(sa.text(sql))]
    finally:
        engine.dispose()


def _wait_for(condition: Callable[[], bool], what: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.02)


def _outcomes(db: Path) -> list[str]:
    """The refresh_runs outcomes so far ([] while the store is not created yet)."""
    try:
        return [outcome for (outcome,) in _rows(db, "SELECT outcome FROM refresh_runs")]
    except sa.exc.OperationalError:
        return []


def test_two_processes_at_once_one_runs_the_other_gets_the_lock_message(tmp_path):
    db = tmp_path / "tw.db"
    with _fake_api() as api:
        api.delay = 1.0  # each answer takes a second: the scheduled run holds the lock a while
        config = _write_config(tmp_path, api)
        scheduled = _start(config, "schedule", "--once")
        # a refresh that has logged its start holds the lock and is talking to the API
        _wait_for(lambda: _outcomes(db) == ["running"], "the scheduled run to start")
        refused = subprocess.run(
            _command(config, "refresh"), capture_output=True, text=True, timeout=60
        )
        waiting = _start(config, "refresh", "--wait", "60")
        api.delay = 0
        scheduled_out, scheduled_err = scheduled.communicate(timeout=60)
        waiting_out, waiting_err = waiting.communicate(timeout=60)

    assert refused.returncode == 1
    assert LOCK_MESSAGE in refused.stderr
    assert scheduled.returncode == 0, scheduled_err
    assert "run ok (once): 3 studies, 3 new versions, 0 changes, 3 requests" in scheduled_err
    assert "report written to" in scheduled_err
    assert waiting.returncode == 0, waiting_err
    assert "0 new versions, 0 changes" in waiting_out
    versions = _rows(db, "SELECT nct_id, version_no FROM record_versions ORDER BY 1")
    assert versions == [(nct, 1) for nct in sorted(IDS)]  # no duplicates
    runs = _rows(db, "SELECT trigger, outcome FROM refresh_runs ORDER BY id")
    assert runs == [("once", "ok"), ("manual", "ok")]  # the refused refresh never started


@pytest.mark.parametrize(
    ("args", "trigger", "sig"),
    [
        (("schedule",), "catch-up", signal.SIGTERM),
        (("schedule",), "catch-up", signal.SIGINT),
        (("schedule", "--once"), "once", signal.SIGTERM),
    ],
)
def test_signal_during_a_run_rolls_it_back_and_exits_0(tmp_path, args, trigger, sig):
    db = tmp_path / "tw.db"
    with _fake_api() as api:
        api.delay = 1.0
        config = _write_config(tmp_path, api)
        process = _start(config, *args)  # a new store: `schedule` catches up at once
        _wait_for(lambda: api.requests >= 1, "the first answer")  # the next one is in flight
        process.send_signal(sig)
        _, err = process.communicate(timeout=30)

    assert process.returncode == 0, err
    assert f"run stopped ({trigger})" in err
    assert f"{sig.name} during the refresh; it was rolled back" in err
    # all or nothing: nothing of the interrupted refresh was kept, and the run log says why
    assert _rows(db, "SELECT count(*) FROM record_versions") == [(0,)]
    assert _rows(db, "SELECT count(*) FROM studies") == [(0,)]
    ((outcome, error),) = _rows(db, "SELECT outcome, error FROM refresh_runs")
    assert outcome == "stopped" and sig.name in error
    assert not (tmp_path / "reports" / "index.html").exists()


def test_sigterm_between_runs_exits_0_after_a_complete_run(tmp_path):
    db = tmp_path / "tw.db"
    with _fake_api() as api:
        config = _write_config(tmp_path, api)
        process = _start(config, "schedule")
        _wait_for(lambda: _outcomes(db) == ["ok"], "the catch-up run")
        _wait_for(lambda: (tmp_path / "reports" / "index.html").exists(), "the report")
        time.sleep(0.2)  # the scheduler is idle again, waiting for the next fire time
        process.send_signal(signal.SIGTERM)
        _, err = process.communicate(timeout=30)

    assert process.returncode == 0, err
    assert "run ok (catch-up): 3 studies, 3 new versions" in err
    assert "SIGTERM: stopping" in err and "scheduler stopped" in err
    assert _rows(db, "SELECT count(*) FROM record_versions") == [(3,)]


def test_once_exits_1_when_the_run_fails(tmp_path):
    with _fake_api() as api:
        api.faults.append((404, b"gone", {}))
        config = _write_config(tmp_path, api)
        failed = subprocess.run(
            _command(config, "schedule", "--once"), capture_output=True, text=True, timeout=60
        )
    assert failed.returncode == 1
    assert "run failed (once)" in failed.stderr and "HTTP 404" in failed.stderr
