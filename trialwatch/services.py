"""Use cases the command line and the scheduler call: the only place that wires the pieces."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import requests
from sqlalchemy.orm import Session, sessionmaker

from trialwatch import store
from trialwatch.config import Config
from trialwatch.ctgov import CtgovClient, make_retry, make_session
from trialwatch.locking import refresh_lock
from trialwatch.refresh import RefreshResult, run_refresh


def make_client(config: Config, session: requests.Session | None = None) -> CtgovClient:
    api = config.api
    if session is None:
        session = make_session(make_retry(api.max_retries, api.backoff_factor, api.max_retry_after))
    return CtgovClient(
        api.base_url,
        session,
        timeout=(api.connect_timeout, api.read_timeout),
        min_interval=api.min_interval,
    )


@contextmanager
def open_sessions(config: Config) -> Iterator[sessionmaker[Session]]:
    engine = store.open_store(config.database_url)
    try:
        yield store.session_factory(engine)
    finally:
        engine.dispose()


def refresh(
    config: Config,
    *,
    full: bool = False,
    client: CtgovClient | None = None,
    trigger: str = "manual",
    lock_wait: float = 0.0,
) -> RefreshResult:
    """Fetch, store and log what changed; one refresh at a time per database."""
    client = client or make_client(config)
    with open_sessions(config) as sessions:
        engine = sessions.kw["bind"]
        with refresh_lock(engine, wait=lock_wait):
            return run_refresh(config, sessions, client, full=full, trigger=trigger)
