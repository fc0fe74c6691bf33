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


def _measure(record: dict, title: str) -> dict:
    measures = record["resultsSection"]["outcomeMeasuresModule"]["outcomeMeasures"]
    return next(m for m in measures if m["title"] == title)


def bmi_value_changed() -> dict:
    """SYNTHETIC variant of the real NCT00763412: the primary outcome "BMI", arm
    "2. Repaglinide", value 21.19 -> 19.19 (the other arm and every other value as registered)."""
    record = study("NCT00763412")
    bmi = _measure(record, "BMI")
    arm = next(g["id"] for g in bmi["groups"] if g["title"] == "2. Repaglinide")
    for m in bmi["classes"][0]["categories"][0]["measurements"]:
        if m["groupId"] == arm:
            assert m["value"] == "21.19"  # the real registered value
            m["value"] = "19.19"
    return record


def new_serious_event() -> dict:
    """SYNTHETIC variant of the real NCT00763412: one serious adverse event ("Pancreatitis",
    Gastrointestinal disorders) in the repaglinide arm, whose serious total goes 0 -> 1."""
    record = study("NCT00763412")
    events = record["resultsSection"]["adverseEventsModule"]
    placebo, repaglinide = (g["id"] for g in events["eventGroups"])
    events["eventGroups"][1]["seriousNumAffected"] += 1
    events.setdefault("seriousEvents", []).append(
        {
            "term": "Pancreatitis",
            "organSystem": "Gastrointestinal disorders",
            "stats": [
                {"groupId": placebo, "numEvents": 0, "numAffected": 0, "numAtRisk": 8},
                {"groupId": repaglinide, "numEvents": 1, "numAffected": 1, "numAtRisk": 8},
            ],
        }
    )
    return record


def reordered(nct: str = "NCT02552212") -> dict:
    """SYNTHETIC variant of a real record: every results list in reverse order (outcome
    measures, their arms, rows and analyses; event groups and events; flow groups). Same content."""
    record = study(nct)
    results = record["resultsSection"]
    for measure in results["outcomeMeasuresModule"]["outcomeMeasures"]:
        for key in ("groups", "classes", "analyses", "denoms"):
            measure.get(key, []).reverse()
    results["outcomeMeasuresModule"]["outcomeMeasures"].reverse()
    events = results["adverseEventsModule"]
    for key in ("eventGroups", "seriousEvents", "otherEvents"):
        events.get(key, []).reverse()
    results["participantFlowModule"]["groups"].reverse()
    return record


def primary_outcome_replaced(nct: str, updated: str) -> dict:
    """SYNTHETIC variant of a real record: its first primary outcome replaced by a made-up one
    ("Number of responders at day 1", time frame "Day 1"), the update posted on `updated`."""
    record = study(nct)
    outcomes = record["protocolSection"]["outcomesModule"]["primaryOutcomes"]
    outcomes[0] = {"measure": "Number of responders at day 1", "timeFrame": "Day 1"}
    status = record["protocolSection"]["statusModule"]
    status["lastUpdatePostDateStruct"] = {"date": updated, "type": "ACTUAL"}
    return record


def arm_renamed() -> dict:
    """SYNTHETIC variant of the real NCT00763412: the arm "2. Repaglinide" renamed
    "Repaglinide 0.5 mg" wherever the record names it (protocol arms and every results module)."""
    record = study("NCT00763412")
    old, new = "2. Repaglinide", "Repaglinide 0.5 mg"
    for arm in record["protocolSection"]["armsInterventionsModule"]["armGroups"]:
        if arm["label"] == "2. repaglinide":  # the protocol writes it in lower case
            arm["label"] = new
    results = record["resultsSection"]
    groups = [g for m in results["outcomeMeasuresModule"]["outcomeMeasures"] for g in m["groups"]]
    groups += results["participantFlowModule"]["groups"]
    groups += results["baselineCharacteristicsModule"]["groups"]
    groups += results["adverseEventsModule"]["eventGroups"]
    for group in groups:
        if group["title"] in (old, "Repaglinide"):
            group["title"] = new
    return record


def first_registered(nct: str = "NCT02552212") -> dict:
    """SYNTHETIC earlier version of a real record, as if first registered: recruiting, enrollment
    250 (estimated), primary completion 2017-12 (estimated), no results, last update 2015-09-17."""
    record = study(nct)
    record.pop("resultsSection", None)
    record["hasResults"] = False
    status = record["protocolSection"]["statusModule"]
    status["overallStatus"] = "RECRUITING"
    status["primaryCompletionDateStruct"] = {"date": "2017-12", "type": "ESTIMATED"}
    status["lastUpdatePostDateStruct"] = {"date": "2015-09-17", "type": "ESTIMATED"}
    for key in ("resultsFirstSubmitDate", "resultsFirstSubmitQcDate", "resultsFirstPostDateStruct"):
        status.pop(key, None)
    record["protocolSection"]["designModule"]["enrollmentInfo"] = {
        "count": 250,
        "type": "ESTIMATED",
    }
    return record


def completed_unchanged_outcomes(nct: str = "NCT02552212") -> dict:
    """SYNTHETIC middle version of a real record: as registered now, but without results and
    with its last update on 2018-08-01 (after primary completion, 2018-05)."""
    record = study(nct)
    record.pop("resultsSection", None)
    record["hasResults"] = False
    status = record["protocolSection"]["statusModule"]
    status["lastUpdatePostDateStruct"] = {"date": "2018-08-01", "type": "ACTUAL"}
    for key in ("resultsFirstSubmitDate", "resultsFirstSubmitQcDate", "resultsFirstPostDateStruct"):
        status.pop(key, None)
    return record


def bmi_value_and_serious_event() -> dict:
    """SYNTHETIC variant of the real NCT00763412: both edits above at once (the BMI value in
    the repaglinide arm 21.19 -> 19.19, and one new serious adverse event)."""
    record = bmi_value_changed()
    record["resultsSection"]["adverseEventsModule"] = new_serious_event()["resultsSection"][
        "adverseEventsModule"
    ]
    return record
