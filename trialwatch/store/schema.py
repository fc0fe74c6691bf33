"""Schema revisions (Alembic): which one a database is at, and bringing it to the newest.

A current store costs one SELECT on alembic_version, compared with HEAD_REVISION; Alembic itself
is imported only when something has to be migrated or explained.
"""

from __future__ import annotations

import logging
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from sqlalchemy import Connection, Engine, create_engine, inspect, text
from sqlalchemy.exc import OperationalError, ProgrammingError

from trialwatch.errors import StoreError
from trialwatch.store.models import Base

if TYPE_CHECKING:
    from alembic.config import Config as AlembicConfig

# The newest revision in trialwatch/migrations/versions; a test keeps the two equal.
HEAD_REVISION = "0004"
INITIAL_REVISION = "0001"
VERSION_TABLE = "alembic_version"
SCRIPT_LOCATION = "trialwatch.store:migrations"
log = logging.getLogger(__name__)

Status = Literal["current", "empty", "outdated", "unversioned", "unknown", "foreign"]


@dataclass(frozen=True)
class SchemaState:
    """Where a database stands. `tables` is only filled in when the revision is not the head."""

    status: Status
    revision: str | None
    tables: frozenset[str] = frozenset()


def read_revision(conn: Connection) -> str | None:
    """The revision in alembic_version; None when the table is missing (empty or pre-Alembic)."""
    if conn.in_transaction():
        # The caller's transaction holds the migration lock: look before reading, since a failed
        # statement would force a rollback and drop the lock.
        return _select_revision(conn) if inspect(conn).has_table(VERSION_TABLE) else None
    try:  # one statement on the usual path, a current store
        return _select_revision(conn)
    except (OperationalError, ProgrammingError):
        conn.rollback()  # PostgreSQL refuses further statements in a failed transaction
        if inspect(conn).has_table(VERSION_TABLE):
            raise  # the table is there, so the failure is real (permissions, say)
        return None


def _select_revision(conn: Connection) -> str | None:
    rows = conn.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).scalars().all()
    return ",".join(sorted(rows)) or None


def check_schema(engine: Engine) -> SchemaState:
    """Classify the database; on a current store this is one cheap query."""
    with engine.connect() as conn:
        return _state(conn)


def _state(conn: Connection) -> SchemaState:
    revision = read_revision(conn)
    if revision == HEAD_REVISION:
        return SchemaState("current", revision)
    tables = frozenset(inspect(conn).get_table_names())
    if revision is None:
        if not tables:
            return SchemaState("empty", None, tables)
        if tables & set(Base.metadata.tables):
            return SchemaState("unversioned", None, tables)
        return SchemaState("foreign", None, tables)
    if revision in _known_revisions():
        return SchemaState("outdated", revision, tables)
    return SchemaState("unknown", revision, tables)


def refusal(state: SchemaState, where: str, config_hint: str = "") -> str:
    """What is wrong with the database and the command that fixes it, for a StoreError."""
    run = f"trialwatch{config_hint} db upgrade"
    if state.status == "empty":
        return f"The database at {where} has no trialwatch tables yet. Create them with: {run}"
    if state.status == "outdated":
        return (
            f"The database at {where} is at schema revision {state.revision}, but this trialwatch "
            f"needs {HEAD_REVISION}. Back it up, then upgrade it with: {run}"
        )
    if state.status == "unversioned":
        return (
            f"The database at {where} holds trialwatch tables from before schema migrations. "
            f"Adopt them with: {run}"
        )
    if state.status == "unknown":
        return (
            f"The database at {where} is at schema revision {state.revision}, which this "
            "trialwatch does not know (a newer trialwatch upgraded it). Install that version."
        )
    if state.status == "foreign":
        sample = ", ".join(sorted(state.tables)[:5])
        return (
            f"The database at {where} is not a trialwatch store (it holds other tables: "
            f"{sample}). Point [database] url at an empty database or a trialwatch one."
        )
    return f"The database at {where} is up to date."


