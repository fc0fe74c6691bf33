"""`trialwatch import`: API v2 JSON files, folders and the v2 bulk ZIP; dates, order, re-import,
malformed members and corrupt archives (classic XML has its own module)."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Any

import pytest

from tests.archive_helpers import config_for, dated, second_store, store_log, write_json
from tests.conftest import query_rows, study, table_contents
from tests.faults.harness import run_cli

NCT = "NCT02552212"


def _import(config: Path, *args: str):
    return run_cli("--config", str(config), "import", *args)


def _files(tmp_path: Path) -> list[Path]:
    """The real versions of NCT02552212 (2023-12-12, 2024-01-03) and a SYNTHETIC later one."""
    return [
        write_json(tmp_path / "a" / f"{NCT}.json", study(NCT)),
        write_json(tmp_path / "b" / f"{NCT}.json", study(NCT, "versionHolder-2024-01-03")),
        write_json(tmp_path / "c" / f"{NCT}.json", dated(NCT, "2024-06-01", enrollment=12)),
    ]


def test_v2_files_are_versions_at_their_version_date(make_config, tmp_path):
    config = make_config()
    files = _files(tmp_path)
    result = _import(config, *map(str, files))
    assert result.exit_code == 0, result.stderr
    assert "3 files read, 1 studies, 3 new versions," in result.stdout
    rows = query_rows(
        str(_db(config)),
        "SELECT version_no, source, format, observed_date, source_file FROM record_versions "
        "ORDER BY version_no",
    )
    assert rows == [
        (1, "import", "v2-json", "2023-12-12", str(files[0])),
        (2, "import", "v2-json", "2024-01-03", str(files[1])),
        (3, "import", "v2-json", "2024-06-01", str(files[2])),
    ]
    changes = query_rows(str(_db(config)), "SELECT field, old_value, new_value FROM changes")
    assert ("enrollment", "317", "12") in changes  # between the 2nd and 3rd only
    assert f"new versions, {len(changes)} changes" in result.stdout
    history = run_cli("--config", str(config), "history", NCT)
    assert "observed 2023-12-12, import v2-json from " + str(files[0]) in history.stdout


def test_the_same_files_twice_add_nothing(make_config, tmp_path):
    config = make_config()
    files = list(map(str, _files(tmp_path)))
    assert _import(config, *files).exit_code == 0
    before = table_contents(str(_db(config)))
    again = _import(config, *files)
    assert again.exit_code == 0, again.stderr
    assert "0 new versions, 0 changes; skipped: 3 already stored" in again.stdout
    assert table_contents(str(_db(config))) == before


@pytest.mark.parametrize("order", [(2, 0, 1), (1, 2, 0), (2, 1, 0)])
def test_out_of_order_import_gives_the_same_versions_and_change_log(
    make_config, db_url, tmp_path, order
):
    files = _files(tmp_path)
    in_order = make_config()
    for path in files:
        assert _import(in_order, str(path)).exit_code == 0
    expected = store_log(db_url)
    assert ("enrollment", "317", "12") in [c[3:6] for c in expected["changes"]]
    with second_store(db_url, tmp_path) as url:
        shuffled = config_for(tmp_path / "shuffled.toml", url)
        for i in order:
            assert _import(shuffled, str(files[i])).exit_code == 0
        assert store_log(url) == expected
        # the newest by date is the current state, whatever came last
        assert query_rows(url, "SELECT enrollment FROM studies") == [(12,)]


def test_v2_bulk_zip_members_are_found_by_name_and_picked_by_ids(make_config, tmp_path):
    bulk = tmp_path / "ctg-studies.json.zip"
    with zipfile.ZipFile(bulk, "w") as archive:
        for nct in ("NCT02552212", "NCT00763412", "NCT03418623"):
            shard = f"ctg-studies/{nct[:7]}xxxx/{nct}.json"  # folder layout is not relied on
            archive.writestr(shard, json.dumps(study(nct)))
        archive.writestr("README.txt", "not a study")
        archive.writestr("odd/NCT00973089.json", b'{"protocolSection": ')  # truncated
    config = make_config()
    result = _import(config, str(bulk), "--ids", "NCT00763412,nct02552212", "--ids", "NCT00973089")
    assert result.exit_code == 0, result.stderr
    assert "2 new versions" in result.stdout
    assert "1 malformed; 1 not among the chosen studies" in result.stdout
    assert "NCT00973089.json: not valid JSON" in result.stderr
    ids = query_rows(str(_db(config)), "SELECT nct_id FROM record_versions ORDER BY nct_id")
    assert ids == [("NCT00763412",), ("NCT02552212",)]


def test_cited_picks_the_configs_studies(make_config, tmp_path):
    folder = tmp_path / "folder"
    for nct in ("NCT02552212", "NCT00763412"):
        write_json(folder / f"{nct}.json", study(nct))
    config = make_config(studies=("NCT00763412",))
    result = _import(config, str(folder), "--cited")
    assert result.exit_code == 0, result.stderr
    assert query_rows(str(_db(config)), "SELECT nct_id FROM studies") == [("NCT00763412",)]


def test_date_option_dates_v2_files_without_a_version_holder(make_config, tmp_path):
    record = study(NCT)
    del record["derivedSection"]["miscInfoModule"]["versionHolder"]
    path = write_json(tmp_path / f"{NCT}.json", record)
    config = make_config()
    refused = _import(config, str(path))
    assert refused.exit_code == 0 and "without a versionHolder date (give --date)" in refused.stderr
    dated_run = _import(config, str(path), "--date", "2025-02-03")
    assert dated_run.exit_code == 0 and "1 new versions" in dated_run.stdout
    assert query_rows(str(_db(config)), "SELECT observed_date FROM record_versions") == [
        ("2025-02-03",)
    ]
    bad = _import(config, str(path), "--date", "3000-01-01")
    assert bad.exit_code == 2 and bad.stderr.startswith("Error: --date")


@pytest.mark.parametrize("damage", ["truncated", "garbage"])
def test_a_corrupt_zip_is_an_error_and_nothing_is_written(make_config, tmp_path, damage):
    good = write_json(tmp_path / "ok" / f"{NCT}.json", study(NCT))
    bulk = tmp_path / "ctg-studies.json.zip"
    with zipfile.ZipFile(bulk, "w") as archive:
        archive.writestr("NCT00763412.json", json.dumps(study("NCT00763412")))
    data = bulk.read_bytes()
    bulk.write_bytes(data[: len(data) // 2] if damage == "truncated" else b"PK\x03\x04junk")
    config = make_config()
    assert run_cli("--config", str(config), "db", "upgrade").exit_code == 0
    before = table_contents(str(_db(config)))
    result = _import(config, str(good), str(bulk))
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: ") and "nothing was imported" in result.stderr
    assert "Traceback" not in result.stderr
    assert table_contents(str(_db(config))) == before


def test_a_damaged_member_rolls_the_whole_import_back(make_config, tmp_path):
    bulk = tmp_path / "ctg-studies.json.zip"
    with zipfile.ZipFile(bulk, "w", compression=zipfile.ZIP_STORED) as archive:
        archive.writestr("a/NCT02552212.json", json.dumps(study(NCT)))
        archive.writestr("b/NCT00763412.json", json.dumps(study("NCT00763412")))
    data = bytearray(bulk.read_bytes())
    spot = data.rfind(b"NCT00763412") - 200  # inside the second member's data: a CRC mismatch
    data[spot : spot + 4] = b"XXXX"
    bulk.write_bytes(bytes(data))
    config = make_config()
    result = _import(config, str(bulk))
    assert result.exit_code == 2 and "is damaged at b/NCT00763412.json" in result.stderr
    rows = query_rows(str(_db(config)), "SELECT count(*) FROM record_versions")
    assert rows == [(0,)]


def _db(config: Path) -> Any:
    """The database URL of a test config."""
    from trialwatch.config import load_config

    return load_config(config).database_url


def test_members_not_chosen_are_never_read(make_config, tmp_path):
    """--ids picks by member name: a damaged member of another study is not even decompressed."""
    bulk = tmp_path / "ctg-studies.json.zip"
    with zipfile.ZipFile(bulk, "w", compression=zipfile.ZIP_STORED) as archive:
        archive.writestr("a/NCT02552212.json", json.dumps(study(NCT)))
        archive.writestr("b/NCT00763412.json", json.dumps(study("NCT00763412")))
    data = bytearray(bulk.read_bytes())
    spot = data.rfind(b"NCT00763412") - 200  # inside the unchosen member: a CRC mismatch
    data[spot : spot + 4] = b"XXXX"
    bulk.write_bytes(bytes(data))
    config = make_config()
    result = _import(config, str(bulk), "--ids", NCT)
    assert result.exit_code == 0, result.stderr
    assert "1 new versions" in result.stdout and "1 not among the chosen studies" in result.stdout


def test_an_import_waits_for_no_running_refresh(make_config, tmp_path):
    from trialwatch.store.engine import open_store
    from trialwatch.store.lock import refresh_lock

    path = write_json(tmp_path / f"{NCT}.json", study(NCT))
    config = make_config()
    engine = open_store(_db(config))
    try:
        with refresh_lock(engine):
            result = _import(config, str(path))
    finally:
        engine.dispose()
    assert result.exit_code == 1 and "Another trialwatch refresh is running" in result.stderr
    assert query_rows(str(_db(config)), "SELECT count(*) FROM record_versions") == [(0,)]
