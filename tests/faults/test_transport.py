"""Faults on the wire: rate limits, server errors, timeouts, resets, garbage answers, paging.

Each failing case breaks one kind of request (version, id lookup or search page) for the whole
run and checks the fault contract (tests/faults/harness.py). Each transient case answers with a
burst of errors inside the retry budget (`max_retries = 3` in the test config) and checks that
the run succeeds and stores the new version.
"""

from __future__ import annotations

import json
import socket
from dataclasses import dataclass, field
from typing import Any

import pytest
import requests
import responses
from urllib3.exceptions import MaxRetryError, NameResolutionError

from tests.conftest import API, page, study
from tests.faults.harness import (
    CITED,
    SEARCH_HITS,
    Clinic,
    assert_failed_cleanly,
    assert_recovers,
    serve_pages,
    set_up_clinic,
    target_matcher,
)

RETRIES = 3  # max_retries in the test config (tests/conftest.py make_config)


@dataclass(frozen=True)
class Answer:
    """One scripted answer: `responses` keyword arguments (an exception goes in `body`)."""

    kwargs: dict[str, Any] = field(default_factory=dict)


def status(code: int, body: str = "", **headers: str) -> Answer:
    return Answer({"status": code, "body": body, "headers": headers})


def raises(exc: Exception) -> Answer:
    return Answer({"body": exc})


def _dns_failure() -> requests.exceptions.ConnectionError:
    """What requests raises when the host name does not resolve (built as urllib3 builds it)."""
    reason = NameResolutionError(
        "ctgov.test", None, socket.gaierror(-2, "Name or service not known")
    )  # type: ignore[arg-type]
    return requests.exceptions.ConnectionError(MaxRetryError(None, "/api/v2/version", reason))  # type: ignore[arg-type]


TRUNCATED = json.dumps(page(study("NCT03630471")))[:5000]
HTML = "<!DOCTYPE html><html><head><title>Maintenance</title></head><body>Back soon</body></html>"
KEPT_FAILING = r"The registry kept failing \(too many {code} error responses\).*Nothing was changed"

