"""Is trialwatch itself healthy? Pure rules over the refresh-run log.

Two questions, answered from the runs alone so that every reader (report, `status --check`,
alerts) gives the same answer:
- how fresh is the evidence: when did the last refresh succeed, and has the newest one failed;
- which failure streaks deserve one alert when they reach the threshold, and one when they end.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

FAILING = "failing"
RECOVERED = "recovered"


@dataclass(frozen=True)
class RunRecord:
    """What these rules need of one refresh run (oldest first when in a list)."""

    id: int
    started_at: datetime
    outcome: str  # ok, failed, stopped, running
    trigger: str  # manual, schedule, ...
    error: str | None = None
    finished_at: datetime | None = None


@dataclass(frozen=True)
class Freshness:
    """How old the stored evidence is, as of `now`."""

    now: datetime
    last_success_at: datetime | None
    failed_since: int  # failed runs after the last successful one
    last_error: str | None  # the newest failed run's error, first line
    last_scheduled_failed: bool
    stale_after: timedelta

    @property
    def age(self) -> timedelta | None:
        return None if self.last_success_at is None else self.now - self.last_success_at

    @property
    def too_old(self) -> bool:
        return self.age is None or self.age > self.stale_after

    @property
    def stale(self) -> bool:
        """The report shows its banner and `status --check` fails."""
        return self.too_old or self.last_scheduled_failed

    def age_words(self) -> str:
        age = self.age
        if age is None:
            return "no refresh has succeeded yet"
        return f"{_duration(age)} old"


@dataclass(frozen=True)
class StreakEvent:
    """A failure streak reaching the alert threshold, or ending."""

    kind: str  # FAILING or RECOVERED
    streak_start_run_id: int  # the streak's first failed run: one event of each kind per streak
    run_id: int  # the run that raised the event
    at: datetime
    since: datetime  # when the streak's first failed run started
    failed_runs: int
    last_error: str | None


def freshness(runs: Sequence[RunRecord], now: datetime, stale_after_days: float) -> Freshness:
    """Freshness from the run log (oldest first: at least the last successful run and every
    run after it); runs still in progress are ignored. "The last scheduled run failed" means
    one that no successful run has made good since."""
    finished = [r for r in runs if r.outcome != "running"]
    last_ok = next((r for r in reversed(finished) if r.outcome == "ok"), None)
    after = [r for r in finished if last_ok is None or r.id > last_ok.id]
    failed = [r for r in after if r.outcome == "failed"]
    scheduled = [r for r in after if r.trigger != "manual"]
    return Freshness(
        now=now,
        last_success_at=(last_ok.finished_at or last_ok.started_at) if last_ok else None,
        failed_since=len(failed),
        last_error=first_line(failed[-1].error) if failed else None,
        last_scheduled_failed=bool(scheduled) and scheduled[-1].outcome == "failed",
        stale_after=timedelta(days=stale_after_days),
    )


def streak_events(runs: Sequence[RunRecord], threshold: int) -> list[StreakEvent]:
    """Every alert the run log calls for (oldest first): a streak of `threshold` consecutive
    failed runs raises FAILING once; the next successful run after it raises RECOVERED once.
    Stopped runs neither extend nor end a streak; a streak below the threshold raises nothing."""
    events: list[StreakEvent] = []
    streak: list[RunRecord] = []
    for run in runs:
        if run.outcome == "failed":
            streak.append(run)
            if len(streak) == threshold:
                events.append(_event(FAILING, streak, run))
        elif run.outcome == "ok":
            if len(streak) >= threshold:
                events.append(_event(RECOVERED, streak, run))
            streak = []
    return events


def _event(kind: str, streak: list[RunRecord], run: RunRecord) -> StreakEvent:
    return StreakEvent(
        kind=kind,
        streak_start_run_id=streak[0].id,
        run_id=run.id,
        at=run.started_at,
        since=streak[0].started_at,
        failed_runs=len(streak),
        last_error=first_line(streak[-1].error),
    )


def first_line(text: str | None, limit: int = 300) -> str | None:
    if not text:
        return None
    line = text.strip().splitlines()[0] if text.strip() else ""
    return line if len(line) <= limit else line[: limit - 1] + "…"


def _duration(age: timedelta) -> str:
    hours = age.total_seconds() / 3600
    if hours < 1:
        return "less than an hour"
    if hours < 48:
        return f"{int(hours)} hour{'s' if int(hours) != 1 else ''}"
    days = int(hours // 24)
    return f"{days} days"
