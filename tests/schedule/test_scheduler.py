"""The scheduled refresh service in-process: jobs built from config, a short real run, catch-up,
retries with backoff, the lock wait and the stop flag. The API is mocked with `responses` (real
recorded records); processes and signals are in test_schedule_processes.py."""

from __future__ import annotations

import json
import logging
import threading
import tomllib
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from apscheduler.events import EVENT_JOB_EXECUTED, JobExecutionEvent
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.date import DateTrigger
from apscheduler.triggers.interval import IntervalTrigger

from tests.conftest import (
    API,
    page,
    query_rows,
    reset_api,
    study,
    table_contents,
    without_render_details,
)
from trialwatch.config import load_config, parse_config
from trialwatch.domain.cron import weekday_names
from trialwatch.errors import ConfigError, LockBusy
from trialwatch.schedule import job as jobs
from trialwatch.schedule import service as scheduler
from trialwatch.schedule.crontab import previous_fire_time
from trialwatch.services import pipeline as services
from trialwatch.store import engine as store
from trialwatch.store.lock import refresh_lock

DENVER = ZoneInfo("America/Denver")
FAST = "[schedule]\nretry_minutes = 5\nmax_retry_minutes = 20\nlock_wait_seconds = 0\n"


@pytest.fixture(autouse=True)
def _clear_stop_flag():
    jobs.STOP.clear()
    yield
    jobs.STOP.clear()


def _config(tmp_path: Path, toml: str = ""):
    return parse_config(tomllib.loads(toml), tmp_path / "config.toml")


def _serve_study(ctgov) -> None:
    ctgov.get(f"{API}/studies", json=page(study("NCT02552212")))


# -- jobs built from config -------------------------------------------------------------------


def test_job_is_built_from_the_schedule_config(tmp_path):
    config = _config(
        tmp_path,
        '[schedule]\ncron = "30 5 * * 1-5"\ntimezone = "Europe/Berlin"\n'
        "misfire_grace_seconds = 120\n",
    )
    sched = scheduler.build_scheduler(config)
    assert not sched.running
    (job,) = sched.get_jobs()
    assert job.id == scheduler.JOB_ID
    assert job.func is jobs.run_job and job.args == (str(config.path), "schedule")
    assert isinstance(job.trigger, CronTrigger)
    fields = {f.name: str(f) for f in job.trigger.fields}
    # cron's 1-5 is Monday to Friday (APScheduler 3 alone would read Tuesday to Saturday)
    assert fields["minute"] == "30" and fields["hour"] == "5"
    assert fields["day_of_week"] == "mon,tue,wed,thu,fri"
    assert job.trigger.timezone == ZoneInfo("Europe/Berlin")
    assert (job.max_instances, job.coalesce, job.misfire_grace_time) == (1, True, 120)


def test_next_run_time_default_is_six_in_denver_across_dst(tmp_path):
    config = _config(tmp_path)
    # 2026-03-08 is the US spring-forward day: 06:00 MDT is 12:00 UTC, the day before 13:00 UTC
    before = scheduler.next_run_time(config, now=datetime(2026, 3, 7, 12, 0, tzinfo=UTC))
    after = scheduler.next_run_time(config, now=datetime(2026, 3, 7, 14, 0, tzinfo=UTC))
    assert before == datetime(2026, 3, 7, 6, 0, tzinfo=DENVER)
    assert after == datetime(2026, 3, 8, 6, 0, tzinfo=DENVER)
    assert after is not None and after.astimezone(UTC).hour == 12


def test_weekday_field_is_read_as_cron_reads_it(tmp_path):
    config = _config(tmp_path, '[schedule]\ncron = "0 6 * * 1-5"\ntimezone = "UTC"\n')
    saturday = datetime(2026, 1, 3, 12, 0, tzinfo=UTC)
    assert scheduler.next_run_time(config, now=saturday) == datetime(2026, 1, 5, 6, tzinfo=UTC)
    sunday_only = _config(tmp_path, '[schedule]\ncron = "0 6 * * 7"\ntimezone = "UTC"\n')
    assert scheduler.next_run_time(sunday_only, now=saturday) == datetime(2026, 1, 4, 6, tzinfo=UTC)


