"""Cron expressions as APScheduler 3 triggers (read the way cron reads them: `domain.cron`);
the previous fire time, which APScheduler does not compute."""

from __future__ import annotations

from datetime import datetime, timedelta, tzinfo

from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger

from trialwatch.domain.cron import parse_cron

_LOOKBACK = timedelta(days=400)  # how far back to look for the previous fire time (a yearly cron)


def cron_trigger(expr: str, timezone: tzinfo) -> CronTrigger:
    """A CronTrigger firing when cron would for `expr`; ValueError says what is wrong."""
    fields = parse_cron(expr)
    return CronTrigger(
        minute=fields.minute,
        hour=fields.hour,
        day=fields.day,
        month=fields.month,
        day_of_week=fields.day_of_week,
        timezone=timezone,
    )


def previous_fire_time(trigger: BaseTrigger, now: datetime) -> datetime | None:
    """The last time `trigger` fired at or before `now` (None if not within ~a year).

    APScheduler only computes forwards, and "first fire at or after t" grows with t, so a binary
    search for the latest t whose next fire is still <= now finds it in ~25 steps.
    """
    low = now - _LOOKBACK
    first: datetime | None = trigger.get_next_fire_time(None, low)
    if first is None or first > now:
        return None
    high = now + timedelta(seconds=1)
    while high - low > timedelta(seconds=1):
        middle = low + (high - low) / 2
        fire = trigger.get_next_fire_time(None, middle)
        if fire is not None and fire <= now:
            low = middle
        else:
            high = middle
    found: datetime | None = trigger.get_next_fire_time(None, low)
    return found
