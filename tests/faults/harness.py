"""The fault contract, written once: a clinic set-up, a good first run, a snapshot, and checks.

A `Clinic` tracks two real cited studies and one related search, served by the `responses` mock
from an in-memory registry of real records. After a good first refresh (and a rendered report,
once that feature exists) a snapshot records the data tables, the run log and a hash of every
report file. A fault case then breaks one kind of request and checks, through the real command
line, that the store and report are unchanged, the user got a clear message and exit code, the
run log gained a `failed` row with that message, and a clean next run stores what it should.
"""

from __future__ import annotations

import copy
import functools
import hashlib
import json
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from unittest import mock
from urllib.parse import parse_qs, urlsplit

import responses
from click.testing import CliRunner

from tests.conftest import API, VERSION, page, query_rows, study, table_contents
from trialwatch.config import load_config
from trialwatch.services import pipeline as services

CITED = ("NCT02552212", "NCT00763412")
SEARCH_NAME = "related"
SEARCH_PARAMS = {"query.cond": "depression"}
SEARCH_HITS = ("NCT03630471", "NCT03418623")
TARGETS = ("version", "ids", "search")  # the three kinds of request a refresh makes


@dataclass
class CliResult:
    exit_code: int
    stdout: str
    stderr: str


def run_cli(*args: str) -> CliResult:
    """Run the real entry point `trialwatch.cli.main.main` in-process, as a shell would."""
    from trialwatch.cli.main import main

    runner = CliRunner()
    with runner.isolation() as streams, mock.patch.object(sys, "argv", ["trialwatch", *args]):
        try:
            main()
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
        out, err = streams[0].getvalue(), streams[1].getvalue()
    return CliResult(code, out.decode("utf-8", "replace"), err.decode("utf-8", "replace"))


def updated_record(nct: str) -> dict[str, Any]:
    """SYNTHETIC: the real record of `nct` edited to TERMINATED with a later update date.

    What the failed and the recovering runs are offered, so a write that leaked would show.
    """
    record = study(nct)
    status = record["protocolSection"]["statusModule"]
    status["overallStatus"] = "TERMINATED"
    status["whyStopped"] = "Synthetic edit for a fault test"
    status["lastUpdatePostDateStruct"] = {"date": "2026-11-20", "type": "ACTUAL"}
    return record


def ids_of(record: dict[str, Any]) -> set[str]:
    ident = record["protocolSection"]["identificationModule"]
    return {ident["nctId"], *ident.get("nctIdAliases", [])}


def query_of(request: Any) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(request.url).query).items()}


def target_matcher(target: str) -> Callable[[Any], tuple[bool, str]]:
    """Match one kind of request: /version, an id lookup (filter.ids) or a search page."""

    def match(request: Any) -> tuple[bool, str]:
        path = urlsplit(request.url).path
        if target == "version":
            return path.endswith("/version"), "not /version"
        if not path.endswith("/studies"):
            return False, "not /studies"
        by_ids = "filter.ids" in query_of(request)
        return by_ids == (target == "ids"), f"not a {target} request"

    return match


@dataclass
class Snapshot:
    tables: dict[str, list[tuple]]
    runs: list[tuple]
    report: dict[str, str]


