"""Checks on settings that need no I/O, and msgspec's validation errors put in plain words.

msgspec says "Expected `int` >= 1 - at `$.searches[0].max_studies`"; `explain` says
"key 'searches[0].max_studies': must be at least 1", as the README promises.
"""

from __future__ import annotations

import math
import re
import typing
from email.utils import parseaddr
from typing import Annotated, Any
from urllib.parse import urlsplit

from msgspec import Meta, Struct

from trialwatch.domain.cron import parse_cron

_SPACE_OR_CONTROL = re.compile(r"[\s\x00-\x1f\x7f]")


def is_one_word(text: str) -> bool:
    """No spaces, no line breaks, no control characters (a host name, a URL)."""
    return _SPACE_OR_CONTROL.search(text) is None


def is_address(value: str) -> bool:
    """`name@domain` or `Display Name <name@domain>`, on one line."""
    _name, address = parseaddr(value)
    return "@" in address and "\n" not in value and "\r" not in value


def first_repeat(values: list[str]) -> int | None:
    """The index of the first value seen before, or None."""
    seen: set[str] = set()
    for i, value in enumerate(values):
        if value in seen:
            return i
        seen.add(value)
    return None


def numbers_as_text(data: dict[str, Any], array: str, table: str) -> dict[str, Any]:
    """Numbers in `data[array][i][table]` become text (`pageSize = 10` means the text "10")."""
    items = data.get(array)
    if not isinstance(items, list):
        return data
    fixed = []
    for item in items:
        values = item.get(table) if isinstance(item, dict) else None
        if isinstance(values, dict):
            item = {**item, table: {k: _number_as_text(v) for k, v in values.items()}}
        fixed.append(item)
    return {**data, array: fixed}


def _number_as_text(value: Any) -> Any:
    return value if isinstance(value, bool) or not isinstance(value, int | float) else str(value)


def timezone_problem(name: str) -> str | None:
    """What is wrong with an IANA time zone name, or None."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return f"unknown time zone {name!r} (use an IANA name such as 'America/Denver')"
    return None


def cron_problem(expression: str) -> str | None:
    """What is wrong with a five-field cron expression, or None."""
    try:
        parse_cron(expression)
    except ValueError as exc:
        return (
            f"not a valid cron expression {expression!r} "
            f"(minute hour day month weekday, e.g. '0 6 * * *'): {exc}"
        )
    return None


def url_problem(url: str) -> str | None:
    """What is wrong with an http(s) URL (host, port, spaces), or None."""
    if not url.startswith(("http://", "https://")):
        return "must start with http:// or https://"
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 -- reading it checks it (a port of 99999 raises)
    except ValueError as exc:
        return f"not a valid URL {url!r}: {exc}"
    if not is_one_word(url):
        return "must not contain spaces or control characters"
    return None if parts.hostname else "has no host name"


_ERROR = re.compile(r"^(?P<problem>.*?)(?: - at `\$(?P<path>[^`]*)`)?$", re.S)
_STEP = re.compile(r"\.([^.\[]+)|\[(\d+|\.\.\.)\]")


def explain(message: str, data: Any, root: type[Struct]) -> str:
    """msgspec's message about `data` (converted to `root`) as `key 'a.b': problem`."""
    match = _ERROR.match(message)
    assert match is not None  # the pattern matches any text
    problem, path = match["problem"], match["path"] or ""
    steps: list[str | int | None] = [  # None: a value in a table of text (msgspec's `[...]`)
        name if name else (int(index) if index.isdigit() else None)
        for name, index in _STEP.findall(path)
    ]
    if unknown := re.match(r"Object contains unknown field `(.+)`", problem):
        hint = _bare(_hint_at(root, steps))
        known = ", ".join(sorted(hint.__struct_fields__))
        return f"unknown key '{_key(steps + [unknown[1]])}' (known: {known})"
    if missing := re.match(r"Object missing required field `(.+)`", problem):
        return f"key '{_key(steps + [missing[1]])}' is required"
    # an element of an array or a table of text is reported as its array or table
    while steps and not isinstance(steps[-1], str):
        steps.pop()
    hint, value = _hint_at(root, steps), _value_at(data, steps)
    if re.match(r"Expected `str` of length", problem) and typing.get_origin(hint) is Annotated:
        return f"key '{_key(steps)}': {_length_words(typing.get_args(hint)[1], value)}"
    bound = re.match(r"Expected `\w+` [<>]", problem) is not None
    return f"key '{_key(steps)}': {_words(hint, value, bound, _key(steps))}"


def _key(steps: list[Any]) -> str:
    return "".join(f"[{s}]" if isinstance(s, int) else f".{s}" for s in steps).lstrip(".")


def _hint_at(root: type[Struct], steps: list[Any]) -> Any:
    hint: Any = root
    for step in steps:
        hint = _bare(hint)
        if isinstance(step, str):
            hint = typing.get_type_hints(hint, include_extras=True)[step]
        else:
            hint = typing.get_args(hint)[0]
    return hint


def _bare(hint: Any) -> Any:
    """`X | None` -> X (for walking into an optional table)."""
    args = [a for a in typing.get_args(hint) if a is not type(None)]
    return args[0] if typing.get_origin(hint) not in (tuple, dict, Annotated) and args else hint


def _value_at(data: Any, steps: list[Any]) -> Any:
    for step in steps:
        data = data[step]
    return data


def _words(hint: Any, value: Any, bound: bool, key: str) -> str:
    if typing.get_origin(hint) is Annotated:
        base, meta = typing.get_args(hint)
        if bound:
            return _bound_words(meta, value)
        hint = base
    hint = _bare(hint)
    origin = typing.get_origin(hint)
    if origin is dict:
        return "expected a table of text values"
    if origin is tuple:
        item = typing.get_args(hint)[0]
        if isinstance(item, type) and issubclass(item, Struct):
            return f"expected an array of tables ([[{key}]])"
        return f"expected an array of text, got {value!r}"
    if isinstance(hint, type) and issubclass(hint, Struct):
        return "expected a table"
    words = {float: "a number", int: "a whole number", bool: "true or false", str: "text"}
    return f"expected {words[hint]}, got {value!r}"


def _length_words(meta: Meta, value: str) -> str:
    """A text longer than the store's column holds (the value itself may be long: not quoted)."""
    return (
        f"must be at most {meta.max_length} characters (the length the database stores), "
        f"got {len(value)}"
    )


def _bound_words(meta: Meta, value: float) -> str:
    if isinstance(value, float) and not math.isfinite(value):
        return f"must be a finite number, got {value!r}"
    if meta.description:  # the range said in one phrase
        return f"must be {meta.description}, got {value!r}"
    if meta.le is not None and value > meta.le:
        return f"must be at most {meta.le}, got {value!r}"
    if meta.gt is not None:
        return f"must be greater than {meta.gt}"
    return "must not be negative" if meta.ge == 0 else f"must be at least {meta.ge}"
