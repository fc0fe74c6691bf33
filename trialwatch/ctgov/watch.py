"""A deadline for a whole answer, and a stop request that cuts a transfer short.

urllib3's (connect, read) timeouts bound each socket operation, so a server sending one byte a
second never times out. While a request runs, a `Watch` thread shuts its socket down once the
deadline has passed since the request went out, or once a stop is requested (SIGTERM): the
blocked read then returns within a fraction of a second, and no further attempt is made.
"""

from __future__ import annotations

import math
import socket
import threading
import time
from typing import Any

from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

from trialwatch.ctgov.stop import STOP

WATCH_EVERY = 0.2  # seconds: how often a running request looks at its deadline and the stop flag


class Aborted(Exception):
    """Raised inside urllib3 once a Watch has fired: no further attempt is made."""


class Watch:
    """One request's deadline and stop check; shuts its sockets down when either passes."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.until = math.inf  # armed when the request is sent, disarmed between attempts
        self.fired: str | None = None  # "deadline", or the stop request's reason
        self.failed_attempts = 0  # counted by the retry (trialwatch.ctgov.session.CappedRetry)
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._done = threading.Event()
        self._fired = threading.Event()
        self._thread = threading.Thread(target=self._run, name="trialwatch-watch", daemon=True)

    def __enter__(self) -> Watch:
        _current.watch = self
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        _current.watch = None
        self._done.set()

    def arm(self, sock: socket.socket | None) -> None:
        """A request was sent on `sock`: its whole answer must arrive within `seconds`."""
        with self._lock:
            self.check()
            self.until = time.monotonic() + self.seconds
            if sock is not None:
                self._sockets.append(sock)

    def check(self) -> None:
        if self.fired is not None:
            raise Aborted(self.fired)

    def pause(self, seconds: float) -> None:
        """Sleep between attempts (back-off, Retry-After), ending early on a stop request."""
        with self._lock:
            self.until = math.inf
        self._fired.wait(max(seconds, 0))
        self.check()

    def _run(self) -> None:
        while not self._done.wait(WATCH_EVERY):
            reason = STOP.reason if STOP.is_set() else None
            if reason is None and time.monotonic() < self.until:
                continue
            with self._lock:
                self.fired = reason or "deadline"
                for sock in self._sockets:
                    try:
                        sock.shutdown(socket.SHUT_RDWR)
                    except OSError:
                        pass  # already closed
            self._fired.set()
            return


class _Current(threading.local):
    watch: Watch | None = None


_current = _Current()


def current_watch() -> Watch | None:
    """The Watch of the request running on this thread, if any."""
    return _current.watch


class _WatchedConnection:
    """Mixed into urllib3's connections: each request's socket is handed to the running Watch."""

    sock: socket.socket | None

    def connect(self) -> None:
        if _current.watch is not None:
            _current.watch.check()
        super().connect()  # type: ignore[misc]

    def getresponse(self, *args: Any, **kwargs: Any) -> Any:
        if _current.watch is not None:
            _current.watch.arm(self.sock)
        return super().getresponse(*args, **kwargs)  # type: ignore[misc]


class WatchedHTTPConnection(_WatchedConnection, HTTPConnection):
    pass


class WatchedHTTPSConnection(_WatchedConnection, HTTPSConnection):
    pass


class WatchedHTTPPool(HTTPConnectionPool):
    ConnectionCls = WatchedHTTPConnection


class WatchedHTTPSPool(HTTPSConnectionPool):
    ConnectionCls = WatchedHTTPSConnection


_WATCHED_POOLS = {"http": WatchedHTTPPool, "https": WatchedHTTPSPool}


class WatchedAdapter(HTTPAdapter):
    """requests' adapter whose connections (direct or through a proxy) a Watch can cut."""

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = _WATCHED_POOLS

    def proxy_manager_for(self, proxy: str, **proxy_kwargs: Any) -> Any:
        manager = super().proxy_manager_for(proxy, **proxy_kwargs)
        manager.pool_classes_by_scheme = _WATCHED_POOLS
        return manager