@pytest.mark.parametrize(
    ("toml", "key"),
    [
        ('cron = "0 25 * * *"', "schedule.cron"),
        ('cron = "0 6 * *"', "schedule.cron"),
        ('cron = "0 6 1 * 1"', "schedule.cron"),  # day of month AND weekday: cron means OR
        ('timezone = "Mars/Olympus"', "schedule.timezone"),
        ("retry_minutes = 0", "schedule.retry_minutes"),
        ("retry_minutes = 60\nmax_retry_minutes = 30", "schedule.max_retry_minutes"),
    ],
)
def test_bad_schedule_config_names_the_key(tmp_path, toml, key):
    with pytest.raises(ConfigError, match=f"key '{key}'") as info:
        _config(tmp_path, f"[schedule]\n{toml}\n")
    assert info.value.exit_code == 2


# -- catch-up ----------------------------------------------------------------------------------


def test_previous_fire_time_and_catch_up_rule():
    trigger = scheduler.make_trigger(_config(Path("/x")).schedule)
    now = datetime(2026, 1, 10, 5, 0, tzinfo=DENVER)
    previous = previous_fire_time(trigger, now)
    assert previous == datetime(2026, 1, 9, 6, 0, tzinfo=DENVER)
    on_time = datetime(2026, 1, 10, 6, 0, tzinfo=DENVER)
    assert previous_fire_time(trigger, on_time) == on_time
    assert scheduler.catch_up_due(None, previous)  # never refreshed
    assert scheduler.catch_up_due(previous - timedelta(days=3), previous)  # off for days
    assert not scheduler.catch_up_due(previous + timedelta(minutes=2), previous)


def test_start_after_downtime_plans_one_catch_up(ctgov, make_config, db_url):
    config = load_config(make_config(extra=FAST))
    service = scheduler.ScheduledService(config)
    assert service.plan_catch_up()  # an empty store: never refreshed, so run now
    _serve_study(ctgov)
    services.refresh(config)
    service = scheduler.ScheduledService(config)
    assert not service.plan_catch_up()  # just refreshed: nothing owed
    assert [j.id for j in service.scheduler.get_jobs()] == [scheduler.JOB_ID]
    # off for three days: three runs missed, one catch-up run
    later = datetime.now(UTC) + timedelta(days=3)
    assert service.plan_catch_up(now=later)
    assert service.plan_catch_up(now=later)
    ids = sorted(j.id for j in service.scheduler.get_jobs())
    assert ids == sorted([scheduler.JOB_ID, scheduler.CATCH_UP_JOB_ID])
    catch_up = service.scheduler.get_job(scheduler.CATCH_UP_JOB_ID)
    assert isinstance(catch_up.trigger, DateTrigger)
    assert catch_up.trigger.run_date == later
    assert catch_up.args == (str(config.path), "catch-up")


# -- real runs ---------------------------------------------------------------------------------


def _run_until(
    service: scheduler.ScheduledService, done: threading.Event, limit: float = 20
) -> None:
    """Run the service in this thread until `done` is set (or `limit` seconds pass)."""
    watchdog = threading.Timer(limit, service.request_stop, args=["watchdog"])
    watchdog.start()
    stopper = threading.Thread(target=lambda: done.wait(limit) and service.request_stop("test"))
    stopper.start()
    try:
        service.run()
    finally:
        watchdog.cancel()
        stopper.join()
    assert jobs.STOP.reason == "test", "the scheduler did not finish in time"


def test_short_real_run_with_an_interval_trigger(ctgov, make_config, db_url, caplog):
    """Catch-up at start, then interval runs: refresh + report each time, one log line each."""
    config = load_config(make_config(extra=FAST))
    _serve_study(ctgov)
    service = scheduler.ScheduledService(config, trigger=IntervalTrigger(seconds=0.3))
    assert service.plan_catch_up()
    outcomes: list[tuple[str, object]] = []
    done = threading.Event()

    def listen(event: JobExecutionEvent) -> None:
        outcomes.append((event.job_id, event.retval))
        if sum(job_id == scheduler.JOB_ID for job_id, _ in outcomes) >= 2:
            done.set()

    service.scheduler.add_listener(listen, EVENT_JOB_EXECUTED)
    caplog.set_level(logging.INFO, logger="trialwatch.schedule")
    _run_until(service, done)

    assert outcomes[0] == (scheduler.CATCH_UP_JOB_ID, jobs.Outcome.OK)
    # under load one more run may start before the stop: it is stopped, and not counted here
    second = [i for i, (job_id, _) in enumerate(outcomes) if job_id == scheduler.JOB_ID][1]
    assert all(retval is jobs.Outcome.OK for _, retval in outcomes[: second + 1])
    assert all(retval is jobs.Outcome.STOPPED for _, retval in outcomes[second + 1 :])
    runs = query_rows(db_url, "SELECT trigger, outcome FROM refresh_runs ORDER BY id")
    assert runs[0] == ("catch-up", "ok") and runs[1:3] == [("schedule", "ok")] * 2
    assert query_rows(db_url, "SELECT count(*) FROM record_versions") == [(1,)]
    assert (config.report_dir / "index.html").is_file()
    lines = [r.getMessage() for r in caplog.records if r.getMessage().startswith("run ok")]
    assert len(lines) == second + 1
    assert "run ok (catch-up): 1 studies, 1 new versions, 0 changes, 2 requests" in lines[0]
    assert f"report written to {config.report_dir}" in lines[0]