@dataclass
class Clinic:
    """One clinic install under test: config, database, mocked registry, report folder."""

    mock: responses.RequestsMock
    config_path: Path
    db_url: str
    registry: dict[str, dict[str, Any]] = field(default_factory=dict)
    search_hits: tuple[str, ...] = SEARCH_HITS

    @property
    def config(self) -> Any:
        return load_config(self.config_path)

    # -- the registry ----------------------------------------------------------------------
    def put(self, *records: dict[str, Any]) -> None:
        for record in records:
            self.registry[record["protocolSection"]["identificationModule"]["nctId"]] = record

    def answer(self, request: Any) -> tuple[int, dict[str, str], str]:
        """A /studies answer from the registry (filter.ids lookups and the one search)."""
        params = query_of(request)
        if "filter.ids" in params:
            wanted = set(params["filter.ids"].split("|"))
            found = [r for r in self.registry.values() if wanted & ids_of(r)]
        else:
            found = [self.registry[n] for n in self.search_hits if n in self.registry]
        body = page(*copy.deepcopy(found), total=None if "pageToken" in params else len(found))
        return 200, {"Content-Type": "application/json"}, json.dumps(body)

    def serve(self, *, skip: tuple[str, ...] = ()) -> None:
        """(Re)register good answers for every kind of request except those in `skip`."""
        if "version" not in skip:
            self.mock.get(f"{API}/version", json=VERSION, match=[target_matcher("version")])
        for target in ("ids", "search"):
            if target not in skip:
                self.mock.add_callback(
                    responses.GET, f"{API}/studies", callback=self.answer,
                    match=[target_matcher(target)],
                )  # fmt: skip

    def reset(self, *, skip: tuple[str, ...] = ()) -> None:
        self.mock.reset()
        self.serve(skip=skip)

    def calls(self, target: str) -> int:
        match = target_matcher(target)
        return sum(1 for call in self.mock.calls if match(call.request)[0])

    # -- running ---------------------------------------------------------------------------
    def refresh(self, *args: str) -> CliResult:
        return run_cli("--config", str(self.config_path), "refresh", *args)

    def render_report(self) -> Path | None:
        render = getattr(services, "render_report", None)
        return render(self.config) if render is not None else None

    @functools.cached_property
    def report_dir(self) -> Path:
        return self.config.report_dir  # read once: a test may break the config file later

    def report_hashes(self) -> dict[str, str]:
        root = self.report_dir
        if not root.exists():
            return {}
        return {
            str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*"))
            if p.is_file()
        }

    def runs(self) -> list[tuple]:
        return query(self.db_url, "SELECT id, outcome, error FROM refresh_runs ORDER BY id")

    def snapshot(self) -> Snapshot:
        return Snapshot(table_contents(self.db_url), self.runs(), self.report_hashes())

    def study_row(self, nct: str, columns: str = "overall_status, parse_problems") -> tuple:
        rows = query(self.db_url, f"SELECT {columns} FROM studies WHERE nct_id = '{nct}'")
        assert len(rows) == 1, f"{nct} is not stored"
        return rows[0]


query = query_rows  # the fault cases read the store with the shared helper


def serve_pages(clinic: Clinic, pages: dict[str | None, Any], target: str = "search") -> None:
    """Serve `target` page by page, keyed by pageToken (None: the first page); a (status, text)
    tuple answers with that error."""

    def answer(request: Any) -> tuple[int, dict[str, str], str]:
        body = pages[query_of(request).get("pageToken")]
        if isinstance(body, tuple):
            return body[0], {"Content-Type": "text/plain"}, body[1]
        return 200, {"Content-Type": "application/json"}, json.dumps(body)

    clinic.mock.add_callback(responses.GET, f"{API}/studies", callback=answer,
                             match=[target_matcher(target)])  # fmt: skip


def set_up_clinic(ctgov: responses.RequestsMock, make_config: Callable[..., Path], db_url: str,
                  extra: str = "") -> Clinic:  # fmt: skip
    """A clinic after one good refresh (and report), its registry then moved on to new versions.

    The registry's next answers carry a synthetic TERMINATED edit of the first cited study, so
    a failed run that leaked a write would change the store, and a recovering run must store it.
    """
    path = make_config(studies=CITED, searches={SEARCH_NAME: SEARCH_PARAMS}, extra=extra)
    clinic = Clinic(ctgov, path, db_url)
    clinic.put(*(study(n) for n in CITED + SEARCH_HITS))
    clinic.reset()
    first = clinic.refresh()
    assert first.exit_code == 0, first.stderr
    clinic.render_report()
    clinic.put(updated_record(CITED[0]))
    return clinic


def assert_failed_cleanly(
    clinic: Clinic, before: Snapshot, result: CliResult, message: str, exit_code: int = 1
) -> None:
    """The contract for a failed refresh: nothing changed, a clear message, a logged failure."""
    assert result.exit_code == exit_code, (result.exit_code, result.stdout, result.stderr)
    assert re.search(message, result.stderr), f"{message!r} not in {result.stderr!r}"
    assert result.stderr.startswith("Error: ") and "Traceback" not in result.stderr
    assert table_contents(clinic.db_url) == before.tables
    assert clinic.report_hashes() == before.report
    runs = clinic.runs()
    assert runs[: len(before.runs)] == before.runs
    assert len(runs) == len(before.runs) + 1, "the failed run is logged once"
    _, outcome, error = runs[-1]
    assert outcome == "failed" and error and re.search(message, error), runs[-1]


def assert_recovers(clinic: Clinic, *args: str) -> None:
    """A clean next run stores the registry's new version of the first cited study."""
    clinic.reset()
    result = clinic.refresh(*args)
    assert result.exit_code == 0, result.stderr
    assert clinic.runs()[-1][1] == "ok"
    assert clinic.study_row(CITED[0])[0] == "TERMINATED"
    versions = query(
        clinic.db_url, f"SELECT count(*) FROM record_versions WHERE nct_id = '{CITED[0]}'"
    )
    assert versions == [(2,)]
