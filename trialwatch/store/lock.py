"""One refresh at a time across processes.

A file lock beside a SQLite database; a session-level advisory lock on PostgreSQL.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import DBAPIError

from trialwatch.errors import LockBusy

# Advisory locks are per database. The second key scopes ours to the store's schema, so stores
# that share a database (a schema each, as the tests do) never block one another.
_PG_KEYS = "hashtext('trialwatch-refresh'), hashtext(coalesce(current_schema(), ''))"


def lock_path_for(engine: Engine) -> Path | None:
    """The lock file beside a SQLite database file (None for other backends or memory)."""
    if engine.dialect.name != "sqlite":
        return None
    database = engine.url.database
    if not database or database == ":memory:":
        return None
    return Path(database + ".lock")


@contextmanager
def refresh_lock(engine: Engine, *, wait: float = 0.0) -> Iterator[Connection | None]:
    """Hold the refresh lock for the duration; raise LockBusy if another process keeps it.

    `wait` is how many seconds to wait for the other refresh to finish before giving up.
    Yields the connection that holds the lock on PostgreSQL (None on SQLite): a write made
    through it cannot commit once the lock is lost, since the lock dies with the connection.
    """
    message = (
        "Another trialwatch refresh is running on this database; "
        "it was left alone. Try again when it has finished (see `trialwatch status`)."
    )
    if engine.dialect.name == "postgresql":
        with engine.connect() as conn:
            deadline = time.monotonic() + wait
            while not conn.execute(text(f"SELECT pg_try_advisory_lock({_PG_KEYS})")).scalar():
                if time.monotonic() >= deadline:
                    raise LockBusy(message)
                time.sleep(0.5)
            conn.commit()  # idle: the refresh's write transaction runs on this connection
            try:
                yield conn
            finally:
                _unlock(conn)
        return
    path = lock_path_for(engine)
    if path is None:
        yield None
        return
    from filelock import FileLock, Timeout

    lock = FileLock(str(path))
    try:
        lock.acquire(timeout=wait)
    except Timeout:
        raise LockBusy(message) from None
    try:
        yield None
    finally:
        lock.release()


def _unlock(conn: Connection) -> None:
    if conn.invalidated or conn.closed:  # the lock went with its connection
        return
    try:
        conn.rollback()  # a failed write may have left its transaction open
        conn.execute(text(f"SELECT pg_advisory_unlock({_PG_KEYS})"))
        conn.commit()
    except DBAPIError:  # the connection broke: the server released the lock with it
        pass
