"""Opening the store for reading: never creates a database or a schema, and turns database
errors into one StoreError line. Used by lookups, `status` and exports.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from trialwatch.domain.records import loads_json
from trialwatch.errors import StoreError
from trialwatch.store import engine as store


def sqlite_file(url: str) -> Path | None:
    """The database file of a SQLite URL (None for other backends and in-memory databases)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return None
    database = parsed.database
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return Path(database)


def open_reader(url: str, config_path: Path | str | None = None) -> Engine:
    """An engine on an existing store. A missing SQLite file is an error, never created here.

    The schema is not inspected up front (that costs a round trip on every lookup); a missing
    table surfaces as a StoreError from `reading` instead.
    """
    path = sqlite_file(url)
    if path is not None and not path.is_file():
        where = f" (see [database] url in {config_path})" if config_path else ""
        raise StoreError(
            f"No trialwatch database at {path}{where}. "
            "Run `trialwatch refresh` first to create it, or point --config at the right file."
        )
    if path is not None:
        return _read_only_sqlite(path)
    return store.make_engine(url)


def _read_only_sqlite(path: Path) -> Engine:
    """SQLite opened read-only: a lookup never writes, so a read-only file or mount is fine.

    On a read-only folder the WAL's shared-memory file cannot be made; with no WAL file left
    there, nobody is writing, and the file is read as immutable.
    """
    import os
    import sqlite3
    from urllib.parse import quote

    from sqlalchemy import create_engine

    mode = "ro"
    if not os.access(path.parent, os.W_OK) and not path.with_name(path.name + "-wal").exists():
        mode = "ro&immutable=1"
    uri = f"file:{quote(str(path.resolve()))}?mode={mode}"
    return create_engine(
        "sqlite://",
        creator=lambda: sqlite3.connect(uri, uri=True, timeout=30),
        json_deserializer=loads_json,  # orjson: a store's records decode 5x faster
    )


@contextmanager
def reading(url: str, config_path: Path | str | None = None) -> Iterator[Session]:
    """A session for lookups; database errors become one StoreError line, not a traceback."""
    engine = open_reader(url, config_path)
    try:
        _refuse_a_newer_schema(engine, store.safe_url(url), config_path)
        with Session(engine) as session:
            yield session
    except DBAPIError as exc:
        reason = str(getattr(exc, "orig", None) or exc).splitlines()[0]
        hint = ""
        if "no such table" in reason or "does not exist" in reason:
            hint = (
                " It is not a trialwatch store, or its schema is older than this trialwatch"
                " (`trialwatch db upgrade`)."
            )
        shown = store.safe_url(url)
        refusal = _schema_refusal(engine, shown, config_path)  # checked only once a read failed
        if refusal:
            raise StoreError(refusal) from None
        raise StoreError(f"Cannot read the database at {shown}: {reason}.{hint}") from None
    finally:
        engine.dispose()


def _refuse_a_newer_schema(engine: Engine, shown: str, config_path: Path | str | None) -> None:
    """A store a newer trialwatch upgraded is refused, not read (one cheap query)."""
    from trialwatch.store import schema

    with engine.connect() as conn:
        revision = schema.read_revision(conn)
    if revision is not None and revision != schema.HEAD_REVISION:
        state = schema.check_schema(engine)
        if state.status == "unknown":
            hint = f" --config {config_path}" if config_path else ""
            raise StoreError(schema.refusal(state, shown, hint))


def _schema_refusal(engine: Engine, shown: str, config_path: Path | str | None) -> str | None:
    """If the schema is not this trialwatch's, what to run about it (None if it is, or unknown)."""
    from trialwatch.store import schema

    try:
        state = schema.check_schema(engine)
    except DBAPIError:
        return None
    if state.status == "current":
        return None
    return schema.refusal(state, shown, f" --config {config_path}" if config_path else "")
