"""The changes of one edit come out in the same order in every process.

Python randomises string hashing per process, so a diff that walked a set of keys listed its
changes in a different order from run to run (and the report and the change log with them)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# SYNTHETIC edit of a real record (tests/fixtures): every arm and every secondary outcome
# gets a new description, so several changes of one kind are listed side by side.
SCRIPT = """
import json
from tests.conftest import study
from trialwatch.domain.changes import diff_records
old = study("NCT02552212")
new = study("NCT02552212")
protocol = new["protocolSection"]
for arm in protocol["armsInterventionsModule"]["armGroups"]:
    arm["description"] = "SYNTHETIC new description of " + arm["label"]
for outcome in protocol["outcomesModule"]["secondaryOutcomes"]:
    outcome["description"] = "SYNTHETIC new description"
print(json.dumps([[c.field, c.old, c.new] for c in diff_records(old, new)]))
"""


def _changes_with_hash_seed(seed: int) -> list[list[str | None]]:
    env = {**os.environ, "PYTHONHASHSEED": str(seed), "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True,
                          env=env, cwd=ROOT, check=True)  # fmt: skip
    return json.loads(done.stdout)


def test_changes_of_an_edit_are_listed_in_the_same_order_whatever_the_hash_seed() -> None:
    first = _changes_with_hash_seed(1)
    fields = [field for field, _, _ in first]
    assert fields.count("arm_description") == 2
    assert fields.count("secondary_outcome_description") == 20
    for seed in (2, 3, 4, 5):
        assert _changes_with_hash_seed(seed) == first
