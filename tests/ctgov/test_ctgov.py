"""The API client: batching, pagination, retries, aliases and answers that are not data."""

from __future__ import annotations

import json

import pytest
import requests
import responses
from responses import registries

from tests.conftest import API, VERSION, load_fixture, page, param_matcher, study
from trialwatch.ctgov.client import PROBE_FIELDS, CtgovClient
from trialwatch.ctgov.session import make_retry, make_session
from trialwatch.errors import ApiError


def client(retries: int = 3) -> CtgovClient:
    return CtgovClient(API, make_session(make_retry(retries, backoff_factor=0)), min_interval=0)


def _ids_of(req: requests.PreparedRequest) -> list[str]:
    from urllib.parse import parse_qs, urlsplit

    return parse_qs(urlsplit(req.url).query)["filter.ids"][0].split("|")


@responses.activate
def test_ids_are_batched_1000_per_request():
    ids = [f"NCT{i:08d}" for i in range(1, 2502)]
    responses.get(f"{API}/studies", json=page())
    result = client().fetch_ids(ids)
    batches = [_ids_of(c.request) for c in responses.calls]
    assert [len(b) for b in batches] == [1000, 1000, 501]
    assert all("pageSize=1000" in c.request.url for c in responses.calls)
    assert len(result.not_found) == 2501


@responses.activate
def test_pagination_follows_a_real_chain_to_the_end():
    """Real page 1 -> page 2 of the Phelan-McDermid search, then an empty page (the quirk)."""
    first = load_fixture("search_pages/biomcp__search_phelan_limit5_20260811.json")
    second = load_fixture("search_pages/biomcp__search_phelan_next_20260811.json")
    token1, token2 = first["nextPageToken"], second["nextPageToken"]
    responses.get(f"{API}/studies", json=first, match=[param_matcher(pageToken=None)])
    responses.get(f"{API}/studies", json=second, match=[param_matcher(pageToken=token1)])
    responses.get(f"{API}/studies", json=page(), match=[param_matcher(pageToken=token2)])
    result = client().search({"query.cond": "Phelan-McDermid Syndrome"}, max_studies=10_000)
    assert len(result.studies) == 10 and result.pages == 3 and not result.capped
    assert result.total_count == 21  # the capture kept 10 of 21: refresh reports the mismatch
    later = [c.request.url for c in responses.calls[1:]]
    assert all("query.cond=Phelan-McDermid+Syndrome" in u for u in later)  # same params repeated
    assert all("countTotal" not in u for u in later)


@responses.activate
def test_max_studies_caps_and_says_so():
    first = load_fixture("search_pages/biomcp__search_keytruda_limit3_20260811.json")
    responses.get(f"{API}/studies", json=first)
    result = client().search({"query.intr": "Keytruda"}, max_studies=3)
    assert len(result.studies) == 3 and result.capped and result.total_count == 2924
    assert len(responses.calls) == 1


@responses.activate(registry=registries.OrderedRegistry)
@pytest.mark.parametrize("status", [429, 503])
def test_retries_then_success(status):
    responses.get(f"{API}/version", status=status, headers={"Retry-After": "0"})
    responses.get(f"{API}/version", status=status)
    responses.get(
        f"{API}/version", json={"apiVersion": "2.0.5", "dataTimestamp": "2026-11-25T09:00:05"}
    )
    c = client()
    assert c.version().data_timestamp == "2026-11-25T09:00:05"
    assert len(responses.calls) == 3


def test_retried_attempts_are_counted_against_a_real_server():
    from tests.fakeapi import FakeApi

    with FakeApi() as api:
        api.faults += [(503, b"busy", {"Retry-After": "0"}), (429, b"slow", {})]
        c = CtgovClient(api.url, make_session(make_retry(3, backoff_factor=0)), min_interval=0)
        assert c.version().api_version == "2.0.5"
        assert c.stats.requests == api.requests == 3


def test_every_attempt_is_counted_when_the_retries_run_out():
    """3 attempts answered 503 exhaust 2 retries: 3 requests, not 1; the next call starts at 0."""
    from tests.fakeapi import FakeApi

    with FakeApi() as api:
        api.faults += [(503, b"busy", {"Retry-After": "0"})] * 4
        c = CtgovClient(api.url, make_session(make_retry(2, backoff_factor=0)), min_interval=0)
        with pytest.raises(ApiError, match="kept failing"):
            c.version()
        assert c.stats.requests == api.requests == 3
        assert c.version().api_version == "2.0.5"  # the last 503, then an answer
        assert c.stats.requests == api.requests == 5


def test_the_failed_attempts_are_carried_through_urllib3s_copies():
    retry = make_retry(3, backoff_factor=0)
    once = retry.increment("GET", "/version", error=ConnectionResetError())
    twice = once.increment("GET", "/version", error=ConnectionResetError())
    assert [r.failed_attempts for r in (retry, once, twice)] == [0, 1, 2]
    assert twice.new(total=1).failed_attempts == 2


