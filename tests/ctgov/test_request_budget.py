"""Request budget of id lookups against the fake API: a batch of 1000 found ids is one request.

The records are SYNTHETIC copies of the real NCT03418623 record under made-up ids NCT8xxxxxxx.
"""

from __future__ import annotations

import pytest

from tests.conftest import synthetic_copies
from tests.fakeapi import FakeApi
from trialwatch.ctgov.client import PROBE_FIELDS, CtgovClient


@pytest.mark.parametrize(("n", "fields"), [(1000, None), (2500, PROBE_FIELDS)])
def test_full_batches_of_found_ids_need_no_empty_page(n, fields):
    records = synthetic_copies(n, "NCT8")
    ids = [r["protocolSection"]["identificationModule"]["nctId"] for r in records]
    with FakeApi(records) as api:
        found = CtgovClient(api.url, min_interval=0).fetch_ids(ids, fields=fields)
        assert sorted(found.studies) == ids and found.not_found == []
        assert api.paths["studies"] == -(-n // 1000)  # ceil(n / 1000): no empty last page


def test_a_full_page_that_leaves_an_asked_id_unaccounted_for_is_followed():
    """1001 records match 1000 asked ids when one record lists an asked id as its alias."""
    records = synthetic_copies(1000, "NCT8")
    ids = [r["protocolSection"]["identificationModule"]["nctId"] for r in records]
    claimant = synthetic_copies(1001, "NCT8")[1000]  # NCT80001000, also answering to NCT80000005
    claimant["protocolSection"]["identificationModule"]["nctIdAliases"] = ["NCT80000005"]
    with FakeApi([claimant, *records]) as api:
        found = CtgovClient(api.url, min_interval=0).fetch_ids(ids)
        assert "NCT80000999" in found.studies  # on the second page
        assert api.paths["studies"] == 2
