"""The registry's transport: one requests.Session with urllib3 Retry, pacing, timeouts, a deadline.

`[api] read_timeout` bounds the whole answer, not each socket read (trialwatch.ctgov.watch), and
a stop request cuts a transfer short. Every failure becomes an ApiError that says what happened,
with no password or token from a URL in it.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from types import TracebackType
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import requests
from urllib3.util.retry import Retry

from trialwatch import __version__
from trialwatch.ctgov.stop import STOP
from trialwatch.ctgov.watch import Aborted, Watch, WatchedAdapter, current_watch
from trialwatch.domain.records import loads_json
from trialwatch.errors import ApiError, Stopped, safe_text

if TYPE_CHECKING:
    from urllib3.connectionpool import ConnectionPool
    from urllib3.response import BaseHTTPResponse

USER_AGENT = f"trialwatch/{__version__} (clinical-trial reference tracker)"
RETRY_STATUSES = (429, 500, 502, 503, 504)


class CappedRetry(Retry):
    """urllib3 Retry obeying Retry-After only up to a bound: a 6 am job never sleeps an hour.

    Its pauses between attempts end early when a stop is requested. It counts the attempts that
    failed in `increment()`, which urllib3 calls once for each, and tells the request's Watch."""

    max_retry_after: float = 120.0
    failed_attempts: int = 0  # of the request this Retry (one of urllib3's copies) serves

    def parse_retry_after(self, retry_after: str) -> float:
        return min(super().parse_retry_after(retry_after), self.max_retry_after)

    def new(self, **kw: Any) -> CappedRetry:
        new = super().new(**kw)
        new.max_retry_after = self.max_retry_after
        new.failed_attempts = self.failed_attempts
        return new

    def increment(
        self,
        method: str | None = None,
        url: str | None = None,
        response: BaseHTTPResponse | None = None,
        error: Exception | None = None,
        _pool: ConnectionPool | None = None,
        _stacktrace: TracebackType | None = None,
    ) -> CappedRetry:
        """One attempt failed: counted (and told to the Watch) before urllib3 decides, since it
        raises instead of returning once the retries are spent."""
        failed = self.failed_attempts + 1
        if (watch := current_watch()) is not None:
            watch.failed_attempts = failed
        new = super().increment(method, url, response, error, _pool, _stacktrace)
        new.failed_attempts = failed
        return new

    def sleep(self, response: Any = None) -> None:
        watch = current_watch()
        if watch is None:
            return super().sleep(response)
        seconds = None
        if self.respect_retry_after_header and response:
            seconds = self.get_retry_after(response)
        watch.pause(seconds if seconds else self.get_backoff_time())


def make_retry(
    total: int = 5, backoff_factor: float = 1.0, max_retry_after: float = 120.0
) -> CappedRetry:
    retry = CappedRetry(
        total=total,
        connect=total,
        read=total,
        status=total,
        backoff_factor=backoff_factor,
        backoff_jitter=backoff_factor,
        backoff_max=60,
        status_forcelist=RETRY_STATUSES,
        allowed_methods=frozenset({"GET"}),
        respect_retry_after_header=True,
        raise_on_status=True,
    )
    retry.max_retry_after = max_retry_after
    return retry


def make_session(retry: Retry | None = None) -> requests.Session:
    session = requests.Session()
    adapter = WatchedAdapter(max_retries=retry if retry is not None else make_retry())
    session.mount("https://", adapter)
    session.mount("http://", adapter)
    session.headers.update({"User-Agent": USER_AGENT, "Accept": "application/json"})
    return session


class BadRequest(ApiError):
    """HTTP 400: the registry refused the parameters (a malformed id in a batch, a search with
    an Essie syntax error). Bad input, so exit code 2."""

    exit_code = 2


@dataclass
class RequestStats:
    requests: int = 0
    bytes: int = 0


