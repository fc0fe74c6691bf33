"""`trialwatch schedule`: APScheduler 3 runs refresh + report on the `[schedule]` cron.

The config is the source of truth, so jobs live in memory and are rebuilt at every start. Runs
never overlap (one worker thread, max_instances=1, and the cross-process refresh lock). A run
missed while the machine slept or was off becomes one catch-up run; a failed run is retried with
exponential backoff; SIGTERM or SIGINT stop the process after the running job, exit status 0.
"""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from apscheduler.events import (
    EVENT_JOB_ERROR,
    EVENT_JOB_EXECUTED,
    EVENT_JOB_MISSED,
    JobEvent,
    JobExecutionEvent,
)
from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.jobstores.memory import MemoryJobStore
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger

from trialwatch.config import Config, ScheduleConfig
from trialwatch.errors import TrialwatchError
from trialwatch.schedule import job as jobs
from trialwatch.schedule.crontab import cron_trigger, previous_fire_time

log = logging.getLogger("trialwatch.schedule")

JOB_ID = "trialwatch-refresh"
CATCH_UP_JOB_ID = "trialwatch-catch-up"
RETRY_JOB_ID = "trialwatch-retry"
# The scheduler's wait uses the monotonic clock, which stands still while the machine sleeps:
# waking it this often means a run missed during a sleep is noticed soon after waking. It also
# bounds how long a SIGTERM or SIGINT waits: the kernel may hand the signal to any thread, and
# Python runs the handler in the main thread only, once that thread wakes from its wait.
WAKE_EVERY = 1.0


def make_trigger(schedule: ScheduleConfig) -> CronTrigger:
    return cron_trigger(schedule.cron, ZoneInfo(schedule.timezone))


def next_run_time(config: Config, now: datetime | None = None) -> datetime | None:
    """When the `[schedule]` cron fires next after `now` (in its own zone); starts nothing."""
    trigger = make_trigger(config.schedule)
    moment = (now or datetime.now(UTC)).astimezone(trigger.timezone)
    fire: datetime | None = trigger.get_next_fire_time(None, moment)
    return fire


def catch_up_due(last_success: datetime | None, previous_fire: datetime | None) -> bool:
    """A run is owed if the last successful refresh predates the last scheduled fire time."""
    if previous_fire is None:
        return False
    return last_success is None or last_success < previous_fire


def retry_delay(failures: int, schedule: ScheduleConfig) -> timedelta:
    """retry_minutes after the first failure, doubling each time, at most max_retry_minutes."""
    doubled = schedule.retry_minutes * 2 ** min(max(failures, 1) - 1, 20)
    return timedelta(minutes=min(doubled, schedule.max_retry_minutes))


def build_scheduler(config: Config, *, trigger: BaseTrigger | None = None) -> BlockingScheduler:
    """A scheduler holding the refresh + report job (`trigger` replaces the cron, for tests)."""
    schedule = config.schedule
    scheduler = BlockingScheduler(
        jobstores={"default": MemoryJobStore()},
        executors={"default": ThreadPoolExecutor(max_workers=1)},  # one run at a time
        job_defaults={
            "coalesce": True,
            "max_instances": 1,
            "misfire_grace_time": schedule.misfire_grace_seconds,
        },
        timezone=ZoneInfo(schedule.timezone),
    )
    scheduler.add_job(
        jobs.run_job,
        trigger or make_trigger(schedule),
        args=[str(config.path), "schedule"],
        id=JOB_ID,
        name="refresh + report",
        replace_existing=True,
        max_instances=1,
        coalesce=True,
        misfire_grace_time=schedule.misfire_grace_seconds,
    )
    return scheduler