@responses.activate
def test_gives_up_after_the_retry_budget():
    responses.get(f"{API}/version", status=503)
    c = client(retries=2)
    with pytest.raises(ApiError, match="kept failing"):
        c.version()
    assert len(responses.calls) == 3


def test_retry_after_is_capped():
    retry = make_retry(3, 1.0, max_retry_after=5)
    assert retry.parse_retry_after("3600") == 5
    assert retry.new(total=2).parse_retry_after("3600") == 5  # survives urllib3's copies


@responses.activate
def test_alias_and_not_found_are_reported():
    record = study("NCT02552212")
    record["protocolSection"]["identificationModule"]["nctIdAliases"] = ["NCT01111111"]
    responses.get(f"{API}/studies", json=page(record))
    result = client().fetch_ids(["NCT01111111", "NCT00000002"])
    assert result.aliases == {"NCT01111111": "NCT02552212"}
    assert list(result.studies) == ["NCT02552212"]
    assert result.not_found == ["NCT00000002"]


@responses.activate
def test_a_400_batch_is_bisected_to_the_bad_id():
    ok = study("NCT02552212")

    def answer(request):
        ids = _ids_of(request)
        if "NCT00000013" in ids:
            return (400, {}, "`NCT00000013` incorrect format")
        return (200, {}, json.dumps(page(ok) if "NCT02552212" in ids else page()))

    responses.add_callback(responses.GET, f"{API}/studies", callback=answer)
    result = client().fetch_ids(["NCT02552212", "NCT00000013", "NCT00000014", "NCT00000015"])
    assert list(result.studies) == ["NCT02552212"]
    assert (
        list(result.rejected) == ["NCT00000013"]
        and "incorrect format" in result.rejected["NCT00000013"]
    )
    assert sorted(result.not_found) == ["NCT00000014", "NCT00000015"]


@responses.activate
@pytest.mark.parametrize(
    "body, expected",
    [
        ("<html><body>Service maintenance</body></html>", "HTML page"),
        ('{"studies": [{"protocolSection": {"identificationModule"', "not valid JSON"),
        ("[1, 2, 3]", "not a page of studies"),
    ],
    ids=["html-with-200", "truncated-json", "json-not-a-page"],
)
def test_answers_that_are_not_data_are_errors(body, expected):
    responses.get(f"{API}/studies", body=body, status=200, content_type="text/html")
    with pytest.raises(ApiError, match=expected):
        client().fetch_ids(["NCT02552212"])


@responses.activate
@pytest.mark.parametrize(
    "exc, expected",
    [
        (requests.exceptions.ConnectTimeout("x"), "Could not connect"),
        (requests.exceptions.ReadTimeout("x"), "did not answer within"),
        (requests.exceptions.ConnectionError("Name or service not known"), "Cannot reach"),
        (requests.exceptions.ChunkedEncodingError("reset"), "broke while reading"),
    ],
    ids=["connect-timeout", "read-timeout", "dns", "reset-mid-body"],
)
def test_transport_errors_become_api_errors(exc, expected):
    responses.get(f"{API}/version", body=exc)
    with pytest.raises(ApiError, match=expected):
        client().version()


@responses.activate
def test_404_points_at_base_url():
    responses.get(f"{API}/version", status=404, body="Not Found")
    with pytest.raises(ApiError, match=r"check \[api\] base_url"):
        client().version()


@responses.activate
def test_requests_carry_user_agent_timeout_and_probe_fields():
    responses.get(f"{API}/studies", json=page())
    c = CtgovClient(API, make_session(), timeout=(3.0, 7.0), min_interval=0)
    c.fetch_ids(["NCT02552212"], fields=PROBE_FIELDS)
    req = responses.calls[0].request
    assert req.headers["User-Agent"].startswith("trialwatch/")
    assert "fields=NCTId%7CNCTIdAlias%7CLastUpdatePostDate" in req.url
    # the socket may wait a second past the read deadline: the whole answer is bounded apart
    assert req.req_kwargs["timeout"] == (3.0, 8.0)


@responses.activate
def test_pacing_waits_between_requests():
    """Three requests: the second comes 0.2 s after the first and waits out the rest of the
    second; the third comes 4 s after, and does not wait."""
    responses.get(f"{API}/version", json=VERSION)
    slept: list[float] = []
    clock = iter([0.0, 0.2, 1.0, 5.0, 5.0]).__next__
    c = CtgovClient(API, make_session(), min_interval=1.0, sleep=slept.append, clock=clock)
    for _ in range(3):
        c.get_json("version")
    assert slept == [pytest.approx(0.8)]
    assert len(responses.calls) == 3
