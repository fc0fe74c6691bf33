"""The fault cases' shared fixture: a clinic with a good first refresh and a rendered report."""

from __future__ import annotations

from typing import Any

import pytest
import responses

from tests.faults.harness import Clinic, set_up_clinic


@pytest.fixture
def clinic(ctgov: responses.RequestsMock, make_config: Any, db_url: str) -> Clinic:
    return set_up_clinic(ctgov, make_config, db_url)
