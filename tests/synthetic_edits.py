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


def one_sided_hazard_ratio() -> dict:
    """SYNTHETIC variant of the real NCT02552212: its first primary analysis becomes a hazard
    ratio 1.09 (95% CI 0.72 to 1.63, 2-sided) whose statistical comment calls the test one-sided
    (alpha 0.10), and its second a 1-sided interval with a lower limit only."""
    record = study("NCT02552212")
    measures = record["resultsSection"]["outcomeMeasuresModule"]["outcomeMeasures"]
    first = measures[0]["analyses"][0]
    first.update(
        paramType="Hazard Ratio (HR)", paramValue="1.09", ciLowerLimit="0.72",
        ciUpperLimit="1.63", pValue="0.655", nonInferiorityType="SUPERIORITY",
        statisticalComment="One-sided log-rank test at alpha 0.10.",
        pValueComment="Stratified by region.",
    )  # fmt: skip
    second = measures[1]["analyses"][0]
    second.update(ciNumSides="ONE_SIDED", ciUpperLimit="NA", ciLowerLimit="1.8")
    return record


def units_analysed() -> dict:
    """SYNTHETIC variant of the real NCT02210780 as a cluster-randomised study: the flow and the
    first primary outcome count clinics (6 and 5) beside participants."""
    record = study("NCT02210780")
    flow = record["resultsSection"]["participantFlowModule"]
    flow["typeUnitsAnalyzed"] = "Clinics"
    started = flow["periods"][0]["milestones"][0]["achievements"]
    for achievement, units in zip(started, ("6", "5"), strict=True):
        achievement["numUnits"] = units
    outcome = record["resultsSection"]["outcomeMeasuresModule"]["outcomeMeasures"][0]
    outcome["typeUnitsAnalyzed"] = "Clinics"
    outcome["denoms"].append(
        {"units": "Clinics", "counts": [{"groupId": "OG000", "value": "6"},
                                        {"groupId": "OG001", "value": "5"}]}
    )  # fmt: skip
    return record


def unmonitored_adverse_events() -> dict:
    """SYNTHETIC variant of the real NCT00763412: the adverse-event module says events were not
    monitored, and every arm has 0 at risk and no events."""
    record = study("NCT00763412")
    module = record["resultsSection"]["adverseEventsModule"]
    module["description"] = "Adverse events were not monitored."
    for group in module["eventGroups"]:
        for key in ("deaths", "serious", "other"):
            group[f"{key}NumAffected"] = 0
            group[f"{key}NumAtRisk"] = 0
    module["seriousEvents"] = []
    module["otherEvents"] = []
    return record
