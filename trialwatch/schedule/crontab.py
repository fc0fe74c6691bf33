"""Standard crontab expressions read the way cron reads them, for APScheduler 3; fire times.

APScheduler 3's `CronTrigger.from_crontab` counts weekdays from Monday=0, while cron counts from
Sunday=0 (APScheduler issue 286; fixed only in 4.x): `0 6 * * 1-5` would run Tuesday to Saturday.
So the weekday field is translated to day names here. Cron also runs a job when *either* a
restricted day of month or a restricted weekday matches, APScheduler only when both do; an
expression restricting both is refused rather than run on the wrong days.
"""

from __future__ import annotations

from datetime import datetime, timedelta, tzinfo

from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger

DAY_NAMES = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")  # cron numbering: 0 (and 7) = Sunday
MACROS = {
    "@yearly": "0 0 1 1 *",
    "@annually": "0 0 1 1 *",
    "@monthly": "0 0 1 * *",
    "@weekly": "0 0 * * 0",
    "@daily": "0 0 * * *",
    "@midnight": "0 0 * * *",
    "@hourly": "0 * * * *",
}
_LOOKBACK = timedelta(days=400)  # how far back to look for the previous fire time (a yearly cron)


def cron_trigger(expr: str, timezone: tzinfo) -> CronTrigger:
    """A CronTrigger firing when cron would for `expr`; ValueError says what is wrong."""
    expr = MACROS.get(expr.strip().lower(), expr)
    fields = expr.split()
    if len(fields) != 5:
        raise ValueError(f"expected 5 fields, got {len(fields)}")
    minute, hour, day, month, weekday = fields
    if day != "*" and weekday != "*":
        raise ValueError(
            "restricting both the day of the month and the day of the week is not supported "
            "(cron means either, APScheduler both); restrict one of them"
        )
    return CronTrigger(
        minute=minute,
        hour=hour,
        day=day,
        month=month,
        day_of_week=weekday_names(weekday),
        timezone=timezone,
    )


def weekday_names(field: str) -> str:
    """A cron weekday field as APScheduler day names: `1-5` -> `mon,tue,wed,thu,fri`."""
    if field == "*":
        return "*"
    days: set[int] = set()
    for part in field.lower().split(","):
        base, _, step_text = part.partition("/")
        step = _number(step_text, "step") if step_text else 1
        if step < 1:
            raise ValueError(f"weekday step must be at least 1 in {part!r}")
        if base == "*":
            first, last = 0, 6
        elif "-" in base:
            first_text, last_text = base.split("-", 1)
            first, last = _day(first_text), _day(last_text)
            if last < first and last == 0:  # `5-7`, `5-0`... end on Sunday
                last = 7
        else:
            first = _day(base)
            last = 6 if step_text else first  # `1/2`: from Monday to the end of the week
        if last < first:
            raise ValueError(f"weekday range {base!r} runs backwards")
        days.update(d % 7 for d in range(first, last + 1, step))
    if len(days) == 7:
        return "*"
    return ",".join(DAY_NAMES[d] for d in sorted(days))


def _day(text: str) -> int:
    if text in DAY_NAMES:
        return DAY_NAMES.index(text)
    value = _number(text, "weekday")
    if not 0 <= value <= 7:
        raise ValueError(f"weekday {text!r} is not between 0 and 7 (0 and 7 are Sunday)")
    return value


def _number(text: str, what: str) -> int:
    if not text.isdigit():
        raise ValueError(f"{what} {text!r} is not a number or a day name")
    return int(text)


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
