"""The database: engine set-up, dialect upserts and the queries the rest of trialwatch needs.

Functions here take a Session and plain values; they never call the API.
"""

from __future__ import annotations

import functools
import json
import weakref
from collections.abc import Collection, Sequence
from typing import Any

from sqlalchemy import Engine, create_engine, event, inspect, select
from sqlalchemy.exc import DatabaseError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from trialwatch.domain.records import loads_json
from trialwatch.errors import StoreError, safe_text
from trialwatch.store import schema
from trialwatch.store.models import (
    Base,
    RefreshRun,
    ReportRun,
    SearchState,
)

CHUNK = 500  # ids per IN (...) list: stays below SQLite's bound-parameter limit


class RawJson(str):
    """JSON text already serialised (by `records.canonical_record`): stored as is, not re-dumped."""


def _json_dumps(value: Any) -> str:
    # a full record is up to ~400 KB of JSON: dumping it again for the column costs a second hash
    return value if isinstance(value, RawJson) else json.dumps(value)


# Engines made by `make_engine`, whose JSON serializer stores a RawJson as it is.
_RAW_JSON_ENGINES: weakref.WeakSet[Engine] = weakref.WeakSet()


def raw_json(session: Session, canonical: str) -> Any:
    """The value for a JSON column: `canonical` (the record's JSON) when the engine stores it as
    is, else the decoded value (an engine not made by `make_engine` would store a string)."""
    bind = session.get_bind()
    engine = bind if isinstance(bind, Engine) else bind.engine
    return RawJson(canonical) if engine in _RAW_JSON_ENGINES else loads_json(canonical)


def make_engine(url: str) -> Engine:
    """An Engine for `url`; SQLite gets WAL (readers go on during a refresh) and a busy timeout."""
    if url.startswith("sqlite"):
        engine = create_engine(
            url,
            connect_args={"timeout": 30},
            json_serializer=_json_dumps,
            json_deserializer=loads_json,
        )
        _RAW_JSON_ENGINES.add(engine)

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
            cursor = dbapi_conn.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()

        return engine
    engine = create_engine(
        url, pool_pre_ping=True, json_serializer=_json_dumps, json_deserializer=loads_json
    )
    _RAW_JSON_ENGINES.add(engine)
    return engine


def open_store(url: str, *, create: bool = True, config_path: str | None = None) -> Engine:
    """Open the store at the newest schema revision; raise StoreError if it is unusable.

    SQLite is created or upgraded on the spot (zero set-up) unless `create` is False. A shared
    PostgreSQL store is never migrated behind anyone's back: an empty or out-of-date one is
    refused with the command to run (`config_path` goes into that command).
    """
    engine = make_engine(url)
    try:
        state = schema.check_schema(engine)  # one SELECT when the store is current
        if state.status != "current":
            auto = create and engine.dialect.name == "sqlite"
            if not (auto and state.status in ("empty", "outdated", "unversioned")):
                hint = f" --config {config_path}" if config_path else ""
                raise StoreError(schema.refusal(state, safe_url(url), hint))
            schema.upgrade(engine)
    except StoreError:
        engine.dispose()
        raise
    except (DatabaseError, OperationalError) as exc:
        engine.dispose()
        reason = first_line(exc)
        if "readonly" in reason or "read-only" in reason or _read_only_file(url):
            raise StoreError(
                f"The database at {safe_url(url)} is read-only ({reason}), and this command "
                "writes to it. Lookups (show, history, changes, status, export) still read it."
            ) from None
        raise StoreError(f"Cannot open the database at {safe_url(url)}: {reason}") from None
    return engine


def _read_only_file(url: str) -> bool:
    """Whether `url` is a SQLite file that cannot be written (or whose folder cannot be)."""
    import os

    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database:
        return False
    path = os.path.abspath(parsed.database)
    return os.path.exists(path) and not (
        os.access(path, os.W_OK) and os.access(os.path.dirname(path), os.W_OK)
    )


