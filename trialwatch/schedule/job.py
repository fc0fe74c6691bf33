"""One run of the scheduled job: refresh, then the report; stoppable; one log line.

`run_job` is the APScheduler job target. It takes only the config path and reads the config afresh,
so a scheduled run does exactly what `trialwatch schedule --once` does, with today's config.
"""

from __future__ import annotations

import enum
import logging
import time
from typing import TYPE_CHECKING

from trialwatch.ctgov.stop import STOP
from trialwatch.errors import LockBusy, Stopped, TrialwatchError

if TYPE_CHECKING:
    from trialwatch.config import Config
    from trialwatch.ctgov.client import CtgovClient
    from trialwatch.services.pipeline import JobResult

log = logging.getLogger("trialwatch.schedule")

LOCK_POLL = 2.0  # seconds: how often a run waiting for the lock looks for a stop request


class Outcome(enum.Enum):
    OK = "ok"
    FAILED = "failed"
    STOPPED = "stopped"  # SIGTERM or SIGINT: nothing half-done was kept


# A stop requested while a run was waiting or refreshing (raised by the transport too).
RunStopped = Stopped


def run_job(config_path: str, trigger: str = "schedule") -> Outcome:
    """The scheduler's job: refresh + report for the config at `config_path`; one log line.

    Failures are logged, not raised: the scheduler reads the outcome and schedules a retry.
    """
    from trialwatch.config import load_config

    try:
        config = load_config(config_path)
    except TrialwatchError as exc:
        log.error("run failed (%s): %s", trigger, exc)
        return Outcome.FAILED
    return run_loaded(config, trigger)


def run_loaded(config: Config, trigger: str) -> Outcome:
    """Refresh + report with `config`; log one line with the outcome and counts."""
    started = time.monotonic()
    try:
        result = execute(config, trigger)
    except RunStopped as exc:
        log.warning("run stopped (%s) after %.1f s: %s", trigger, _since(started), exc)
        return Outcome.STOPPED
    except TrialwatchError as exc:
        log.error("run failed (%s) after %.1f s: %s", trigger, _since(started), exc)
        if not isinstance(exc, LockBusy):  # a busy lock is another run at work, not a failure
            render_banner(config)
        return Outcome.FAILED
    for note in result.refresh.notes:
        log.warning("note: %s", note)
    log.info("run ok (%s): %s", trigger, result.summary_line())
    return Outcome.OK


def execute(config: Config, trigger: str) -> JobResult:
    """Refresh + report; wait up to `lock_wait_seconds` for a refresh already running.

    The wait is taken in short slices so that a stop request is noticed within seconds.
    """
    from trialwatch.services import pipeline as services

    client = stoppable_client(config)
    deadline = time.monotonic() + config.schedule.lock_wait_seconds
    while True:
        if STOP.is_set():
            raise RunStopped(f"{STOP.reason} before the refresh started; nothing was changed")
        wait = max(0.0, min(LOCK_POLL, deadline - time.monotonic()))
        try:
            return services.refresh_and_report(
                config, trigger=trigger, lock_wait=wait, client=client
            )
        except LockBusy:
            if time.monotonic() >= deadline:
                raise


def stoppable_client(config: Config) -> CtgovClient:
    """The usual API client: its transfers are cut short once a stop is requested (STOP).

    The refresh then rolls back its transaction: the store stays as it was.
    """
    from trialwatch.services import pipeline as services

    return services.make_client(config)


def render_banner(config: Config) -> None:
    """After a failed run: the report again, from the unchanged store, now with its stale-data
    banner (the data on the pages is the same). A failed render keeps the previous report."""
    from trialwatch.services import pipeline as services

    try:
        services.render_report(config, again=True)
    except Exception as exc:
        log.warning("could not render the report's stale-data banner: %s", exc)


def _since(started: float) -> float:
    return time.monotonic() - started
