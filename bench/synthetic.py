"""SYNTHETIC benchmark records: copies of the real recorded fixtures under made-up ids.

Every record made here is a real ClinicalTrials.gov record from `tests/fixtures/ctgov/studies/`
(see PROVENANCE.md there) with only its `nctId` replaced by a made-up id (`NCT9xxxxxxx` and
`NCT8xxxxxxx` are not registry ids in use by any real study we know of) and its aliases dropped.
They exist to measure cost at scale; they are never shown as real evidence.
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from tests.conftest import FIXTURES

SEARCH_PREFIX = "NCT9"  # synthetic search hits: NCT90000000, NCT90000001, ...
CITED_PREFIX = "NCT8"  # synthetic cited studies


@cache
def real_records() -> tuple[dict[str, Any], ...]:
    """The distinct real full records (one version of each study), in file-name order."""
    paths = sorted(p for p in (FIXTURES / "studies").glob("NCT*.json") if "__" not in p.name)
    return tuple(json.loads(p.read_text(encoding="utf-8")) for p in paths)


def synthetic_id(prefix: str, i: int) -> str:
    return f"{prefix}{i:0{11 - len(prefix)}d}"


def synthetic_copy(real: dict[str, Any], nct_id: str) -> dict[str, Any]:
    """SYNTHETIC: `real` with a new id; shares every untouched sub-object with `real`."""
    ident = {
        k: v
        for k, v in real["protocolSection"]["identificationModule"].items()
        if k != "nctIdAliases"
    }
    ident["nctId"] = nct_id
    protocol = {**real["protocolSection"], "identificationModule": ident}
    return {**real, "protocolSection": protocol}


def synthetic_records(n: int, prefix: str = SEARCH_PREFIX) -> list[dict[str, Any]]:
    """SYNTHETIC: n records cycling through every real record, ids prefix + zero-padded index."""
    reals = real_records()
    return [synthetic_copy(reals[i % len(reals)], synthetic_id(prefix, i)) for i in range(n)]


def compact(value: Any) -> bytes:
    """JSON as the API sends it (compact, UTF-8)."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode()