def test_run_missed_while_asleep_becomes_one_catch_up(ctgov, make_config, db_url):
    """A fire time already an hour past (the process was suspended) with a 1 s grace."""
    config = load_config(make_config(extra=FAST + "misfire_grace_seconds = 1\n"))
    _serve_study(ctgov)
    an_hour_ago = datetime.now(UTC) - timedelta(hours=1)
    service = scheduler.ScheduledService(config, trigger=DateTrigger(run_date=an_hour_ago))
    done = threading.Event()
    service.scheduler.add_listener(lambda e: done.set(), EVENT_JOB_EXECUTED)
    _run_until(service, done)
    assert query_rows(db_url, "SELECT trigger, outcome FROM refresh_runs") == [("catch-up", "ok")]


# -- failures and retries ----------------------------------------------------------------------


def _executed(outcome: jobs.Outcome, job_id: str = scheduler.JOB_ID) -> JobExecutionEvent:
    return JobExecutionEvent(EVENT_JOB_EXECUTED, job_id, "default", datetime.now(UTC), outcome)


def test_failed_run_keeps_store_and_report_and_is_retried_with_backoff(
    ctgov, make_config, db_url, caplog
):
    config = load_config(make_config(extra=FAST))
    _serve_study(ctgov)
    assert jobs.run_job(str(config.path)) is jobs.Outcome.OK
    report = config.report_dir / "index.html"
    before = (table_contents(db_url), report.read_text())
    assert "This data may be out of date" not in before[1]

    reset_api(ctgov)
    ctgov.get(f"{API}/studies", body="<html>maintenance</html>")
    caplog.set_level(logging.INFO, logger="trialwatch.schedule")
    assert jobs.run_job(str(config.path)) is jobs.Outcome.FAILED
    # The data stays as it was; the pages are rendered again only to carry the stale banner.
    after = report.read_text()
    assert table_contents(db_url) == before[0]
    assert "This data may be out of date" in after and "The last scheduled refresh failed" in after
    assert without_render_details(after) == without_render_details(before[1])
    failed = [r for r in caplog.records if r.getMessage().startswith("run failed (schedule)")]
    assert len(failed) == 1 and "HTML" in failed[0].getMessage()
    assert query_rows(db_url, "SELECT outcome FROM refresh_runs ORDER BY id")[-1] == ("failed",)

    service = scheduler.ScheduledService(config)
    delays = []
    for _ in range(4):
        sent = datetime.now(UTC)
        service._after_run(_executed(jobs.Outcome.FAILED))
        retry = service.scheduler.get_job(scheduler.RETRY_JOB_ID)
        assert retry.args == (str(config.path), "retry")
        delays.append(round((retry.trigger.run_date - sent).total_seconds() / 60))
    assert delays == [5, 10, 20, 20]  # doubling from retry_minutes, capped at max_retry_minutes
    service._after_run(_executed(jobs.Outcome.OK, scheduler.RETRY_JOB_ID))
    assert service.failures == 0 and service.scheduler.get_job(scheduler.RETRY_JOB_ID) is None


def test_no_retry_when_the_regular_run_comes_first(tmp_path):
    config = _config(tmp_path, '[schedule]\ncron = "*/10 * * * *"\nretry_minutes = 30\n')
    service = scheduler.ScheduledService(config)
    service.failures = 1
    assert service.schedule_retry() is None
    assert service.scheduler.get_job(scheduler.RETRY_JOB_ID) is None


