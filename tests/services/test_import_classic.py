"""`trialwatch import` of classic XML: every shared archived record, the AllPublicXML ZIP layout,
re-import, out-of-order import and malformed members; the cited studies' real changes."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from tests.archive_helpers import config_for, second_store, store_log
from tests.conftest import query_rows
from tests.faults.harness import run_cli
from trialwatch.domain.classic import read_classic_xml

CLASSIC = Path(__file__).parents[1] / "fixtures" / "classic_xml"
FILES = sorted(CLASSIC.glob("NCT*.xml"))


def _import(config: Path, *args: str):
    return run_cli("--config", str(config), "import", *args)


def _all_public_xml(path: Path, files: list[Path]) -> Path:
    """A ZIP laid out as AllPublicXML.zip (`NCT0008xxxx/NCT00088699.xml`): one snapshot's files."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("Contents.txt", "not a record")
        for file in files:
            nct = file.name.split("__")[0]
            archive.write(file, f"{nct[:7]}xxxx/{nct}.xml")
    return path


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_every_shared_classic_record_is_one_version_at_its_snapshot_date(make_config, path):
    config = make_config()
    result = _import(config, str(path))
    assert result.exit_code == 0, result.stderr
    assert "1 files read, 1 studies, 1 new versions, 0 changes" in result.stdout
    nct, snapshot = path.stem.split("__")
    rows = query_rows(
        _url(config),
        "SELECT nct_id, source, format, observed_date, source_file, raw_text FROM record_versions",
    )
    assert rows == [(nct, "import", "classic-xml", snapshot, str(path), path.read_text())]
    parsed = read_classic_xml(path.read_bytes())
    study = query_rows(_url(config), "SELECT brief_title, overall_status FROM studies")
    proto = parsed.record["protocolSection"]
    assert study == [
        (proto["identificationModule"]["briefTitle"], proto["statusModule"]["overallStatus"])
    ]


def test_all_public_xml_zips_in_either_order_give_the_same_store(make_config, db_url, tmp_path):
    older = _all_public_xml(tmp_path / "2018.zip", [f for f in FILES if "2018-05-29" in f.name])
    newer = _all_public_xml(tmp_path / "2020.zip", [f for f in FILES if "2020-07-28" in f.name])
    forward = make_config(studies=("NCT00088699", "NCT01558063"))
    first = _import(forward, str(older), "--cited")
    assert first.exit_code == 0, first.stderr
    assert "2 new versions" in first.stdout and "not among the chosen studies" in first.stdout
    assert _import(forward, str(newer), "--cited").exit_code == 0
    expected = store_log(db_url)
    with second_store(db_url, tmp_path) as url:
        backward = config_for(tmp_path / "b.toml", url, studies=("NCT00088699", "NCT01558063"))
        assert _import(backward, str(newer), "--cited").exit_code == 0
        assert _import(backward, str(older), "--cited").exit_code == 0
        assert store_log(url) == expected
    changes = {(c[0], c[3]): c[4:6] for c in expected["changes"]}
    assert changes[("NCT00088699", "enrollment")] == ("233", "67")
    assert changes[("NCT01558063", "overall_status")] == ("ACTIVE_NOT_RECRUITING", "COMPLETED")
    assert changes[("NCT01558063", "primary_completion_date")] == ("2017-03", "2015-05")
    assert changes[("NCT01558063", "enrollment")] == ("76", "38")
    again = _import(forward, str(older), str(newer), "--cited")
    assert "0 new versions, 0 changes; skipped: 4 already stored" in again.stdout
    assert store_log(db_url) == expected


def test_a_malformed_member_is_skipped_and_the_rest_imported(make_config, tmp_path):
    archive_path = _all_public_xml(tmp_path / "AllPublicXML.zip", FILES[0:3:2])
    with zipfile.ZipFile(archive_path, "a") as archive:
        archive.writestr("NCT0999xxxx/NCT09999999.xml", "<clinical_study><nct_id>")  # cut short
        archive.writestr("NCT0999xxxx/NCT09999998.xml", "<other_root/>")
    config = make_config()
    result = _import(config, str(archive_path))
    assert result.exit_code == 0, result.stderr
    assert "2 new versions" in result.stdout and "2 malformed" in result.stdout
    assert "NCT09999999.xml: not a readable classic XML record" in result.stderr
    assert len(query_rows(_url(config), "SELECT id FROM record_versions")) == 2


def _url(config: Path) -> str:
    from trialwatch.config import load_config

    return load_config(config).database_url
