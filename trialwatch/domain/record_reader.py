"""Reading one raw registry record by path, defensively: each value of the wrong shape is named
as a problem instead of raising (trialwatch.domain.records builds a study's summary with it).
"""

from __future__ import annotations

from typing import Any

from trialwatch.domain.dates import date_precision

# The store's column sizes for codes: a longer "code" is garbage, named instead of stored.
CODE_LIMITS = {"code": 40, "type": 20}


class RecordReader:
    """Walks a record by path, collecting a problem instead of raising on a wrong shape."""

    def __init__(self, record: Any) -> None:
        self.record = record if isinstance(record, dict) else {}
        self.problems: list[str] = []
        if not isinstance(record, dict):
            self.problems.append("record: not a JSON object")

    def node(self, *path: str) -> Any:
        cur: Any = self.record
        for i, key in enumerate(path):
            if cur is None:
                return None
            if not isinstance(cur, dict):
                self.problems.append(f"{'.'.join(path[:i])}: expected an object")
                return None
            if key in cur and cur[key] is None:  # the API omits absent values; null is odd
                self.problems.append(f"{'.'.join(path[: i + 1])}: null")
            cur = cur.get(key)
        return cur

    def text(self, *path: str) -> str | None:
        value = self.node(*path)
        if value is None or isinstance(value, str):
            return value
        if isinstance(value, int | float) and not isinstance(value, bool):
            return str(value)
        self.problems.append(f"{'.'.join(path)}: expected text, got {type(value).__name__}")
        return None

    def code(self, *path: str, limit: int = CODE_LIMITS["code"]) -> str | None:
        """A registry code (status, type, class): kept verbatim if unknown, if it fits the store."""
        value = self.text(*path)
        if value is not None and len(value) > limit:
            self.problems.append(
                f"{'.'.join(path)}: too long for a registry code ({len(value)} characters)"
            )
            return None
        return value

    def texts(self, *path: str, key: str | None = None) -> tuple[str, ...]:
        """A list of strings (or of objects whose `key` is a string)."""
        value = self.node(*path)
        if value is None:
            return ()
        if not isinstance(value, list):
            self.problems.append(f"{'.'.join(path)}: expected a list")
            return ()
        out: list[str] = []
        for item in value:
            if key is not None:
                item = item.get(key) if isinstance(item, dict) else None
            if isinstance(item, str):
                out.append(item)
            else:
                self.problems.append(f"{'.'.join(path)}: skipped an entry that is not text")
        return tuple(out)

    def date(self, *path: str) -> tuple[str | None, str | None]:
        struct = self.node(*path)
        if struct is None:
            return None, None
        if not isinstance(struct, dict):
            self.problems.append(f"{'.'.join(path)}: expected an object")
            return None, None
        date, kind = struct.get("date"), struct.get("type")
        self.problems += [
            f"{'.'.join(path)}.{k}: null"
            for k in ("date", "type")
            if k in struct and struct[k] is None
        ]
        if date is not None and not (isinstance(date, str) and date_precision(date)):
            self.problems.append(f"{'.'.join(path)}.date: not a registry date: {date!r}")
            date = None
        if kind is not None and not (isinstance(kind, str) and len(kind) <= CODE_LIMITS["type"]):
            self.problems.append(f"{'.'.join(path)}.type: expected a short code: {kind!r:.60}")
            kind = None
        return date, kind
