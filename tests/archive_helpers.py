"""Helpers for the archive tests (import, backfill, out-of-order versions): SYNTHETIC dated
variants of real records, files on disk, and a store's versions and change log compared on
content (ids and times differ between two stores, content must not)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from tests.conftest import pg_schema, query_rows, study


def dated(nct: str, version_date: str, *, enrollment: int | None = None) -> dict[str, Any]:
    """SYNTHETIC: the real record of `nct` as if its version of `version_date` (versionHolder),
    with enrollment set to `enrollment` when given."""
    record = study(nct)
    record["derivedSection"]["miscInfoModule"]["versionHolder"] = version_date
    if enrollment is not None:
        record["protocolSection"]["designModule"]["enrollmentInfo"]["count"] = enrollment
    return record


def write_json(path: Path, record: dict[str, Any]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(record), encoding="utf-8")
    return path


def store_log(url: str) -> dict[str, list[tuple]]:
    """Versions and field changes by content: what must not depend on the order of arrival."""
    versions = query_rows(
        url,
        "SELECT nct_id, version_no, observed_date, source, format, content_hash, scope "
        "FROM record_versions ORDER BY nct_id, version_no",
    )
    changes = query_rows(
        url,
        "SELECT c.nct_id, a.version_no, b.version_no, c.field, c.old_value, c.new_value, "
        "c.severity FROM changes c JOIN record_versions a ON a.id = c.from_version_id "
        "JOIN record_versions b ON b.id = c.to_version_id "
        "ORDER BY c.nct_id, b.version_no, c.field",
    )
    current = query_rows(
        url,
        "SELECT s.nct_id, v.version_no FROM studies s JOIN record_versions v "
        "ON v.id = s.current_version_id ORDER BY s.nct_id",
    )
    return {"versions": versions, "changes": changes, "current": current}


@contextmanager
def second_store(db_url: str, tmp_path: Path) -> Iterator[str]:
    """Another empty store on the same backend as `db_url` (SQLite file or PostgreSQL schema)."""
    if db_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / 'second.db'}"
        return
    from trialwatch.store.engine import upgrade_store

    with pg_schema() as url:
        upgrade_store(url)
        yield url


def config_for(path: Path, url: str, *, studies: tuple[str, ...] = ()) -> Path:
    """A minimal config on `url` (no API calls are made by the commands that use it)."""
    lines = ["[database]", f"url = {json.dumps(url)}"]
    for nct in studies:
        lines += ["[[studies]]", f'nct_id = "{nct}"']
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


HISTORY_FIXTURES = Path(__file__).parent / "fixtures" / "history"
HISTORY_NCT = "NCT04280705"


def history_body(version: int = 0) -> dict[str, Any]:
    """The real body of version 0 of NCT04280705's registry history; for `version` > 0 a
    SYNTHETIC later version made from it: 1 is RECRUITING with a reference added, 2 has
    enrollment 1062 (ACTUAL). Text keeps the body's HTML-entity escaping."""
    body = json.loads((HISTORY_FIXTURES / f"{HISTORY_NCT}__history-v0.json").read_text())
    body["studyVersion"] = version
    proto = body["study"]["protocolSection"]
    if version >= 1:
        proto["statusModule"]["overallStatus"] = "RECRUITING"
        refs = proto.setdefault("referencesModule", {}).setdefault("references", [])
        refs.append({"pmid": "00000001", "type": "DERIVED", "citation": "SYNTHETIC &amp; test"})
    if version >= 2:
        proto["designModule"]["enrollmentInfo"] = {"count": 1062, "type": "ACTUAL"}
    return body


HISTORY_DATES = ("2020-02-21", "2020-03-05", "2020-05-29")  # SYNTHETIC posting dates


def history_list(n: int = 3) -> dict[str, Any]:
    """A version list in the documented shape (API notes), for versions 0..n-1: SYNTHETIC."""
    return {
        "changes": [
            {"version": i, "date": HISTORY_DATES[i], "status": "RECRUITING", "moduleLabels": []}
            for i in range(n)
        ]
    }