def test_retry_delay_never_below_retry_minutes(tmp_path):
    schedule = _config(tmp_path, "[schedule]\nretry_minutes = 7\nmax_retry_minutes = 60").schedule
    delays = [scheduler.retry_delay(n, schedule) for n in (0, 1, 2, 3, 4, 100)]
    assert [d.total_seconds() / 60 for d in delays] == [7, 7, 14, 28, 56, 60]


# -- the lock and the stop flag ----------------------------------------------------------------


def test_scheduled_run_waits_for_a_running_refresh(ctgov, make_config, db_url):
    config = load_config(make_config(extra="[schedule]\nlock_wait_seconds = 10\n"))
    _serve_study(ctgov)
    engine = store.open_store(config.database_url)
    held, release = threading.Event(), threading.Event()

    def manual_refresh() -> None:  # holds the lock as a manual refresh would
        with refresh_lock(engine):
            held.set()
            release.wait(10)

    other = threading.Thread(target=manual_refresh)
    other.start()
    held.wait(5)
    threading.Timer(0.5, release.set).start()
    try:
        result = jobs.execute(config, "schedule")
    finally:
        other.join()
        engine.dispose()
    assert result.refresh.new_versions == 1


def test_scheduled_run_gives_up_on_the_lock_after_lock_wait(ctgov, make_config, db_url):
    config = load_config(make_config(extra="[schedule]\nlock_wait_seconds = 1\n"))
    engine = store.open_store(config.database_url)
    try:
        with refresh_lock(engine):
            with pytest.raises(LockBusy, match="Another trialwatch refresh is running"):
                jobs.execute(config, "schedule")
            jobs.STOP.set("SIGTERM")
            with pytest.raises(jobs.RunStopped, match="SIGTERM before the refresh started"):
                jobs.execute(config, "schedule")
    finally:
        engine.dispose()


def test_stop_during_a_refresh_rolls_it_back(ctgov, make_config, db_url, caplog):
    config = load_config(make_config())
    _serve_study(ctgov)
    assert jobs.run_job(str(config.path)) is jobs.Outcome.OK
    report = config.report_dir / "index.html"
    before = (table_contents(db_url), report.read_bytes())
    edited = study("NCT02552212")  # SYNTHETIC edit of a real record: a change to store
    edited["protocolSection"]["statusModule"]["overallStatus"] = "TERMINATED"

    def answer_then_stop(request):  # the stop arrives while this answer is on its way
        jobs.STOP.set("SIGTERM")
        return 200, {}, json.dumps(page(edited))

    reset_api(ctgov).add_callback("GET", f"{API}/studies", callback=answer_then_stop)
    caplog.set_level(logging.INFO, logger="trialwatch.schedule")
    assert jobs.run_loaded(config, "schedule") is jobs.Outcome.STOPPED
    assert (table_contents(db_url), report.read_bytes()) == before
    (outcome, error), *_ = query_rows(
        db_url, "SELECT outcome, error FROM refresh_runs ORDER BY id DESC"
    )
    assert outcome == "stopped" and "SIGTERM during the refresh; it was rolled back" in error
    assert any(r.getMessage().startswith("run stopped (schedule)") for r in caplog.records)


@pytest.mark.parametrize(
    ("field", "names"),
    [
        ("1-5", "mon,tue,wed,thu,fri"),
        ("0", "sun"),
        ("7", "sun"),
        ("5-7", "sun,fri,sat"),
        ("*/2", "sun,tue,thu,sat"),  # cron counts from Sunday; APScheduler alone from Monday
        ("1/2", "mon,wed,fri"),
        ("sat,SUN", "sun,sat"),
        ("mon-fri", "mon,tue,wed,thu,fri"),
        ("0-7", "*"),
    ],
)
def test_cron_weekday_field_as_day_names(field, names):
    assert weekday_names(field) == names


@pytest.mark.parametrize(
    ("field", "problem"),
    [
        ("8", "weekday '8' is not between 0 and 7"),
        ("5-2", "weekday range '5-2' runs backwards"),
        ("x", "weekday 'x' is not a number or a day name"),
        ("*/0", "weekday step must be at least 1 in '\\*/0'"),
    ],
)
def test_bad_cron_weekday_field_is_refused(field, problem):
    with pytest.raises(ValueError, match=problem):
        weekday_names(field)
