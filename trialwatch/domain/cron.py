"""Standard crontab expressions checked and translated for APScheduler 3, without importing it.

APScheduler 3's `CronTrigger.from_crontab` counts weekdays from Monday=0, while cron counts from
Sunday=0 (APScheduler issue 286; fixed only in 4.x): `0 6 * * 1-5` would run Tuesday to Saturday.
So the weekday field is translated to day names here. Cron also runs a job when *either* a
restricted day of month or a restricted weekday matches, APScheduler only when both do; an
expression restricting both is refused rather than run on the wrong days. Pure, so loading a
config checks its cron without paying for APScheduler.
"""

from __future__ import annotations

from dataclasses import dataclass

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
MONTH_NAMES = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_BOUNDS = {"minute": (0, 59), "hour": (0, 23), "day": (1, 31), "month": (1, 12)}


@dataclass(frozen=True)
class CronFields:
    """A cron expression's fields in APScheduler's terms (weekdays as day names)."""

    minute: str
    hour: str
    day: str
    month: str
    day_of_week: str


def parse_cron(expr: str) -> CronFields:
    """The fields of `expr` as cron reads them; ValueError says what is wrong."""
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
    for name, value in (("minute", minute), ("hour", hour), ("day", day), ("month", month)):
        _check_field(name, value.lower())
    return CronFields(minute, hour, day, month, weekday_names(weekday))


def _check_field(name: str, field: str) -> None:
    low, high = _BOUNDS[name]
    for part in field.split(","):
        base, _, step_text = part.partition("/")
        if step_text and _number(step_text, "step") < 1:
            raise ValueError(f"{name} step must be at least 1 in {part!r}")
        if base == "*":
            continue
        ends = base.split("-", 1)
        values = [_field_value(name, end) for end in ends]
        for value in values:
            if not low <= value <= high:
                raise ValueError(f"{name} {value} is not between {low} and {high}")
        if len(values) == 2 and values[1] < values[0]:
            raise ValueError(f"{name} range {base!r} runs backwards")


def _field_value(name: str, text: str) -> int:
    if name == "month" and text in MONTH_NAMES:
        return MONTH_NAMES.index(text) + 1
    return _number(text, name)


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
