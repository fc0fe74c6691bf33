"""ClinicalTrials.gov API v2 endpoints: batched lookups by id and paginated searches.

The transport (session, retries, pacing, deadline) is trialwatch.ctgov.session, the guard on a
walk through pages trialwatch.ctgov.page_walk. Fetch functions
only talk HTTP and return plain dicts; they never touch the store.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from trialwatch.ctgov.page_walk import PageWalk, ident_of, studies_of
from trialwatch.ctgov.session import BadRequest, Transport
from trialwatch.domain.records import STORE_INT_MAX
from trialwatch.errors import ApiError

PAGE_SIZE = 1000  # the API's maximum; larger values are coerced down
IDS_PER_REQUEST = 1000

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


@dataclass(frozen=True)
class ApiVersion:
    api_version: str | None
    data_timestamp: str | None
    problems: tuple[str, ...] = ()  # values left out because the run log cannot hold them


@dataclass
class IdFetch:
    """What a batch lookup by id found."""

    studies: dict[str, dict[str, Any]] = field(default_factory=dict)  # canonical id -> record
    aliases: dict[str, str] = field(default_factory=dict)  # asked id -> the record's id
    not_found: list[str] = field(default_factory=list)
    rejected: dict[str, str] = field(default_factory=dict)  # id -> the registry's reason


# Receives each page's studies as it arrives (the refresh writes them to disk: memory stays flat).
PageSink = Callable[[list[dict[str, Any]]], object]


@dataclass
class SearchFetch:
    studies: list[dict[str, Any]] = field(default_factory=list)  # empty when a sink took them
    received: int = 0
    total_count: int | None = None
    pages: int = 0
    capped: bool = False  # max_studies was reached before the end
    problems: list[str] = field(default_factory=list)  # odd values left out, for a warning


class CtgovClient(Transport):
    """The registry's endpoints: /version, /studies searches and batched lookups by id."""

    # -- endpoints -------------------------------------------------------------------------
    def version(self) -> ApiVersion:
        """The registry's version and data timestamp; an odd one is a note, never a failure."""
        data = self.get_json("version")
        if not isinstance(data, dict):
            raise ApiError("The registry's /version answer is not a JSON object")
        problems: list[str] = []
        values = [
            _bounded_text(data.get(key), key, limit, problems)
            for key, limit in (("apiVersion", 20), ("dataTimestamp", 30))
        ]
        return ApiVersion(values[0], values[1], tuple(problems))

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
        size = min(page_size, PAGE_SIZE)
        query = {**params, "pageSize": size, "countTotal": "true"}
        walk = PageWalk()
        token: str | None = None
        seen = 0
        while True:
            page_params = {k: v for k, v in query.items() if k != "countTotal" or token is None}
            if token:
                page_params["pageToken"] = token
            page = self.get_json("studies", page_params)
            studies = studies_of(page)
            token = walk.next_token(page, studies)
            yield studies, page
            seen += len(studies)
            if not studies or not token or (max_studies is not None and seen >= max_studies):
                return

    def search(
        self,
        params: dict[str, Any],
        *,
        fields: Sequence[str] | None = None,
        max_studies: int,
        sink: PageSink | None = None,
    ) -> SearchFetch:
        """All studies a /studies query returns, up to `max_studies` (reported as `capped`).

        With a `sink`, each page's studies go to it and are not kept in the result."""
        query = dict(params)
        if fields:
            query["fields"] = "|".join(fields)
        result = SearchFetch()
        try:
            self._collect(query, max_studies, result, sink)
        except BadRequest as exc:
            shown = ", ".join(f"{k}={v}" for k, v in params.items())
            raise BadRequest(f"The registry refused the search {shown[:300]}: {exc}") from None
        if result.total_count is not None and not 0 <= result.total_count <= STORE_INT_MAX:
            result.problems.append(
                f"the registry's totalCount {result.total_count} is not a count the store can "
                "hold; it is not recorded"
            )
            result.total_count = None
        if result.total_count is not None and result.received >= max_studies:
            result.capped = result.capped or result.total_count > max_studies
        return result

    def _collect(
        self, query: dict[str, Any], max_studies: int, result: SearchFetch, sink: PageSink | None
    ) -> None:
        for studies, page in self.iter_pages(query, max_studies=max_studies):
            result.pages += 1
            if result.total_count is None and isinstance(page.get("totalCount"), int):
                result.total_count = page["totalCount"]
            room = max_studies - result.received
            kept = studies[:room]
            result.received += len(kept)
            if sink is None:
                result.studies.extend(kept)
            else:
                sink(kept)
            if result.received >= max_studies and (
                page.get("nextPageToken") or len(studies) > room
            ):
                result.capped = True

    def fetch_ids(
        self,
        ids: Sequence[str],
        *,
        fields: Sequence[str] | None = None,
        sink: PageSink | None = None,
    ) -> IdFetch:
        """Look up canonical NCT ids in batches of 1000 with filter.ids (never one request per id).

        Resolves aliases (the record's nctId differs and the asked id is among its aliases) and
        reports ids the registry does not return. A batch refused with HTTP 400 is split in
        halves to isolate the id at fault, so one bad id never fails the others.
        With a `sink`, each batch's records go to it and are not kept in `studies`.
        """
        result = IdFetch()
        for start in range(0, len(ids), IDS_PER_REQUEST):
            self._fetch_batch(list(ids[start : start + IDS_PER_REQUEST]), fields, result, sink)
        return result

    def _fetch_batch(
        self,
        ids: list[str],
        fields: Sequence[str] | None,
        result: IdFetch,
        sink: PageSink | None = None,
    ) -> None:
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
            self._fetch_batch(ids[:middle], fields, result, sink)
            self._fetch_batch(ids[middle:], fields, result, sink)
            return
        by_id: dict[str, dict[str, Any]] = {}
        alias_of: dict[str, str] = {}
        for record in records:
            ident = ident_of(record)
            nct = ident.get("nctId")
            if not isinstance(nct, str):
                continue
            by_id[nct] = record
            for alias in ident.get("nctIdAliases") or []:
                if isinstance(alias, str):
                    alias_of[alias] = nct
        found: dict[str, dict[str, Any]] = {}
        for asked in ids:
            if asked in by_id:
                found[asked] = by_id[asked]
            elif asked in alias_of:
                result.aliases[asked] = alias_of[asked]
                found[alias_of[asked]] = by_id[alias_of[asked]]
            else:
                result.not_found.append(asked)
        if sink is None:
            result.studies.update(found)
        else:
            sink(list(found.values()))


def _ids_in(records: list[dict[str, Any]]) -> set[str]:
    """Every id and alias the records answer to."""
    out: set[str] = set()
    for record in records:
        ident = ident_of(record)
        ids = [ident.get("nctId"), *(ident.get("nctIdAliases") or [])]
        out.update(i for i in ids if isinstance(i, str))
    return out


def _bounded_text(value: Any, key: str, limit: int, problems: list[str]) -> str | None:
    """`value` if it is text that fits the run log's column; otherwise None and a note."""
    if value is None:
        return None
    if not isinstance(value, str):
        problems.append(f"the registry's /version {key} is not text ({type(value).__name__})")
        return None
    if len(value) > limit:
        problems.append(
            f"the registry's /version {key} is {len(value)} characters long, more than the "
            f"{limit} a {key} has; not recorded ({value[:40]!r}…)"
        )
        return None
    return value
