"""The fake API behaves like the parts of API v2 the tests rely on (pagination quirk, fields)."""

from __future__ import annotations

import pytest

from tests.conftest import study, synthetic_copies
from tests.fakeapi import FakeApi
from trialwatch.ctgov.client import PROBE_FIELDS, CtgovClient
from trialwatch.errors import ApiError


def test_search_pagination_sends_a_token_on_a_full_last_page():
    records = synthetic_copies(2000, "NCT9")
    with FakeApi(records) as api:
        api.set_search(
            {"query.cond": "x"},
            [r["protocolSection"]["identificationModule"]["nctId"] for r in records],
        )
        client = CtgovClient(api.url, min_interval=0)
        result = client.search({"query.cond": "x"}, fields=PROBE_FIELDS, max_studies=10_000)
        assert len(result.studies) == 2000 and result.total_count == 2000
        assert api.paths["studies"] == 3  # 1000 + 1000 + the empty page after the last token


def test_ids_lookup_with_fields_and_alias():
    record = study("NCT02552212")
    record["protocolSection"]["identificationModule"]["nctIdAliases"] = ["NCT01111111"]
    with FakeApi([record]) as api:
        client = CtgovClient(api.url, min_interval=0)
        found = client.fetch_ids(["NCT01111111", "NCT00000001"], fields=PROBE_FIELDS)
        assert found.aliases == {"NCT01111111": "NCT02552212"}
        assert found.not_found == ["NCT00000001"]
        assert set(found.studies["NCT02552212"]) == {"protocolSection"}


def test_one_study_by_id_and_bytes_by_path():
    record = study("NCT03418623")
    with FakeApi([record]) as api:
        client = CtgovClient(api.url, min_interval=0)
        assert client.get_json("studies/NCT03418623") == record
        with pytest.raises(ApiError, match="404"):
            client.get_json("studies/NCT00000001")
        assert api.paths == {"{nctId}": 2}
        assert api.path_bytes["{nctId}"] == client.stats.bytes