# -- Alembic (imported only from here on) ---------------------------------------------------------
def alembic_config(conn: Connection | None = None) -> AlembicConfig:
    """An Alembic config built in code: the scripts inside the package, our open connection."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", SCRIPT_LOCATION)
    config.attributes["connection"] = conn
    return config


def _known_revisions() -> set[str]:
    from alembic.script import ScriptDirectory

    return {s.revision for s in ScriptDirectory.from_config(alembic_config()).walk_revisions()}


def upgrade(engine: Engine) -> SchemaState:
    """Bring the database to the head revision; return where it stood before.

    Holds a lock while it checks and migrates, so two upgrades at once run one after the other.
    A pre-Alembic database is adopted (stamped) when its tables match the initial revision.
    """
    from alembic import command

    with engine.connect() as conn:
        _lock_for_migration(conn)
        state = _state(conn)
        if state.status in ("unknown", "foreign"):
            raise StoreError(refusal(state, _where(engine)))
        config = alembic_config(conn)
        if state.status != "current":
            before = state.revision or state.status
            log.info(
                "Upgrading the schema of %s from %s to %s", _where(engine), before, HEAD_REVISION
            )
        if state.status == "unversioned":
            _check_adoptable(conn)
            command.stamp(config, INITIAL_REVISION)
        if state.status != "current":
            command.upgrade(config, "head")
        conn.commit()
    return state


def _lock_for_migration(conn: Connection) -> None:
    if conn.dialect.name == "sqlite":
        # pysqlite leaves DDL outside any transaction; take the write lock explicitly instead.
        conn.exec_driver_sql("BEGIN IMMEDIATE")
    elif conn.dialect.name == "postgresql":
        # Scoped to the store's schema, like the refresh lock (trialwatch.store.lock).
        keys = "hashtext('trialwatch-migrate'), hashtext(coalesce(current_schema(), ''))"
        conn.execute(text(f"SELECT pg_advisory_xact_lock({keys})"))


def initial_layout() -> dict[str, set[str]]:
    """{table: columns} as the initial revision creates them (built in a scratch SQLite)."""
    from alembic import command

    scratch = create_engine("sqlite://")
    try:
        with scratch.begin() as conn:
            command.upgrade(alembic_config(conn), INITIAL_REVISION)
            return _layout(conn, exclude={VERSION_TABLE})
    finally:
        scratch.dispose()


def _layout(conn: Connection, exclude: Collection[str] = ()) -> dict[str, set[str]]:
    insp = inspect(conn)
    return {
        t: {c["name"] for c in insp.get_columns(t)}
        for t in insp.get_table_names()
        if t not in exclude
    }


def _check_adoptable(conn: Connection) -> None:
    expected, found = initial_layout(), _layout(conn)
    problems = [f"missing table {t}" for t in sorted(set(expected) - set(found))]
    for table in sorted(set(expected) & set(found)):
        missing = sorted(expected[table] - found[table])
        extra = sorted(found[table] - expected[table])
        problems += [f"{table} lacks column {c}" for c in missing]
        problems += [f"{table} has unexpected column {c}" for c in extra]
    if problems:
        raise StoreError(
            f"The database at {_where(conn.engine)} holds trialwatch tables from before schema "
            f"migrations that do not match the initial schema ({'; '.join(problems)}). "
            "Start a new database (a refresh --full rebuilds it from the registry)."
        )


def _where(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=True)


def new_revision(message: str) -> Path:
    """Autogenerate the next revision (for developers): models compared with a scratch database
    migrated to the current head. Returns the new script's path; review it before committing.
    """
    from alembic import command
    from alembic.script import Script

    head = head_revision_or_none()
    rev_id = f"{int(head or 0) + 1:04d}"
    scratch = create_engine("sqlite://")
    try:
        with scratch.begin() as conn:
            config = alembic_config(conn)
            command.upgrade(config, "head")
            script = command.revision(config, message, autogenerate=True, rev_id=rev_id)
    finally:
        scratch.dispose()
    if not isinstance(script, Script):
        raise StoreError("Alembic did not write a revision")
    return Path(script.path)


def head_revision_or_none() -> str | None:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head()
