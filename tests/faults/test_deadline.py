"""The whole answer has a deadline, and a stop request cuts a transfer short (real sockets).

`[api] read_timeout` bounds the whole answer, not each socket read: a registry sending one byte
every quarter second used to keep a 62-byte /version going for 15 s with `read_timeout = 2`,
and a 20 KB page for hours. SIGTERM used to wait for the registry's next complete answer.
"""

from __future__ import annotations

import signal
import time
from datetime import datetime

import pytest

from tests.conftest import query_rows, table_contents
from tests.faults.wire import fake_registry, run, start, wait_for, write_config


def _runs(db_url: str) -> list[tuple]:
    return query_rows(db_url, "SELECT outcome, error FROM refresh_runs ORDER BY id")


def _last_run_seconds(db_url: str) -> float:
    """How long the last refresh ran, by its own run log (process start-up left out)."""
    ((started, finished),) = query_rows(
        db_url, "SELECT started_at, finished_at FROM refresh_runs ORDER BY id DESC LIMIT 1"
    )
    as_time = lambda v: datetime.fromisoformat(v) if isinstance(v, str) else v  # noqa: E731
    return (as_time(finished) - as_time(started)).total_seconds()


def test_a_trickling_answer_ends_at_the_read_timeout(tmp_path, db_url):
    with fake_registry() as api:
        config = write_config(tmp_path, api, db_url, "read_timeout = 2\nmax_retries = 3")
        assert run(config, "refresh").returncode == 0
        before = table_contents(db_url)
        api.trickle = 0.25  # one byte every 0.25 s: /version alone would take 15 s
        failed = run(config, "refresh")
        took = _last_run_seconds(db_url)
        after = table_contents(db_url)
        api.trickle = 0
        recovered = run(config, "refresh")

    assert failed.returncode == 1, failed.stderr
    assert took < 6, f"the deadline did not hold: {took:.1f} s"
    assert failed.stderr.startswith("Error: 127.0.0.1:") and "Traceback" not in failed.stderr
    assert "did not answer within 2 s" in failed.stderr
    assert after == before
    outcome, error = _runs(db_url)[1]
    assert outcome == "failed" and "did not answer within 2 s" in error
    assert recovered.returncode == 0 and _runs(db_url)[-1][0] == "ok"


def test_a_server_that_never_answers_is_one_line_without_library_noise(tmp_path, db_url):
    with fake_registry() as api:
        config = write_config(tmp_path, api, db_url, "read_timeout = 2\nmax_retries = 3")
        api.silent = True
        failed = run(config, "refresh")
        took = _last_run_seconds(db_url)

    assert failed.returncode == 1
    # one attempt, not (retries + 1) x the timeout, and none of urllib3's "Retrying" lines
    assert took < 6, f"{took:.1f} s"
    assert failed.stderr.count("\n") == 1, failed.stderr
    assert failed.stderr.startswith("Error: ") and "did not answer within 2 s" in failed.stderr
    assert "WARNING" not in failed.stderr and "urllib3" not in failed.stderr
    assert _runs(db_url)[-1][0] == "failed"


@pytest.mark.parametrize(
    ("args", "how"),
    [(("refresh",), "Stopped: SIGTERM"), (("schedule",), "run stopped (catch-up)"),
     (("schedule", "--once"), "run stopped (once)")],
    ids=["refresh", "schedule", "schedule-once"],
)  # fmt: skip
def test_sigterm_interrupts_a_transfer_in_progress(tmp_path, db_url, args, how):
    with fake_registry() as api:
        api.trickle = 0.5  # the default 60 s read timeout would never end this by itself
        config = write_config(tmp_path, api, db_url)
        process = start(config, *args)  # an empty store: `schedule` catches up at once
        try:
            wait_for(lambda: api.requests >= 1, "the first answer to be on its way")
            time.sleep(0.3)
            process.send_signal(signal.SIGTERM)
            signalled = time.monotonic()
            _, err = process.communicate(timeout=20)
            took = time.monotonic() - signalled
        finally:
            if process.poll() is None:
                process.kill()
                process.communicate()

    assert process.returncode == 0, err
    assert took < 8, f"SIGTERM took {took:.1f} s to stop the transfer"
    assert how in err and "SIGTERM during the refresh; it was rolled back" in err
    assert "Traceback" not in err
    assert query_rows(db_url, "SELECT count(*) FROM record_versions") == [(0,)]
    ((outcome, error),) = _runs(db_url)
    assert outcome == "stopped" and "SIGTERM" in error
    assert not (tmp_path / "reports" / "index.html").exists()