class ScheduledService:
    """The long-running process: the cron job plus catch-up, retries and a graceful stop."""

    def __init__(self, config: Config, *, trigger: BaseTrigger | None = None) -> None:
        self.config = config
        self.zone = ZoneInfo(config.schedule.timezone)
        self.scheduler = build_scheduler(config, trigger=trigger)
        self.failures = 0  # consecutive failed runs: sets the retry delay
        self._stopper: threading.Thread | None = None
        self._stopped = threading.Event()
        self.scheduler.add_listener(
            self._after_run, EVENT_JOB_EXECUTED | EVENT_JOB_ERROR | EVENT_JOB_MISSED
        )

    def plan_catch_up(self, now: datetime | None = None) -> bool:
        """At start: run once now if the last scheduled run time passed without a success."""
        from trialwatch.services import pipeline as services

        now = (now or datetime.now(UTC)).astimezone(self.zone)
        previous = previous_fire_time(make_trigger(self.config.schedule), now)
        try:
            last = services.last_successful_refresh(self.config)
        except TrialwatchError as exc:
            log.warning("cannot read the run log (%s); running once now", exc)
            last = None
        if not catch_up_due(last, previous):
            return False
        last_text = (
            "none yet" if last is None else f"{last.astimezone(self.zone):%Y-%m-%d %H:%M %Z}"
        )
        log.info(
            "catch-up: the run due %s was missed (last successful refresh: %s); running once now",
            f"{previous:%Y-%m-%d %H:%M %Z}",
            last_text,
        )
        self._add_one_off(CATCH_UP_JOB_ID, "catch-up", now)
        return True

    def run(self) -> None:
        """Block until stopped; the running job finishes (or rolls back) before this returns."""
        waker = threading.Thread(target=self._wake_periodically, name="trialwatch-waker")
        waker.daemon = True
        waker.start()
        try:
            self.scheduler.start()
        finally:
            self._stopped.set()
            if self._stopper is not None:
                self._stopper.join()
        log.info("scheduler stopped")

    def request_stop(self, reason: str) -> None:
        """Stop after the running job, whose refresh rolls back at the registry's next answer."""
        jobs.STOP.set(reason)
        if self._stopper is not None:
            log.info("%s: already stopping", reason)
            return
        log.info("%s: stopping (a running refresh rolls back, a running report finishes)", reason)
        self._stopper = threading.Thread(target=self._shutdown, name="trialwatch-stop")
        self._stopper.daemon = True
        self._stopper.start()

    def _shutdown(self) -> None:
        # The stop may come just before start(): wait until the scheduler runs, then stop it.
        while not self.scheduler.running and not self._stopped.wait(0.05):
            pass
        if self.scheduler.running:
            self.scheduler.shutdown(wait=True)

    def _wake_periodically(self) -> None:
        while not self._stopped.wait(WAKE_EVERY):
            if self.scheduler.running:
                self.scheduler.wakeup()

    def _after_run(self, event: JobEvent) -> None:
        if jobs.STOP.is_set():
            return
        if event.code == EVENT_JOB_MISSED:
            if event.job_id == JOB_ID:  # slept past the grace time: one run now instead
                log.warning("run due at %s was missed; catching up now", event.scheduled_run_time)
                self._add_one_off(CATCH_UP_JOB_ID, "catch-up", datetime.now(self.zone))
            return
        assert isinstance(event, JobExecutionEvent)
        if event.exception is None and event.retval is jobs.Outcome.OK:
            self.failures = 0
            if self.scheduler.get_job(RETRY_JOB_ID) is not None:
                self.scheduler.remove_job(RETRY_JOB_ID)
            return
        if event.exception is not None:  # a bug, not a registry or store problem
            log.error("run failed (%s): unexpected error %r", event.job_id, event.exception)
        if event.retval is jobs.Outcome.STOPPED:
            return
        self.failures += 1
        self.schedule_retry()

    def schedule_retry(self, now: datetime | None = None) -> datetime | None:
        """A one-off retry after the backoff delay, unless the regular run comes first."""
        now = (now or datetime.now(UTC)).astimezone(self.zone)
        at = now + retry_delay(self.failures, self.config.schedule)
        main = self.scheduler.get_job(JOB_ID)
        regular: datetime | None = main.trigger.get_next_fire_time(None, now) if main else None
        if regular is not None and regular <= at:
            log.info("failure %d: the next try is the regular run at %s", self.failures, regular)
            return None
        self._add_one_off(RETRY_JOB_ID, "retry", at)
        log.info("failure %d: retry at %s (in %s)", self.failures, f"{at:%H:%M %Z}", at - now)
        return at

    def _add_one_off(self, job_id: str, trigger: str, at: datetime) -> None:
        # At most one pending catch-up and one pending retry (before start(), APScheduler keeps
        # duplicates of an id until it starts, so remove rather than rely on replace_existing).
        if self.scheduler.get_job(job_id) is not None:
            self.scheduler.remove_job(job_id)
        self.scheduler.add_job(
            jobs.run_job,
            "date",
            run_date=at,
            args=[str(self.config.path), trigger],
            id=job_id,
            name=f"{trigger} run",
            replace_existing=True,
        )


@contextmanager
def on_stop_signals(handler: Callable[[str], None]) -> Iterator[None]:
    """Route SIGTERM and SIGINT to `handler(signal name)` (main thread only), then restore."""

    def _handle(signum: int, _frame: Any) -> None:
        handler(signal.Signals(signum).name)

    previous = {sig: signal.signal(sig, _handle) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        yield
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)


def serve(config: Config) -> None:
    """`trialwatch schedule`: run in the foreground until SIGTERM or SIGINT."""
    jobs.STOP.clear()
    if not log.isEnabledFor(logging.DEBUG):  # its "adding job", "running job" lines are noise
        logging.getLogger("apscheduler").setLevel(logging.WARNING)
    service = ScheduledService(config)
    with on_stop_signals(service.request_stop):
        service.plan_catch_up()
        log.info(
            "scheduler started: cron %r in %s; next regular run at %s",
            config.schedule.cron,
            config.schedule.timezone,
            next_run_time(config),
        )
        service.run()


def run_once(config: Config) -> jobs.Outcome:
    """`trialwatch schedule --once`: one refresh + report now, stoppable by SIGTERM or SIGINT."""
    jobs.STOP.clear()
    with on_stop_signals(jobs.STOP.set):
        return jobs.run_loaded(config, "once")


def next_run(config: Config) -> dict[str, Any]:
    """When `trialwatch schedule` will next refresh, from the config's [schedule] cron."""
    when = next_run_time(config)
    if when is None:
        return {"at": None, "note": "no schedule configured"}
    return {"at": when, "cron": config.schedule.cron, "timezone": config.schedule.timezone}