class Transport:
    """GET a path of the API and return its JSON: paced, bounded in time, errors made plain."""

    def __init__(
        self,
        base_url: str = "https://clinicaltrials.gov/api/v2",
        session: requests.Session | None = None,
        *,
        timeout: tuple[float, float] = (10.0, 60.0),
        min_interval: float = 1.0,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.session = session or make_session()
        self.timeout = timeout
        self.min_interval = min_interval
        self.stats = RequestStats()
        self._sleep, self._clock = sleep, clock
        self._last_request: float | None = None

    def get_json(
        self, path: str, params: dict[str, Any] | None = None, *, base: str | None = None
    ) -> Any:
        """GET `path` (under `base`, default base_url) and return its JSON body; every failure
        becomes an ApiError."""
        url = f"{(base or self.base_url).rstrip('/')}/{path.lstrip('/')}"
        _raise_if_stopping(url)
        self._pace()
        connect, read = self.timeout
        # each socket read may take the whole deadline: the Watch, not urllib3, ends a slow one
        response: requests.Response | None = None
        with Watch(read) as watch:
            try:
                response = self.session.get(url, params=params, timeout=(connect, read + 1))
                body = response.content  # read here so a reset mid-body is caught below
            except (requests.exceptions.RequestException, Aborted) as exc:
                # the attempts that failed (CappedRetry.increment), and the one that answered
                self.stats.requests += watch.failed_attempts + (response is not None)
                error = _abort_error(watch, url, read)
                raise error or _transport_error(exc, url, connect, read) from None
        self.stats.requests += watch.failed_attempts + 1
        if (cut_short := _abort_error(watch, url, read)) is not None:  # a body read to a close
            raise cut_short
        _raise_if_stopping(url)
        self.stats.bytes += len(body)
        return decode(response, body, url)

    def _pace(self) -> None:
        if self._last_request is not None and self.min_interval > 0:
            wait = self._last_request + self.min_interval - self._clock()
            if wait > 0:
                self._sleep(wait)
        self._last_request = self._clock()


def _raise_if_stopping(url: str) -> None:
    if STOP.is_set():
        raise Stopped(
            f"{STOP.reason} during the refresh; it was rolled back, nothing from this run was kept"
        )


def _abort_error(watch: Watch, url: str, read: float) -> Exception | None:
    if watch.fired is None:
        return None
    if watch.fired != "deadline":
        return Stopped(
            f"{watch.fired} during the refresh; it was rolled back, nothing from this run was "
            f"kept (the answer from {_host(url)} was cut short)"
        )
    return ApiError(
        f"{_host(url)} did not answer within {read:g} s. "
        "The registry may be slow; nothing was changed, try again later."
    )


def _transport_error(exc: Exception, url: str, connect: float, read: float) -> ApiError:
    host = _host(url)
    if isinstance(exc, requests.exceptions.RetryError):
        return ApiError(
            f"The registry kept failing ({_reason(exc)}) at {host} after several "
            "retries with back-off. Nothing was changed; the next run will try again."
        )
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return ApiError(
            f"Could not connect to {host} within {connect:g} s. "
            "Check the network or [api] base_url; nothing was changed."
        )
    if isinstance(exc, requests.exceptions.ReadTimeout) or "Read timed out" in _reason(exc):
        return ApiError(
            f"{host} did not answer within {read:g} s. "
            "The registry may be slow; nothing was changed, try again later."
        )
    if isinstance(
        exc, requests.exceptions.ChunkedEncodingError | requests.exceptions.ContentDecodingError
    ):
        return ApiError(
            f"The connection to {host} broke while reading the answer ({safe_text(exc)}). "
            "Nothing was changed; try again later."
        )
    if isinstance(exc, requests.exceptions.ConnectionError):
        return ApiError(
            f"Cannot reach {host} ({_reason(exc)}). Check the network connection "
            "or [api] base_url; nothing was changed."
        )
    return ApiError(f"Request to {host} failed: {safe_text(exc)}")


def decode(response: requests.Response, body: bytes, url: str) -> Any:
    """The JSON of a registry answer, or an ApiError saying what came instead."""
    if response.status_code == 400:
        raise BadRequest(f"The registry refused the request (HTTP 400): {_snippet(body)}")
    if response.status_code == 404:
        raise ApiError(
            f"HTTP 404 from {safe_text(url.split('?')[0])}: check [api] base_url "
            f"(it should end in /api/v2). {_snippet(body)}"
        )
    if response.status_code >= 300:
        raise ApiError(f"HTTP {response.status_code} from {_host(url)}: {_snippet(body)}")
    content_type = response.headers.get("Content-Type", "")
    try:
        data = loads_json(body)  # orjson: a page of 1,000 full records is ~18 MB
    except ValueError:
        hint = "an HTML page" if b"<html" in body[:2000].lower() else "not valid JSON"
        raise ApiError(
            f"{_host(url)} answered HTTP {response.status_code} with {hint} "
            f"(Content-Type {content_type or 'missing'}, {len(body)} bytes), "
            "not registry data. "
            "A proxy or an outage may be in the way; nothing was changed."
        ) from None
    if b"\\u0000" in body:  # rare; PostgreSQL cannot store NUL in text or JSONB
        data = _without_nul(data)
    return data


def _without_nul(value: Any) -> Any:
    """`value` with each NUL character replaced by U+FFFD, the mark for an unreadable one."""
    if isinstance(value, str):
        return value.replace("\x00", "\ufffd")
    if isinstance(value, list):
        return [_without_nul(v) for v in value]
    if isinstance(value, dict):
        return {_without_nul(k): _without_nul(v) for k, v in value.items()}
    return value


def _host(url: str) -> str:
    """The host and port of `url`, never a user name or password written into it."""
    parts = urlsplit(url)
    return (parts.netloc.rpartition("@")[2] or url) if parts.netloc else safe_text(url)


def _snippet(body: bytes) -> str:
    text = body[:300].decode("utf-8", "replace").strip()
    return " ".join(text.split())


def _reason(exc: Exception) -> str:
    reason = exc.args[0] if exc.args else exc
    inner = getattr(reason, "reason", None)
    return safe_text(inner or reason)
