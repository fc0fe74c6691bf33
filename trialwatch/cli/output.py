"""Terminal output for the command line: JSON, aligned tables, progress. No I/O besides echo.

Tables are aligned for a person on a terminal and tab-separated when piped, so `cut` and
spreadsheets read them. Progress goes to standard error, and only when it is a terminal: nothing
appears under cron or in a pipe.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from typing import Any, TextIO

import click

from trialwatch.domain.text import terminal_safe

MAX_CELL = 60  # widest column on a terminal; longer text is cut with an ellipsis
json_option = click.option(
    "--json", "as_json", is_flag=True, help="Print JSON (for scripts) instead of text."
)


def is_tty(stream: TextIO | None = None) -> bool:
    stream = stream or sys.stdout
    return bool(getattr(stream, "isatty", lambda: False)())


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, tuple | set | frozenset):
        return list(value)
    if callable(getattr(value, "as_json", None)):  # a LoggedChange: its codes, for scripts
        return value.as_json()
    raise TypeError(f"cannot serialise {type(value).__name__} as JSON")


def dumps(data: Any) -> str:
    """Pretty JSON; datetimes as ISO 8601, registry dates stay the strings they were."""
    return json.dumps(data, indent=2, ensure_ascii=False, default=_json_default)


def echo_json(data: Any) -> None:
    """JSON keeps registry text exact: json.dumps escapes every control character."""
    click.echo(dumps(data))


def echo_text(text: str, *, err: bool = False) -> None:
    """Print a view: registry text in it cannot drive the terminal (escape sequences removed,
    controls and bidi overrides shown as <U+XXXX>); line breaks and tabs are kept."""
    click.echo(terminal_safe(text, keep="\n\t"), err=err)


def cell(value: Any) -> str:
    """A value as table text: lists joined, None empty, datetimes to the minute (UTC)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, list | tuple):
        return ", ".join(cell(v) for v in value)
    # One line per row whatever the registry typed, and no escape sequence reaches the terminal.
    return terminal_safe(" ".join(str(value).split()))


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def table(
    rows: Sequence[dict[str, Any]],
    columns: Sequence[tuple[str, str]],
    *,
    tty: bool | None = None,
    uncut: frozenset[str] = frozenset(),
) -> str:
    """Rows as text: `columns` are (key, heading). Aligned on a terminal, TSV otherwise.

    On a terminal long cells are cut, except in the `uncut` columns (what a row is about)."""
    tty = is_tty() if tty is None else tty
    headings = [heading for _, heading in columns]
    body = [[cell(row.get(key)) for key, _ in columns] for row in rows]
    if not tty:
        return "\n".join("\t".join(line) for line in [headings, *body])
    keep = [key in uncut for key, _ in columns]
    body = [
        [text if whole else _cut(text, MAX_CELL) for text, whole in zip(line, keep, strict=True)]
        for line in body
    ]
    widths = [max(len(line[i]) for line in [headings, *body]) for i in range(len(columns))]
    out = [
        "  ".join(text.ljust(w) for text, w in zip(line, widths, strict=True)).rstrip()
        for line in [headings, [("-" * w) for w in widths], *body]
    ]
    return "\n".join(out)


def fields(pairs: Sequence[tuple[str, Any]]) -> str:
    """`label: value` lines with the values aligned; empty values are left out."""
    shown = [(label, cell(value)) for label, value in pairs if cell(value)]
    width = max((len(label) for label, _ in shown), default=0)
    return "\n".join(f"{label + ':':<{width + 1}} {value}" for label, value in shown)


class Progress:
    """A one-line status on standard error, rewritten in place; silent unless it is a TTY."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self._shown = False

    def update(self, message: str) -> None:
        if self.enabled:
            click.echo(f"\r\x1b[2K{message}", nl=False, err=True)
            self._shown = True

    def close(self) -> None:
        if self._shown:
            click.echo("\r\x1b[2K", nl=False, err=True)


@contextmanager
def progress(enabled: bool | None = None) -> Iterator[Progress]:
    """Progress display for long work; on by default only when standard error is a terminal."""
    bar = Progress(is_tty(sys.stderr) if enabled is None else enabled)
    try:
        yield bar
    finally:
        bar.close()


def section(title: str, rows: list[dict[str, Any]], columns: Any) -> str:
    """A titled table in a report for people (`show`, `history`, `status`): aligned even when
    piped; "none yet" when there are no rows."""
    if not rows:
        return f"{title}:\n  none yet"
    return f"{title}:\n" + "\n".join(
        "  " + line for line in table(rows, columns, tty=True).splitlines()
    )
