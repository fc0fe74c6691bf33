"""ClinicalTrials.gov API v2 client: one requests.Session with urllib3 Retry, pacing, timeouts.

Fetch functions only talk HTTP and return plain dicts; they never touch the store.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from trialwatch import __version__
from trialwatch.errors import ApiError

USER_AGENT = f"trialwatch/{__version__} (clinical-trial reference tracker)"
PAGE_SIZE = 1000  # the API's maximum; larger values are coerced down
IDS_PER_REQUEST = 1000
RETRY_STATUSES = (429, 500, 502, 503, 504)

# What a probe asks for: enough to tell whether a full record must be fetched again.
PROBE_FIELDS = ("NCTId", "NCTIdAlias", "LastUpdatePostDate")
# What related searches store for each hit: the pieces the report and lookups use.
SUMMARY_FIELDS = (
    "NCTId", "NCTIdAlias", "BriefTitle", "OfficialTitle", "Acronym", "OverallStatus", "WhyStopped",
    "Phase", "StudyType", "EnrollmentCount", "EnrollmentType", "LeadSponsorName",
    "LeadSponsorClass", "CollaboratorName", "Condition", "InterventionType", "InterventionName",
    "StartDate", "StartDateType", "PrimaryCompletionDate", "PrimaryCompletionDateType",
    "CompletionDate", "CompletionDateType", "StudyFirstPostDate", "ResultsFirstPostDate",
    "LastUpdatePostDate", "HasResults",
)  # fmt: skip


class CappedRetry(Retry):
    """urllib3 Retry obeying Retry-After only up to a bound: a 6 am job never sleeps an hour."""

    max_retry_after: float = 120.0

    def parse_retry_after(self, retry_after: str) -> float:
        return min(super().parse_retry_after(retry_after), self.max_retry_after)

    def new(self, **kw: Any) -> CappedRetry:
        new = super().new(**kw)
        new.max_retry_after = self.max_retry_after
        return new


def make_retry(
    total: int = 5, backoff_factor: float = 1.0, max_retry_after: float = 120.0
) -> Retry:
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
    adapter = HTTPAdapter(max_retries=retry if retry is not None else make_retry())
    session.mount("https://", adapter)
    session.mount("http://", adapter)
    session.headers.update({"User-Agent": USER_AGENT, "Accept": "application/json"})
    return session


class BadRequest(ApiError):
    """HTTP 400: the registry refused the parameters (for example a malformed id in a batch)."""


@dataclass
class RequestStats:
    requests: int = 0
    bytes: int = 0


@dataclass(frozen=True)
class ApiVersion:
    api_version: str | None
    data_timestamp: str | None


@dataclass
class IdFetch:
    """What a batch lookup by id found."""

    studies: dict[str, dict[str, Any]] = field(default_factory=dict)  # canonical id -> record
    aliases: dict[str, str] = field(default_factory=dict)  # asked id -> the record's id
    not_found: list[str] = field(default_factory=list)
    rejected: dict[str, str] = field(default_factory=dict)  # id -> the registry's reason


@dataclass
class SearchFetch:
    studies: list[dict[str, Any]] = field(default_factory=list)
    total_count: int | None = None
    pages: int = 0
    capped: bool = False  # max_studies was reached before the end


class CtgovClient:
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

    # -- transport -------------------------------------------------------------------------
    def get_json(self, path: str, params: dict[str, Any] | None = None) -> Any:
        """GET `path` and return its JSON body; every failure becomes an ApiError."""
        url = f"{self.base_url}/{path.lstrip('/')}"
        self._pace()
        try:
            response = self.session.get(url, params=params, timeout=self.timeout)
            body = response.content  # read here so a reset mid-body is caught below
        except requests.exceptions.RetryError as exc:
            self.stats.requests += 1 + _retries_of(exc)
            raise ApiError(
                f"The registry kept failing ({_reason(exc)}) at {_host(url)} after several "
                "retries with back-off. Nothing was changed; the next run will try again."
            ) from None
        except requests.exceptions.ConnectTimeout:
            self.stats.requests += 1
            raise ApiError(
                f"Could not connect to {_host(url)} within {self.timeout[0]:g} s. "
                "Check the network or [api] base_url; nothing was changed."
            ) from None
        except requests.exceptions.ReadTimeout:
            self.stats.requests += 1
            raise ApiError(
                f"{_host(url)} did not answer within {self.timeout[1]:g} s. "
                "The registry may be slow; nothing was changed, try again later."
            ) from None
        except (
            requests.exceptions.ChunkedEncodingError,
            requests.exceptions.ContentDecodingError,
        ) as exc:
            self.stats.requests += 1
            raise ApiError(
                f"The connection to {_host(url)} broke while reading the answer ({exc}). "
                "Nothing was changed; try again later."
            ) from None
        except requests.exceptions.ConnectionError as exc:
            self.stats.requests += 1
            raise ApiError(
                f"Cannot reach {_host(url)} ({_reason(exc)}). Check the network connection "
                "or [api] base_url; nothing was changed."
            ) from None
        except requests.exceptions.RequestException as exc:
            self.stats.requests += 1
            raise ApiError(f"Request to {_host(url)} failed: {exc}") from None
        self.stats.requests += 1 + _history_len(response)
        self.stats.bytes += len(body)
        return self._decode(response, body, url)

    def _pace(self) -> None:
        if self._last_request is not None and self.min_interval > 0:
            wait = self._last_request + self.min_interval - self._clock()
            if wait > 0:
                self._sleep(wait)
        self._last_request = self._clock()

    @staticmethod
    def _decode(response: requests.Response, body: bytes, url: str) -> Any:
        if response.status_code == 400:
            raise BadRequest(f"The registry refused the request (HTTP 400): {_snippet(body)}")
        if response.status_code == 404:
            raise ApiError(
                f"HTTP 404 from {url.split('?')[0]}: check [api] base_url "
                f"(it should end in /api/v2). {_snippet(body)}"
            )
        if response.status_code >= 300:
            raise ApiError(f"HTTP {response.status_code} from {_host(url)}: {_snippet(body)}")
        content_type = response.headers.get("Content-Type", "")
        try:
            data = json.loads(body)
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

    # -- endpoints -------------------------------------------------------------------------
    def version(self) -> ApiVersion:
        data = self.get_json("version")
        if not isinstance(data, dict):
            raise ApiError("The registry's /version answer is not a JSON object")
        return ApiVersion(
            _str_or_none(data.get("apiVersion")), _str_or_none(data.get("dataTimestamp"))
        )

    def iter_pages(
        self,
        params: dict[str, Any],
        *,
        max_studies: int | None = None,
        page_size: int = PAGE_SIZE,
    ) -> Iterator[tuple[list[dict[str, Any]], dict[str, Any]]]:
        """Yield (studies, page) for each page of /studies, following nextPageToken to the end.

        Stops at an empty page (the API sends a token when a page is exactly full) and after
        `max_studies` studies. Later pages repeat the same parameters, as the API requires.
        A smaller `page_size` suits a person's ad-hoc search that wants only the first few.
        """
        query = {**params, "pageSize": min(page_size, PAGE_SIZE), "countTotal": "true"}
        token: str | None = None
        seen = 0
        while True:
            page_params = {k: v for k, v in query.items() if k != "countTotal" or token is None}
            if token:
                page_params["pageToken"] = token
            page = self.get_json("studies", page_params)
            studies = _studies_of(page)
            yield studies, page
            seen += len(studies)
            token = page.get("nextPageToken") if isinstance(page, dict) else None
            if not studies or not token or (max_studies is not None and seen >= max_studies):
                return

    def search(
        self, params: dict[str, Any], *, fields: Sequence[str] | None = None, max_studies: int
    ) -> SearchFetch:
        """All studies a /studies query returns, up to `max_studies` (reported as `capped`)."""
        query = dict(params)
        if fields:
            query["fields"] = "|".join(fields)
        result = SearchFetch()
        for studies, page in self.iter_pages(query, max_studies=max_studies):
            result.pages += 1
            if result.total_count is None and isinstance(page.get("totalCount"), int):
                result.total_count = page["totalCount"]
            room = max_studies - len(result.studies)
            result.studies.extend(studies[:room])
            if len(result.studies) >= max_studies and (
                page.get("nextPageToken") or len(studies) > room
            ):
                result.capped = True
        if result.total_count is not None and len(result.studies) >= max_studies:
            result.capped = result.capped or result.total_count > max_studies
        return result

    def fetch_ids(self, ids: Sequence[str], *, fields: Sequence[str] | None = None) -> IdFetch:
        """Look up canonical NCT ids in batches of 1000 with filter.ids (never one request per id).

        Resolves aliases (the record's nctId differs and the asked id is among its aliases) and
        reports ids the registry does not return. A batch refused with HTTP 400 is split in
        halves to isolate the id at fault, so one bad id never fails the others.
        """
        result = IdFetch()
        for start in range(0, len(ids), IDS_PER_REQUEST):
            self._fetch_batch(list(ids[start : start + IDS_PER_REQUEST]), fields, result)
        return result

    def _fetch_batch(self, ids: list[str], fields: Sequence[str] | None, result: IdFetch) -> None:
        params: dict[str, Any] = {"filter.ids": "|".join(ids)}
        if fields:
            params["fields"] = "|".join(fields)
        try:
            records: list[dict[str, Any]] = []
            for studies, _ in self.iter_pages(params):
                records += studies
                # A batch of 1000 found ids fills the page, and a full page carries a token to
                # an empty one: once every asked id is accounted for, that request is saved.
                if len(studies) == PAGE_SIZE and set(ids) <= _ids_in(records):
                    break
        except BadRequest as exc:
            if len(ids) == 1:
                result.rejected[ids[0]] = str(exc)
                return
            middle = len(ids) // 2
            self._fetch_batch(ids[:middle], fields, result)
            self._fetch_batch(ids[middle:], fields, result)
            return
        by_id: dict[str, dict[str, Any]] = {}
        alias_of: dict[str, str] = {}
        for record in records:
            ident = _ident(record)
            nct = ident.get("nctId")
            if not isinstance(nct, str):
                continue
            by_id[nct] = record
            for alias in ident.get("nctIdAliases") or []:
                if isinstance(alias, str):
                    alias_of[alias] = nct
        for asked in ids:
            if asked in by_id:
                result.studies[asked] = by_id[asked]
            elif asked in alias_of:
                result.aliases[asked] = alias_of[asked]
                result.studies[alias_of[asked]] = by_id[alias_of[asked]]
            else:
                result.not_found.append(asked)


def _ids_in(records: list[dict[str, Any]]) -> set[str]:
    """Every id and alias the records answer to."""
    out: set[str] = set()
    for record in records:
        ident = _ident(record)
        ids = [ident.get("nctId"), *(ident.get("nctIdAliases") or [])]
        out.update(i for i in ids if isinstance(i, str))
    return out


def _ident(record: Any) -> dict[str, Any]:
    if isinstance(record, dict):
        proto = record.get("protocolSection")
        if isinstance(proto, dict) and isinstance(proto.get("identificationModule"), dict):
            return proto["identificationModule"]  # type: ignore[no-any-return]
    return {}


def _studies_of(page: Any) -> list[dict[str, Any]]:
    if not isinstance(page, dict):
        raise ApiError("The registry answered with JSON that is not a page of studies")
    studies = page.get("studies", [])
    if not isinstance(studies, list):
        raise ApiError("The registry's page has a 'studies' value that is not a list")
    return [s for s in studies if isinstance(s, dict)]


def _without_nul(value: Any) -> Any:
    """`value` with each NUL character replaced by U+FFFD, the mark for an unreadable one."""
    if isinstance(value, str):
        return value.replace("\x00", "\ufffd")
    if isinstance(value, list):
        return [_without_nul(v) for v in value]
    if isinstance(value, dict):
        return {_without_nul(k): _without_nul(v) for k, v in value.items()}
    return value


def _str_or_none(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _host(url: str) -> str:
    return urlsplit(url).netloc or url


def _snippet(body: bytes) -> str:
    text = body[:300].decode("utf-8", "replace").strip()
    return " ".join(text.split())


def _reason(exc: Exception) -> str:
    reason = exc.args[0] if exc.args else exc
    inner = getattr(reason, "reason", None)
    return str(inner or reason)


def _history_len(response: requests.Response) -> int:
    retries = getattr(response.raw, "retries", None)
    return len(getattr(retries, "history", ()) or ())


def _retries_of(exc: Exception) -> int:
    reason = exc.args[0] if exc.args else None
    retries = getattr(reason, "retries", None) or getattr(
        getattr(reason, "reason", None), "retries", None
    )
    return len(getattr(retries, "history", ()) or ())
