"""A store filled the way production fills it (two refreshes through `services.refresh` against the
mocked API) for the staff command tests, and a CliRunner helper.

Records are real (tests/fixtures/ctgov). One is a synthetic variant made here from a real one and
named as such: NCT00763412 as if TERMINATED, to give the change log real field changes.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import responses
from click.testing import CliRunner, Result

from tests.conftest import API, ids_matcher, page, param_matcher, reset_api, study
from tests.fakeapi import project
from trialwatch.cli.main import cli
from trialwatch.config import load_config
from trialwatch.ctgov.client import SUMMARY_FIELDS
from trialwatch.services import pipeline as services

CITED = ("NCT02552212", "NCT00763412")
SEARCH = {"s": {"query.cond": "x"}}


def synthetic_terminated(record: dict[str, Any]) -> dict[str, Any]:
    """SYNTHETIC: a real record edited to look terminated, with enrollment and update date moved."""
    edited = copy.deepcopy(record)
    status = edited["protocolSection"]["statusModule"]
    status["overallStatus"] = "TERMINATED"
    status["whyStopped"] = "Synthetic test edit: sponsor decision"
    status["lastUpdatePostDateStruct"]["date"] = "2026-11-20"
    edited["protocolSection"]["designModule"]["enrollmentInfo"]["count"] = 62
    return edited


def summary(nct: str) -> dict[str, Any]:
    """A real record reduced to the summary fields a search asks for (as `fields=` does)."""
    return project(study(nct), SUMMARY_FIELDS)


def _mock_refresh(
    ctgov: responses.RequestsMock, cited: list[dict[str, Any]], hits: list[str]
) -> None:
    reset_api(ctgov)
    ctgov.get(f"{API}/studies", json=page(*cited), match=[ids_matcher(*CITED)])
    ctgov.get(
        f"{API}/studies",
        json=page(*(summary(n) for n in hits), total=len(hits)),
        match=[param_matcher(**{"query.cond": "x"})],
    )


def populate(ctgov: responses.RequestsMock, make_config: Any) -> Path:
    """Two full refreshes; returns the config path.

    Afterwards: NCT02552212 has 2 versions differing only in derived data; NCT00763412 has 2
    versions with status/why-stopped/enrollment changes; search `s` saw NCT06171568 leave and
    NCT00973089 enter.
    """
    path: Path = make_config(studies=list(CITED), searches=SEARCH)
    config = load_config(path)
    _mock_refresh(
        ctgov, [study("NCT02552212"), study("NCT00763412")], ["NCT03630471", "NCT06171568"]
    )
    services.refresh(config, full=True)
    _mock_refresh(
        ctgov,
        [
            study("NCT02552212", "versionHolder-2024-01-03"),
            synthetic_terminated(study("NCT00763412")),
        ],
        ["NCT03630471", "NCT00973089"],
    )
    services.refresh(config, full=True)
    reset_api(ctgov)
    return path


def run(config: Path | None, *args: str) -> Result:
    """Invoke the CLI as a person would (stdout and stderr kept apart)."""
    prefix = ["--config", str(config)] if config is not None else []
    return CliRunner().invoke(cli, [*prefix, *args])