def upgrade_store(url: str) -> schema.SchemaState:
    """`trialwatch db upgrade`: create or migrate the schema; returns where it stood before."""
    engine = make_engine(url)
    try:
        return schema.upgrade(engine)
    except (DatabaseError, OperationalError) as exc:
        raise StoreError(
            f"Cannot upgrade the database at {safe_url(url)}: {first_line(exc)}"
        ) from None
    finally:
        engine.dispose()


def store_schema(url: str) -> schema.SchemaState:
    """`trialwatch db current`: where the database's schema stands."""
    engine = make_engine(url)
    try:
        return schema.check_schema(engine)
    except (DatabaseError, OperationalError) as exc:
        raise StoreError(
            f"Cannot open the database at {safe_url(url)}: {first_line(exc)}"
        ) from None
    finally:
        engine.dispose()


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


def safe_url(url: str) -> str:
    """The URL without a password (in the user part or in the query), for messages."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        return safe_text(make_url(url).render_as_string(hide_password=True))
    except (ArgumentError, ValueError):
        return safe_text(url)


def first_line(exc: Exception) -> str:
    """The first line of a database error's message (the driver's own, without SQL)."""
    orig = getattr(exc, "orig", None) or exc
    return safe_text(str(orig).splitlines()[0]) if str(orig) else type(orig).__name__


# -- upserts -----------------------------------------------------------------------------------
def _insert_for(session: Session) -> Any:
    name = session.get_bind().dialect.name
    if name == "postgresql":
        from sqlalchemy.dialects import postgresql

        return postgresql.insert
    if name == "sqlite":
        from sqlalchemy.dialects import sqlite

        return sqlite.insert
    raise StoreError(f"unsupported database backend {name!r} (use SQLite or PostgreSQL)")


def upsert(
    session: Session,
    model: type[Base],
    rows: Sequence[dict[str, Any]],
    *,
    keep: Collection[str] = (),
) -> None:
    """INSERT ... ON CONFLICT (primary key) DO UPDATE every other given column but those in
    `keep` (every row has the same keys). One cached statement run with executemany: a multi-row
    VALUES statement is compiled anew for every chunk, which cost more than the insert itself."""
    if not rows:
        return
    stmt = _upsert_statement(_insert_for(session), model, tuple(rows[0]), frozenset(keep))
    session.execute(stmt, list(rows))


@functools.lru_cache(maxsize=64)
def _upsert_statement(
    insert: Any, model: type[Base], columns: tuple[str, ...], keep: frozenset[str]
) -> Any:
    """Built once per table, dialect and column set: building `excluded` for a 30-column table
    cost more than a one-row insert (an import upserts one study at a time)."""
    keys = [c.name for c in inspect(model).primary_key]
    stmt = insert(model.__table__)
    updates = {c: stmt.excluded[c] for c in columns if c not in keys and c not in keep}
    if updates:
        return stmt.on_conflict_do_update(index_elements=keys, set_=updates)
    return stmt.on_conflict_do_nothing(index_elements=keys)


# -- searches ----------------------------------------------------------------------------------
def search_state(session: Session, name: str) -> SearchState | None:
    return session.get(SearchState, name)


# -- runs --------------------------------------------------------------------------------------
def last_successful_run(session: Session) -> RefreshRun | None:
    return session.scalars(
        select(RefreshRun).where(RefreshRun.outcome == "ok").order_by(RefreshRun.id.desc()).limit(1)
    ).first()


def last_report(session: Session, skip: int = 0) -> ReportRun | None:
    """The newest rendered report (skip=1: the one before it)."""
    query = select(ReportRun).order_by(ReportRun.id.desc()).offset(skip).limit(1)
    return session.scalars(query).first()


def recent_runs(session: Session, limit: int = 10) -> list[RefreshRun]:
    return list(session.scalars(select(RefreshRun).order_by(RefreshRun.id.desc()).limit(limit)))
