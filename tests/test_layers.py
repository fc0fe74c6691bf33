"""Imports point one way (tests/layers.py says which), and the check catches a planted bad one."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import trialwatch
from tests.layers import violations

PACKAGE = Path(trialwatch.__file__).parent


def test_imports_point_down_the_layers_without_cycles() -> None:
    assert violations(PACKAGE) == []


@pytest.mark.parametrize(
    ("module", "planted", "expected"),
    [
        ("domain/records.py", "import sqlalchemy\n", "domain imports sqlalchemy"),
        ("store/engine.py", "from trialwatch.report import render\n", "store imports"),
        ("config.py", "from trialwatch.schedule import crontab\n", "config imports"),
        ("ctgov/live.py", "from trialwatch.store import models\n", "ctgov imports"),
        (
            "report/render.py",
            "if False:\n    from trialwatch.alerts import feed\n",
            "report imports",
        ),
        ("domain/ids.py", "from trialwatch.domain import records\n", "cycle:"),
    ],
)
def test_a_planted_bad_import_is_caught(tmp_path, module, planted, expected) -> None:
    copy = tmp_path / "trialwatch"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    target = copy / module
    target.write_text(target.read_text() + "\n" + planted)
    found = violations(copy)
    if expected == "cycle:":
        assert any(line.startswith("cycle:") and "domain.ids" in line for line in found), found
    else:
        assert any(expected in line and module in line for line in found), found
