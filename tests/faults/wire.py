"""Fault cases on a real socket: the local fake API v2 (tests/fakeapi.py) and trialwatch as a
real process, for what the `responses` mock cannot show (slow bytes, silence, signals)."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from tests.conftest import study
from tests.fakeapi import FakeApi

CITED = ("NCT02552212", "NCT00763412")
HIT = "NCT03418623"
SEARCH = {"query.cond": "alcohol"}


def fake_registry() -> FakeApi:
    """Two real cited studies and one real search hit."""
    api = FakeApi([study(nct) for nct in (*CITED, HIT)])
    api.set_search(SEARCH, [HIT])
    return api


def write_config(tmp_path: Path, api: FakeApi, db_url: str, api_keys: str = "") -> Path:
    """A config on the fake API and `db_url`, with extra `[api]` lines (`read_timeout = 2`)."""
    config = tmp_path / "config.toml"
    config.write_text(
        f'[api]\nbase_url = "{api.url}"\nmin_interval = 0\nbackoff_factor = 0\n{api_keys}\n'
        f"[database]\nurl = {json.dumps(db_url)}\n"
        "[schedule]\nlock_wait_seconds = 0\n"
        + "".join(f'[[studies]]\nnct_id = "{nct}"\n' for nct in CITED)
        + '[[searches]]\nname = "aud"\nparams = { "query.cond" = "alcohol" }\n'
    )
    return config


def command(config: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "trialwatch", "--config", str(config), *args]


def start(config: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        command(config, *args), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def run(config: Path, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command(config, *args), capture_output=True, text=True, timeout=timeout)


def wait_for(condition: Callable[[], bool], what: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.02)
