"""Pure: a logged change in plain words, for everyone who reads one (report, feed, e-mail,
`changes`, `history`). Field names and registry codes become words; registry text is quoted as
registered. `--json` keeps the codes (LoggedChange.as_json).

"Primary outcome “BMI” (2 year/end of study), arm “2. Repaglinide”, value: 21.19 → 19.19"
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from trialwatch.domain.change import LoggedChange
from trialwatch.domain.summary import FIELD_LABELS
from trialwatch.domain.text import clean_text
from trialwatch.domain.wording import code_words, phase_words, status_words

MAX_VALUE_CHARS = 300  # an alert quotes this much of a long value; the report has all of it
ARROW = "→"
# An outcome's kind as the registry types it (posted results), or as its field names it
# (protocol outcomes: primary_outcome_time_frame); kept apart, a post-hoc one is no secondary one.
OUTCOME_LABELS = {"PRIMARY": "Primary outcome", "SECONDARY": "Secondary outcome",
                  "OTHER_PRE_SPECIFIED": "Other pre-specified outcome",
                  "POST_HOC": "Post hoc outcome"}  # fmt: skip
_FIELD_OUTCOME_TYPES = {"primary": "PRIMARY", "secondary": "SECONDARY",
                        "other": "OTHER_PRE_SPECIFIED"}  # fmt: skip
FIELD_WORDS = {
    **FIELD_LABELS, "results": "Results", "search": "Related search",
    "outcome_added": "outcome measure added", "outcome_removed": "outcome measure removed",
    "outcome_value": "value", "outcome_spread": "spread", "outcome_lower_limit": "lower limit",
    "outcome_upper_limit": "upper limit", "outcome_value_comment": "comment on the value",
    "outcome_analysed": "participants analysed", "outcome_detail": "detail",
    "analysis_added": "statistical analysis added",
    "analysis_removed": "statistical analysis removed", "analysis_estimate": "estimate",
    "analysis_ci": "confidence interval", "analysis_p_value": "p-value",
    "analysis_method": "statistical method",
    "ae_deaths": "deaths (affected / at risk)",
    "ae_serious_total": "participants with serious adverse events (affected / at risk)",
    "ae_other_total": "participants with other adverse events (affected / at risk)",
    "serious_event_added": "appeared", "serious_event_removed": "no longer listed",
    "other_event_added": "appeared", "other_event_removed": "no longer listed",
    "serious_event_count": "affected / at risk", "other_event_count": "affected / at risk",
    "flow_count": "participants", "flow_dropout": "participants who left",
    "arm_added": "Arm added", "arm_removed": "Arm removed", "arm_renamed": "Arm renamed",
    "arm_description": "description", "intervention_added": "Intervention added",
    "intervention_removed": "Intervention removed",
    "eligibility_criteria": "Eligibility criteria edited (sentences taken out → put in)",
    "eligibility_sex": "Eligible sex", "eligibility_minimum_age": "Minimum age",
    "eligibility_maximum_age": "Maximum age",
    "eligibility_healthy_volunteers": "Healthy volunteers accepted",
    "eligibility_ages": "Age groups", "design_allocation": "Allocation",
    "design_model": "Intervention model", "design_purpose": "Primary purpose",
    "design_masking": "Masking (blinding)", "design_observational_model": "Observational model",
    "design_time_perspective": "Time perspective", "locations": "Study sites",
}  # fmt: skip
for _kind in ("primary", "secondary", "other"):
    FIELD_WORDS |= {
        f"{_kind}_outcome_replaced": f"{_kind.capitalize()} outcome replaced",
        f"{_kind}_outcome_added": f"{_kind.capitalize()} outcome added",
        f"{_kind}_outcome_removed": f"{_kind.capitalize()} outcome removed",
        f"{_kind}_outcome_time_frame": "time frame",
        f"{_kind}_outcome_description": "description",
        f"{_kind}_outcomes": f"{_kind.capitalize()} outcomes",  # logged before 0.2
    }
DETAIL_WORDS = {"timeFrame": "time frame", "unitOfMeasure": "unit", "paramType": "measure type",
                "dispersionType": "dispersion", "description": "description",
                "populationDescription": "analysis population"}  # fmt: skip
SECTION_WORDS = {"protocolSection": "Protocol", "resultsSection": "Posted results",
                 "documentSection": "Documents",
                 "annotationSection": "Registry annotations"}  # fmt: skip
FLAG_WORDS = {"after_start": "changed after the study started",
              "after_primary_completion": "changed after its primary completion date"}  # fmt: skip
_CODED = {"overall_status": status_words, "phases": lambda v: phase_words(v.split("; "))}
_CODE_FIELDS = {"study_type", "enrollment_type", "start_date_type", "primary_completion_date_type",
                "completion_date_type", "eligibility_sex", "design_allocation", "design_model",
                "design_purpose", "design_masking", "design_observational_model",
                "design_time_perspective"}  # fmt: skip


def _quote(text: str) -> str:
    return f"“{clean_text(text)}”"


def field_words(change: LoggedChange) -> str:
    """What changed, in words, without where ("value", "Overall status")."""
    if change.field == "outcome_detail" and change.context:
        return DETAIL_WORDS.get(change.context.get("param", ""), "detail")
    if change.field in FIELD_WORDS:
        return FIELD_WORDS[change.field]
    section, _, module = change.field.partition(".")
    if module:
        words = re.sub(r"(?<!^)(?=[A-Z])", " ", module.removesuffix("Module")).lower()
        return f"{SECTION_WORDS.get(section, section)}: {words}"
    return change.field.replace("_", " ").capitalize()


def subject_words(change: LoggedChange) -> str | None:
    """The outcome measure, analysis, adverse event or flow step the fact belongs to."""
    c = change.context or {}
    parts = []
    if c.get("outcome"):
        code = c.get("outcome_type") or _FIELD_OUTCOME_TYPES.get(change.field.split("_")[0])
        label = OUTCOME_LABELS.get(code or "", "Outcome")
        frame = f" ({clean_text(c['time_frame'])})" if c.get("time_frame") else ""
        parts.append(f"{label} {_quote(c['outcome'])}{frame}")
    if c.get("analysis"):
        parts.append(f"analysis {_quote(c['analysis'])}")
    if c.get("event"):
        kind = "Serious" if change.field.startswith("serious") else "Other"
        organ = f" ({clean_text(c['organ_system'])})" if c.get("organ_system") else ""
        parts.append(f"{kind} adverse event {_quote(c['event'])}{organ}")
    if c.get("period") is not None and change.field.startswith("flow"):
        parts.append(f"Participant flow, {_quote(c['period'])}, {code_words(c.get('milestone'))}")
    return ", ".join(parts) or None


def place_words(change: LoggedChange) -> str | None:
    """The arm and row inside the subject: 'arm “Placebo”, row “Male”'."""
    c = change.context or {}
    parts = [f"arm {_quote(c['group'])}"] if c.get("group") else []
    row = " / ".join(clean_text(c[k]) for k in ("class", "category") if c.get(k))
    if row:
        parts.append(f"row “{row}”")
    return ", ".join(parts) or None


def about_words(change: LoggedChange) -> str | None:
    """What the fact is about: the outcome measure or event, then the arm and row."""
    text = ", ".join(p for p in (subject_words(change), place_words(change)) if p)
    return (text[:1].upper() + text[1:]) if text else None


def change_label(change: LoggedChange) -> str:
    """'Primary outcome “BMI” (…), arm “2. Repaglinide”, value' or 'Overall status'."""
    about, what = about_words(change), field_words(change)
    if not about:
        return what
    return f"{about} {what}" if what in ("appeared", "no longer listed") else f"{about}, {what}"


def value_words(change: LoggedChange, value: str | None) -> str | None:
    """A value as a person reads it: codes in words, registry text as registered."""
    if value is None:
        return None
    if change.field in _CODED:
        return _CODED[change.field](value)
    if change.field in _CODE_FIELDS:
        return code_words(value)
    if change.field == "eligibility_healthy_volunteers":
        return {"true": "yes", "false": "no"}.get(value, value)
    return value


def flag_words(change: LoggedChange) -> str | None:
    c = change.context or {}
    if not c.get("flag"):
        return None
    return f"{FLAG_WORDS.get(c['flag'], c['flag'])} ({c.get('reference_date')})"


def change_sentence(change: LoggedChange, *, short: bool = False) -> str:
    """The whole change in one line; `short` cuts long values (alerts; the report has all)."""
    show = shorten if short else (lambda v: clean_text(v or ""))
    old, new = value_words(change, change.old), value_words(change, change.new)
    if old is not None and new is not None:
        values = f"{show(old)} {ARROW} {show(new)}"
    else:  # added (only a new value) or removed (only the old one)
        values = show(new if new is not None else old)
    flag = flag_words(change)
    return f"{change_label(change)}: {values}" + (f" [{flag}]" if flag else "")


def display_key(change: LoggedChange) -> str | None:
    """Changes about one outcome measure or one adverse event are shown together."""
    c = change.context or {}
    if c.get("outcome"):
        return f"outcome:{c.get('outcome_type')}:{c['outcome']}"
    if c.get("event"):
        return f"event:{change.field.split('_')[0]}:{c['event']}:{c.get('organ_system', '')}"
    return None


def grouped(changes: Iterable[LoggedChange]) -> list[list[LoggedChange]]:
    """Changes in groups (by outcome or event; each other change alone), in first-seen order."""
    groups: dict[object, list[LoggedChange]] = {}
    for i, change in enumerate(changes):
        key = display_key(change)
        groups.setdefault((change.nct_id, key) if key else i, []).append(change)
    return list(groups.values())


CRITICAL_WORDS = {"TERMINATED": "terminated", "WITHDRAWN": "withdrawn", "SUSPENDED": "suspended"}


def critical_words(change: LoggedChange) -> str:
    """A critical change in a few words, for the index banner and a feed entry's title."""
    if change.field == "overall_status":
        return CRITICAL_WORDS.get(change.new or "", status_words(change.new).lower())
    if change.field == "results":
        return "results posted"
    flag = (change.context or {}).get("flag")
    if change.field == "primary_outcome_replaced" and flag == "after_primary_completion":
        return "primary outcome replaced after primary completion"
    return change_label(change)


def shorten(value: str | None) -> str:
    if value is None:
        return "(none)"
    text = clean_text(value)
    return text if len(text) <= MAX_VALUE_CHARS else text[: MAX_VALUE_CHARS - 1] + "…"
