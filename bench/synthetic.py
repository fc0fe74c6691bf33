"""SYNTHETIC benchmark records: copies of the real recorded fixtures under made-up ids.

Every record made here is a real ClinicalTrials.gov record from `tests/fixtures/ctgov/studies/`
(see PROVENANCE.md there) with only its `nctId` replaced by a made-up id (`NCT9xxxxxxx` and
`NCT8xxxxxxx` are not registry ids in use by any real study we know of) and its aliases dropped.
They exist to measure cost at scale; they are never shown as real evidence.
"""

from __future__ import annotations

import json
import random
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


# The registry's size distribution (about 17.8 KB a full record on average, one study in ten with
# results): 100 slots, each a real record (by id) or a SYNTHETIC trim of one without its results
# ("-results": resultsSection dropped, hasResults false). Averages 17.7 KB; see RESULTS.md.
REGISTRY_MIX: tuple[tuple[str, int], ...] = (
    ("NCT03418623", 25),  # 5.7 KB
    ("NCT00973089", 20),  # 6.4 KB
    ("NCT06171568", 21),  # 7.2 KB
    ("NCT00763412-results", 10),  # 11.9 KB
    ("NCT02210780-results", 8),  # 18.9 KB
    ("NCT03630471", 5),  # 33.9 KB
    ("NCT00763412", 5),  # 35.8 KB, results
    ("NCT02210780", 4),  # 57.1 KB, results
    ("NCT02552212", 1),  # 128 KB, results
    ("NCT04267848", 1),  # 369 KB
)


@cache
def registry_mix() -> tuple[dict[str, Any], ...]:
    """The 100 templates of the registry-size mix, in a fixed shuffled order."""
    by_id = {r["protocolSection"]["identificationModule"]["nctId"]: r for r in real_records()}
    slots: list[dict[str, Any]] = []
    for name, weight in REGISTRY_MIX:
        nct, _, trim = name.partition("-")
        record = by_id[nct]
        if trim == "results":  # SYNTHETIC: the real record without its results
            record = {k: v for k, v in record.items() if k != "resultsSection"}
            record["hasResults"] = False
        slots += [record] * weight
    random.Random(19).shuffle(slots)
    return tuple(slots)


def registry_records(n: int, prefix: str = SEARCH_PREFIX, start: int = 0) -> list[dict[str, Any]]:
    """SYNTHETIC: n records at the registry's size distribution, ids prefix + index."""
    mix = registry_mix()
    return [
        synthetic_copy(mix[i % len(mix)], synthetic_id(prefix, i)) for i in range(start, start + n)
    ]


def compact(value: Any) -> bytes:
    """JSON as the API sends it (compact, UTF-8)."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode()
