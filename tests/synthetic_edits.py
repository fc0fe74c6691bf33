"""SYNTHETIC edits of real records (tests/fixtures/ctgov), shared by several test modules.

Each function names the real record it starts from and what it changes.
"""

from __future__ import annotations

from tests.conftest import study
from tests.fakeapi import project
from trialwatch.ctgov.client import SUMMARY_FIELDS

XSS = "<script>alert('x')</script> & <b>funding</b>"
XSS_TITLE = 'Certolizumab <img src=x onerror="alert(1)"> study'


def terminated(nct: str = "NCT02552212") -> dict:
    """SYNTHETIC variant of a real record: status TERMINATED, why-stopped text with markup."""
    record = study(nct)
    status = record["protocolSection"]["statusModule"]
    status["overallStatus"] = "TERMINATED"
    status["whyStopped"] = XSS
    record["protocolSection"]["identificationModule"]["briefTitle"] = XSS_TITLE
    return record


def enrollment_doubled() -> dict:
    """SYNTHETIC variant of the real NCT00763412: enrollment 31 -> 62 (a notable change)."""
    record = study("NCT00763412")
    record["protocolSection"]["designModule"]["enrollmentInfo"]["count"] = 62
    return record


def summary(nct: str) -> dict:
    """A search hit as the API returns it with fields=: a real record's summary pieces."""
    return project(study(nct), SUMMARY_FIELDS)
