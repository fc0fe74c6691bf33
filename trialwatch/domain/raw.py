"""Pure, defensive reading of raw API v2 JSON: a wrong shape reads as empty, never raises."""

from __future__ import annotations

from typing import Any


def obj(value: Any, *path: str) -> dict[str, Any]:
    """The object at `path`, or {} when any step is missing or not an object."""
    for key in path:
        value = value.get(key) if isinstance(value, dict) else None
    return value if isinstance(value, dict) else {}


def objs(value: Any, key: str) -> list[dict[str, Any]]:
    """The objects in the list at `key` (anything else in it is skipped)."""
    items = value.get(key) if isinstance(value, dict) else None
    return [i for i in items if isinstance(i, dict)] if isinstance(items, list) else []


def text(value: Any, key: str) -> str | None:
    """A registered value as the registry wrote it (numbers as their text)."""
    item = value.get(key) if isinstance(value, dict) else None
    if isinstance(item, str):
        return item
    if isinstance(item, bool):  # a yes/no field (healthy volunteers): its JSON spelling
        return "true" if item else "false"
    if isinstance(item, int | float):
        return str(item)
    return None


def texts(value: Any, key: str) -> tuple[str, ...]:
    items = value.get(key) if isinstance(value, dict) else None
    return tuple(str(i) for i in items if isinstance(i, str)) if isinstance(items, list) else ()


def same_text(a: str | None, b: str | None) -> bool:
    """Equal once whitespace runs are folded: re-wrapped text is not a change of content."""
    return " ".join((a or "").split()) == " ".join((b or "").split())


def text_at(record: Any, *path: str) -> str | None:
    """The text at `path` (strings only), or None when any step is missing or odd."""
    node = obj(record, *path[:-1]).get(path[-1]) if path else None
    return node if isinstance(node, str) else None


def nct_id(record: Any) -> str | None:
    """The record's NCT id as written in it."""
    return text_at(record, "protocolSection", "identificationModule", "nctId")


def last_update_posted(record: Any) -> str | None:
    """The date the registry last posted an update of the record."""
    return text_at(record, "protocolSection", "statusModule", "lastUpdatePostDateStruct", "date")
