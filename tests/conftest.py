"""Shared fixtures: recorded API responses, a store on SQLite (and PostgreSQL when configured),
a config factory and a mocked API.

Set TRIALWATCH_TEST_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/test to run every
database test a second time on PostgreSQL (each test gets a schema of its own, dropped after;
`db_url` comes migrated to the newest schema revision, `pg_url` empty).
"""

from __future__ import annotations

import copy
import json
import os
import re
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import responses

FIXTURES = Path(__file__).parent / "fixtures" / "ctgov"
API = "https://ctgov.test/api/v2"
PG_ENV = "TRIALWATCH_TEST_DATABASE_URL"
BACKENDS = ["sqlite"] + (["postgresql"] if os.environ.get(PG_ENV) else [])


def load_fixture(relpath: str) -> Any:
    """A recorded response from tests/fixtures/ctgov/ (see PROVENANCE.md there)."""
    return json.loads((FIXTURES / relpath).read_text(encoding="utf-8"))


def study(nct: str, variant: str = "") -> dict[str, Any]:
    """A real full record; `variant` picks a recorded later version (file suffix)."""
    name = f"{nct}__{variant}.json" if variant else f"{nct}.json"
    return copy.deepcopy(load_fixture(f"studies/{name}"))


CLASSIC_FIXTURES = Path(__file__).parent / "fixtures" / "classic_xml"
CLASSIC_FILES = sorted(CLASSIC_FIXTURES.glob("NCT*.xml"))


def classic_xml(nct: str, snapshot: str) -> bytes:
    """A real archived classic XML record (tests/fixtures/classic_xml/, PROVENANCE.md there)."""
    return (CLASSIC_FIXTURES / f"{nct}__{snapshot}.xml").read_bytes()


def synthetic_copies(
    n: int, prefix: str = "NCT9", nct: str = "NCT03418623"
) -> list[dict[str, Any]]:
    """SYNTHETIC: n copies of the real record `nct`, ids prefix + index (for scale tests)."""
    base = study(nct)
    out = []
    for i in range(n):
        record = copy.deepcopy(base)
        record["protocolSection"]["identificationModule"]["nctId"] = f"{prefix}{i:07d}"
        out.append(record)
    return out


def page(*records: dict[str, Any], token: str | None = None, total: int | None = None) -> dict:
    """An API /studies page around real records (the page envelope is the API's shape)."""
    body: dict[str, Any] = {"studies": list(records)}
    if token:
        body["nextPageToken"] = token
    if total is not None:
        body["totalCount"] = total
    return body