# (case id, request broken, answer repeated for the whole run, message the user must see)
FAILURES = [
    ("429-burst-without-retry-after-beyond-budget", "search", status(429, "Too Many Requests"),
     KEPT_FAILING.format(code=429)),
    ("429-burst-with-retry-after-beyond-budget", "ids",
     status(429, "slow down", **{"Retry-After": "0"}), KEPT_FAILING.format(code=429)),
    ("500-beyond-retry-budget", "search", status(500, "Internal Server Error"),
     KEPT_FAILING.format(code=500)),
    ("502-beyond-retry-budget", "ids", status(502, "Bad Gateway"), KEPT_FAILING.format(code=502)),
    ("503-beyond-retry-budget", "version", status(503, "Service Unavailable"),
     KEPT_FAILING.format(code=503)),
    ("504-beyond-retry-budget", "search", status(504, "Gateway Timeout"),
     KEPT_FAILING.format(code=504)),
    ("connect-timeout", "version", raises(requests.exceptions.ConnectTimeout("connect timed out")),
     r"Could not connect to ctgov\.test within 10 s\. Check the network"),
    ("read-timeout", "search", raises(requests.exceptions.ReadTimeout("read timed out")),
     r"ctgov\.test did not answer within 60 s\. The registry may be slow; nothing was changed"),
    ("connection-reset-mid-body", "search",
     raises(requests.exceptions.ChunkedEncodingError("Connection broken: IncompleteRead(512)")),
     r"The connection to ctgov\.test broke while reading the answer.*IncompleteRead"),
    ("dns-failure", "version", raises(_dns_failure()),
     r"Cannot reach ctgov\.test \(.*Name or service not known.*\)\. Check the network connection"),
    ("html-page-with-status-200", "search", status(200, HTML, **{"Content-Type": "text/html"}),
     r"answered HTTP 200 with an HTML page \(Content-Type text/html.*not registry data"),
    ("truncated-json", "ids", status(200, TRUNCATED, **{"Content-Type": "application/json"}),
     r"answered HTTP 200 with not valid JSON \(Content-Type application/json, 5000 bytes\)"),
    ("404-wrong-base-url", "version", status(404, "Not Found"),
     r"HTTP 404 from https://ctgov\.test/api/v2/version: check \[api\] base_url"),
    ("json-that-is-not-a-page", "search", status(200, '["not", "a", "page"]'),
     r"JSON that is not a page of studies"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("target", "answer", "message"), [pytest.param(*c[1:], id=c[0]) for c in FAILURES]
)
def test_refresh_fault_changes_nothing(clinic: Clinic, target: str, answer: Answer, message: str):
    before = clinic.snapshot()
    clinic.reset(skip=(target,))
    clinic.mock.add(responses.GET, f"{API}/{_path(target)}", match=[target_matcher(target)],
                    **answer.kwargs)  # fmt: skip
    result = clinic.refresh()
    assert_failed_cleanly(clinic, before, result, message)
    if target == "search":  # the new cited version was fetched, ingested, then rolled back
        assert clinic.calls("ids") == 2  # the probe saw a new update date, then the full fetch
    assert_recovers(clinic)


# (case id, request, status, headers): a burst of RETRIES errors, then the good answer.
BURSTS = [
    ("429-burst-without-retry-after-then-success", "search", 429, {}),
    ("429-burst-with-retry-after-then-success", "ids", 429, {"Retry-After": "0"}),
    ("500-burst-then-success", "ids", 500, {}),
    ("502-burst-then-success", "search", 502, {}),
    ("503-burst-then-success", "version", 503, {"Retry-After": "0"}),
    ("504-burst-then-success", "ids", 504, {}),
]


@pytest.mark.parametrize(
    ("target", "code", "headers"), [pytest.param(*c[1:], id=c[0]) for c in BURSTS]
)
def test_error_burst_within_budget_is_retried(
    clinic: Clinic, target: str, code: int, headers: dict[str, str]
):
    clinic.mock.reset()
    for _ in range(RETRIES):  # one-shot answers, used before the good one registered after them
        clinic.mock.add(responses.GET, f"{API}/{_path(target)}", status=code, body="busy",
                        headers=headers, match=[target_matcher(target)])  # fmt: skip
    clinic.serve()
    result = clinic.refresh()
    assert result.exit_code == 0, result.stderr
    statuses = [
        c.response.status_code for c in clinic.mock.calls if target_matcher(target)(c.request)[0]
    ]
    assert statuses[:RETRIES] == [code] * RETRIES and statuses[RETRIES] == 200
    assert clinic.study_row(CITED[0])[0] == "TERMINATED"
    assert clinic.runs()[-1][1:] == ("ok", None)


def test_empty_page_after_next_page_token_is_the_end(clinic: Clinic):
    """The API sends a token when a page is exactly full; the empty page after it is the end."""
    clinic.mock.reset()
    clinic.serve(skip=("search",))
    first, second = (study(n) for n in SEARCH_HITS)
    serve_pages(clinic, {None: page(first, second, token="T2", total=2), "T2": page()})
    result = clinic.refresh()
    assert result.exit_code == 0, result.stderr
    assert "WARNING search" not in result.stderr  # 2 counted, 2 arrived
    assert clinic.calls("search") == 2
    assert clinic.runs()[-1][1] == "ok"


def test_failure_on_page_3_of_5_keeps_pages_1_and_2_out(clinic: Clinic):
    """SYNTHETIC pages: five real records one per page; page 3 fails past the retry budget."""
    extra = ["NCT02210780", "NCT00973089", "NCT06171568"]
    clinic.put(*(study(n) for n in extra))
    before = clinic.snapshot()
    clinic.mock.reset()
    clinic.serve(skip=("search",))
    hits = [*SEARCH_HITS, *extra]
    tokens = [None, "T2", "T3", "T4", "T5"]
    pages: dict[str | None, Any] = {
        tok: page(study(n), token=tokens[i + 1] if i < 4 else None, total=5 if i == 0 else None)
        for i, (tok, n) in enumerate(zip(tokens, hits, strict=True))
    }
    pages["T3"] = (503, "Service Unavailable")
    serve_pages(clinic, pages)
    result = clinic.refresh()
    assert_failed_cleanly(clinic, before, result, KEPT_FAILING.format(code=503))
    assert clinic.calls("search") == 2 + 1 + RETRIES  # pages 1, 2, then page 3 and its retries
    assert_recovers(clinic)


def test_connection_refused_real_socket(
    ctgov: responses.RequestsMock, make_config: Any, db_url: str
):
    """No network: a real closed port on 127.0.0.1 (the mock passes this host through)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # closed again when the block ends: nothing listens
    clinic = set_up_clinic(ctgov, make_config, db_url)
    before = clinic.snapshot()
    dead = f"http://127.0.0.1:{port}/api/v2"
    ctgov.add_passthru(dead)
    text = clinic.config_path.read_text(encoding="utf-8").replace(API, dead)
    clinic.config_path.write_text(text, encoding="utf-8")
    result = clinic.refresh()
    assert_failed_cleanly(clinic, before, result, rf"Cannot reach 127\.0\.0\.1:{port} \(.*refused")
    clinic.config_path.write_text(text.replace(dead, API), encoding="utf-8")
    assert_recovers(clinic)


def _path(target: str) -> str:
    return "version" if target == "version" else "studies"
