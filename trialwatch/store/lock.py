"""One refresh at a time across processes.

A file lock beside a SQLite database; a session-level advisory lock on PostgreSQL.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, text

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
def refresh_lock(engine: Engine, *, wait: float = 0.0) -> Iterator[None]:
    """Hold the refresh lock for the duration; raise LockBusy if another process keeps it.

    `wait` is how many seconds to wait for the other refresh to finish before giving up.
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
            try:
                yield
            finally:
                conn.execute(text(f"SELECT pg_advisory_unlock({_PG_KEYS})"))
                conn.commit()
        return
    path = lock_path_for(engine)
    if path is None:
        yield
        return
    from filelock import FileLock, Timeout

    lock = FileLock(str(path))
    try:
        lock.acquire(timeout=wait)
    except Timeout:
        raise LockBusy(message) from None
    try:
        yield
    finally:
        lock.release()