@contextmanager
def pg_schema() -> Iterator[str]:
    """A PostgreSQL URL on an empty schema of its own (search_path), dropped afterwards."""
    import sqlalchemy as sa

    base = os.environ[PG_ENV]
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(base)
    with admin.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in base else "?"
    try:
        yield f"{base}{sep}options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh database URL ready for trialwatch: a new SQLite file (trialwatch creates its
    schema on first use), or a PostgreSQL schema of its own upgraded to the newest revision
    (what `trialwatch db upgrade` does once on a shared install).
    """
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'trialwatch.db'}"
        return
    from trialwatch.store.engine import upgrade_store

    with pg_schema() as url:
        upgrade_store(url)
        yield url


@pytest.fixture
def pg_url() -> Iterator[str]:
    """An empty PostgreSQL schema (no tables); skips when PostgreSQL is not configured."""
    if not os.environ.get(PG_ENV):
        pytest.skip(
            f"needs PostgreSQL: set {PG_ENV}=postgresql+psycopg://postgres@127.0.0.1:5432/test"
        )
    with pg_schema() as url:
        yield url


@pytest.fixture
def make_config(tmp_path: Path, db_url: str) -> Callable[..., Path]:
    """Write a config.toml in tmp_path and return its path.

    Defaults: the mocked API at https://ctgov.test/api/v2 with no pacing, the test database,
    and the given cited ids and searches ({name: params}).
    """

    def _make(
        studies: list[str] | tuple[str, ...] = ("NCT02552212",),
        searches: dict[str, dict[str, str]] | None = None,
        extra: str = "",
        name: str = "config.toml",
    ) -> Path:
        lines = [
            "[api]",
            f'base_url = "{API}"',
            "min_interval = 0",
            "max_retries = 3",
            "backoff_factor = 0",
            "[database]",
            f"url = {json.dumps(db_url)}",
            "[report]",
            'dir = "reports"',
        ]
        for nct in studies:
            lines += ["[[studies]]", f'nct_id = "{nct}"', f'cited_as = "cited {nct}"']
        for search_name, params in (searches or {}).items():
            inline = ", ".join(f"{json.dumps(k)} = {json.dumps(v)}" for k, v in params.items())
            lines += ["[[searches]]", f'name = "{search_name}"', f"params = {{ {inline} }}"]
        path = tmp_path / name
        path.write_text("\n".join(lines) + "\n" + extra, encoding="utf-8")
        return path

    return _make


VERSION = {"apiVersion": "2.0.5", "dataTimestamp": "2026-11-25T09:00:05"}  # shape of GET /version


def reset_api(mock: responses.RequestsMock) -> responses.RequestsMock:
    """Forget every registration except /version (to script the next refresh)."""
    mock.reset()
    mock.get(f"{API}/version", json=VERSION)
    return mock


@pytest.fixture
def ctgov() -> Iterator[responses.RequestsMock]:
    """A mocked API answering /version; register more on it. Unused registrations are fine."""
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield reset_api(mock)


def ids_matcher(*ids: str) -> Any:
    """Match a /studies request whose filter.ids is exactly these ids (any order)."""

    def match(request: Any) -> tuple[bool, str]:
        from urllib.parse import parse_qs, urlsplit

        params = parse_qs(urlsplit(request.url).query)
        got = set(params.get("filter.ids", [""])[0].split("|"))
        return got == set(ids), f"filter.ids {sorted(got)} != {sorted(ids)}"

    return match


def param_matcher(**expected: str | None) -> Any:
    """Match a request that has these query parameters (None: must be absent); others ignored."""

    def match(request: Any) -> tuple[bool, str]:
        from urllib.parse import parse_qs, urlsplit

        params = {k: v[0] for k, v in parse_qs(urlsplit(request.url).query).items()}
        for key, value in expected.items():
            if params.get(key) != value:
                return False, f"{key}={params.get(key)!r}, expected {value!r}"
        return True, ""

    return match


@pytest.fixture(params=BACKENDS)
def empty_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database (no tables yet) on each backend."""
    from tests.schema_helpers import empty_database

    with empty_database(request.param, tmp_path) as url:
        yield url


@pytest.fixture
def later_revision(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A synthetic schema revision after the real head (see tests/schema_helpers.py)."""
    from tests.schema_helpers import use_later_revision

    return use_later_revision(tmp_path, monkeypatch)


def query_rows(db_url: str, sql: str) -> list[tuple]:
    """The rows an SQL query returns from the store at `db_url`."""
    import sqlalchemy as sa

    engine = sa.create_engine(db_url)
    with engine.connect() as conn:
        rows = [tuple(r) for r in conn.execute(sa.text(sql))]
    engine.dispose()
    return rows


def table_contents(db_url: str, tables: tuple[str, ...] | None = None) -> dict[str, list[tuple]]:
    """Every row of the data tables, sorted: to prove a failed run changed nothing."""
    import sqlalchemy as sa

    from trialwatch.store.models import DATA_TABLES

    engine = sa.create_engine(db_url)
    out: dict[str, list[tuple]] = {}
    try:
        with engine.connect() as conn:
            existing = set(sa.inspect(conn).get_table_names())
            for name in tables or DATA_TABLES:
                if name in existing:
                    rows = conn.execute(sa.text(f"SELECT * FROM {name}")).all()
                    out[name] = sorted(tuple(map(repr, r)) for r in rows)
    finally:
        engine.dispose()
    return out


def without_render_details(page: str) -> str:
    """A report page without what every render changes by design: its stale-data banner, its
    render time and the previous report's time (to compare two renders of the same data)."""
    page = re.sub(r'<section class="alert stale".*?</section>\n?', "", page, flags=re.S)
    page = re.sub(r"Generated by trialwatch on [^<]*", "", page)
    return re.sub(r"<dt>Previous report</dt><dd>.*?</dd>", "", page, flags=re.S)
