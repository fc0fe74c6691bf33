"""A fake ClinicalTrials.gov API v2 on 127.0.0.1 for multi-process tests and benchmarks.

It serves an in-memory registry (real records, or synthetic copies of real ones made by the caller)
with the subset of API v2 that trialwatch uses: /version; /studies with filter.ids (ids and
aliases), fields=, pageSize/pageToken (a token is sent whenever a page is full, as the real API
does), countTotal, filter.advanced LastUpdatePostDate windows, and registered searches; and
/studies/{nctId}, one study per request (the benchmarks' naive client). It counts requests and
bytes (also by path), can delay answers and can inject faults.
"""

from __future__ import annotations

import json
import re
import threading
from collections import Counter
from collections.abc import Iterable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

# fields= piece names -> JSON path (list-valued pieces copy their whole list).
PIECES: dict[str, tuple[str, ...]] = {
    "NCTId": ("protocolSection", "identificationModule", "nctId"),
    "NCTIdAlias": ("protocolSection", "identificationModule", "nctIdAliases"),
    "BriefTitle": ("protocolSection", "identificationModule", "briefTitle"),
    "OfficialTitle": ("protocolSection", "identificationModule", "officialTitle"),
    "Acronym": ("protocolSection", "identificationModule", "acronym"),
    "OverallStatus": ("protocolSection", "statusModule", "overallStatus"),
    "WhyStopped": ("protocolSection", "statusModule", "whyStopped"),
    "StartDate": ("protocolSection", "statusModule", "startDateStruct"),
    "StartDateType": ("protocolSection", "statusModule", "startDateStruct"),
    "PrimaryCompletionDate": ("protocolSection", "statusModule", "primaryCompletionDateStruct"),
    "PrimaryCompletionDateType": ("protocolSection", "statusModule", "primaryCompletionDateStruct"),
    "CompletionDate": ("protocolSection", "statusModule", "completionDateStruct"),
    "CompletionDateType": ("protocolSection", "statusModule", "completionDateStruct"),
    "StudyFirstPostDate": ("protocolSection", "statusModule", "studyFirstPostDateStruct"),
    "ResultsFirstPostDate": ("protocolSection", "statusModule", "resultsFirstPostDateStruct"),
    "LastUpdatePostDate": ("protocolSection", "statusModule", "lastUpdatePostDateStruct"),
    "Phase": ("protocolSection", "designModule", "phases"),
    "StudyType": ("protocolSection", "designModule", "studyType"),
    "EnrollmentCount": ("protocolSection", "designModule", "enrollmentInfo"),
    "EnrollmentType": ("protocolSection", "designModule", "enrollmentInfo"),
    "LeadSponsorName": ("protocolSection", "sponsorCollaboratorsModule", "leadSponsor"),
    "LeadSponsorClass": ("protocolSection", "sponsorCollaboratorsModule", "leadSponsor"),
    "CollaboratorName": ("protocolSection", "sponsorCollaboratorsModule", "collaborators"),
    "Condition": ("protocolSection", "conditionsModule", "conditions"),
    "InterventionType": ("protocolSection", "armsInterventionsModule", "interventions"),
    "InterventionName": ("protocolSection", "armsInterventionsModule", "interventions"),
    "HasResults": ("hasResults",),
}
_WINDOW = re.compile(r"AREA\[LastUpdatePostDate\]RANGE\[(\d{4}-\d{2}-\d{2}),MAX\]")
_SHAPE_PARAMS = {"pageSize", "pageToken", "countTotal", "fields", "filter.advanced", "format"}


def project(record: dict[str, Any], pieces: Iterable[str]) -> dict[str, Any]:
    """The record reduced to the requested pieces, as `fields=` does."""
    out: dict[str, Any] = {}
    for piece in pieces:
        path = PIECES.get(piece)
        if path is None:
            continue
        node: Any = record
        for key in path:
            node = node.get(key) if isinstance(node, dict) else None
        if node is None:
            continue
        target = out
        for key in path[:-1]:
            target = target.setdefault(key, {})
        target[path[-1]] = node
    return out


def _nct(record: dict[str, Any]) -> str:
    return str(record["protocolSection"]["identificationModule"]["nctId"])


def _ids_of(record: dict[str, Any]) -> set[str]:
    ident = record["protocolSection"]["identificationModule"]
    return {ident["nctId"], *ident.get("nctIdAliases", [])}


def _updated(record: dict[str, Any]) -> str:
    status = record.get("protocolSection", {}).get("statusModule", {})
    return str(status.get("lastUpdatePostDateStruct", {}).get("date", ""))


class FakeApi:
    """Context manager: `with FakeApi(records) as api: api.url ...`."""

    def __init__(
        self, records: Iterable[dict[str, Any]] = (), data_timestamp: str = "2026-11-25T09:00:05"
    ):
        self.records: dict[str, dict[str, Any]] = {}
        self._owners: dict[str, set[str]] = {}  # every id and alias -> records answering to it
        self._position: dict[str, int] = {}  # registry order, kept as records are replaced
        self.searches: list[tuple[dict[str, str], list[str]]] = []
        self.data_timestamp = data_timestamp
        self.delay = 0.0
        self.trickle = 0.0  # seconds between bytes of every body: a registry at 1 byte/s
        self.silent = False  # take requests and never answer them
        self.stop_serving = threading.Event()  # ends a trickle or a silence when the test is done
        self.faults: list[tuple[int, bytes, dict[str, str]]] = []
        self.lock = threading.Lock()
        self.requests = 0
        self.bytes = 0
        self.paths: Counter[str] = Counter()
        self.path_bytes: Counter[str] = Counter()  # bytes sent, by the path's last segment
        self.asked: list[dict[str, str]] = []  # the query of every GET /studies, in order
        for record in records:
            self.put(record)
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- registry --------------------------------------------------------------------------
    def put(self, record: dict[str, Any]) -> None:
        nct = _nct(record)
        with self.lock:
            if nct in self.records:
                for old in _ids_of(self.records[nct]):
                    self._owners.get(old, set()).discard(nct)
            self.records[nct] = record
            self._position.setdefault(nct, len(self._position))
            for ident in _ids_of(record):
                self._owners.setdefault(ident, set()).add(nct)

    def set_search(self, params: dict[str, str], ids: list[str]) -> None:
        with self.lock:
            self.searches = [(p, i) for p, i in self.searches if p != params] + [(params, ids)]

    def reset_counts(self) -> None:
        with self.lock:
            self.requests = self.bytes = 0
            self.paths.clear()
            self.path_bytes.clear()
            self.asked.clear()

    # -- server ----------------------------------------------------------------------------
    @property
    def url(self) -> str:
        assert self._server is not None, "use FakeApi as a context manager"
        return f"http://127.0.0.1:{self._server.server_address[1]}/api/v2"

    def __enter__(self) -> FakeApi:
        api = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # headers and body go out apart: no 40 ms stall

            def do_GET(self) -> None:  # noqa: N802 - http.server's naming
                api._handle(self)

            def log_message(self, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        assert self._server is not None
        self.stop_serving.set()
        self._server.shutdown()
        self._server.server_close()

    def _handle(self, handler: BaseHTTPRequestHandler) -> None:
        import time

        if self.delay:
            time.sleep(self.delay)
        if self.silent:
            with self.lock:
                self.requests += 1
            self.stop_serving.wait(120)
            return
        url = urlsplit(handler.path)
        with self.lock:
            fault = self.faults.pop(0) if self.faults else None
        if fault is not None:
            status, body, headers = fault
            self._send(handler, status, body, {"Content-Type": "text/plain", **headers}, url.path)
            return
        params = dict(parse_qsl(url.query))
        if url.path.endswith("/version"):
            version = {"apiVersion": "2.0.5", "dataTimestamp": self.data_timestamp}
            self._send_json(handler, version, url.path)
        elif url.path.endswith("/studies"):
            with self.lock:
                self.asked.append(params)
            self._send_json(handler, self._studies(params), url.path)
        elif "/studies/" in url.path:  # one study by id (what a naive client asks per study)
            with self.lock:
                record = self.records.get(url.path.rsplit("/", 1)[-1])
            if record is None:
                headers = {"Content-Type": "text/plain"}
                self._send(handler, 404, b"not found", headers, "/studies/{nctId}")
            else:
                self._send_json(handler, record, "/studies/{nctId}")
        else:
            self._send(handler, 404, b"not found", {"Content-Type": "text/plain"}, url.path)

    def _studies(self, params: dict[str, str]) -> dict[str, Any]:
        with self.lock:
            if "filter.ids" in params:
                wanted = set(params["filter.ids"].split("|"))
                owners = set().union(*(self._owners.get(w, ()) for w in wanted))
                matched = [self.records[n] for n in sorted(owners, key=self._position.get)]
            else:
                query = {k: v for k, v in params.items() if k not in _SHAPE_PARAMS}
                ids = next((i for p, i in self.searches if p == query), [])
                matched = [self.records[n] for n in ids if n in self.records]
        window = _WINDOW.search(params.get("filter.advanced", ""))
        if window:
            matched = [r for r in matched if _updated(r) >= window.group(1)]
        size = min(int(params.get("pageSize", 10)), 1000)
        offset = int(params.get("pageToken", "tok0")[3:]) if "pageToken" in params else 0
        chunk = matched[offset : offset + size]
        fields = params.get("fields")
        if fields:
            chunk = [project(r, fields.split("|")) for r in chunk]
        body: dict[str, Any] = {"studies": chunk}
        if len(chunk) == size:  # the real API sends a token whenever a page is full
            body["nextPageToken"] = f"tok{offset + size}"
        if params.get("countTotal") == "true" and "pageToken" not in params:
            body["totalCount"] = len(matched)
        return body

    def _send_json(self, handler: BaseHTTPRequestHandler, body: Any, path: str) -> None:
        data = json.dumps(body).encode()
        self._send(handler, 200, data, {"Content-Type": "application/json"}, path)

    def _send(
        self,
        handler: BaseHTTPRequestHandler,
        status: int,
        body: bytes,
        headers: dict[str, str],
        path: str,
    ) -> None:
        with self.lock:
            self.requests += 1
            self.bytes += len(body)
            self.paths[path.rsplit("/", 1)[-1]] += 1
            self.path_bytes[path.rsplit("/", 1)[-1]] += len(body)
        handler.send_response(status)
        for key, value in headers.items():
            handler.send_header(key, value)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        if not self.trickle:
            handler.wfile.write(body)
            return
        handler.wfile.flush()
        for i in range(len(body)):
            if self.stop_serving.wait(self.trickle):
                return
            try:
                handler.wfile.write(body[i : i + 1])
                handler.wfile.flush()
            except OSError:  # the client hung up: what a deadline does
                return
