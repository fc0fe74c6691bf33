"""Plain words for registry codes, for people who do not read ClinicalTrials.gov every day."""

from __future__ import annotations

from collections.abc import Iterable

from trialwatch.domain.dates import date_precision

STATUS_WORDS = {
    "RECRUITING": "Recruiting",
    "NOT_YET_RECRUITING": "Not yet recruiting",
    "ENROLLING_BY_INVITATION": "Enrolling by invitation",
    "ACTIVE_NOT_RECRUITING": "Running, no longer recruiting",
    "COMPLETED": "Completed",
    "SUSPENDED": "Suspended (paused)",
    "TERMINATED": "Terminated (stopped early)",
    "WITHDRAWN": "Withdrawn (stopped before enrolling anyone)",
    "UNKNOWN": "Status unknown (not confirmed by the sponsor for 2 years or more)",
    "AVAILABLE": "Expanded access available",
    "NO_LONGER_AVAILABLE": "Expanded access no longer available",
    "TEMPORARILY_NOT_AVAILABLE": "Expanded access temporarily unavailable",
    "APPROVED_FOR_MARKETING": "Approved for marketing",
    "WITHHELD": "Withheld",
}
# Badge colour class per status: what a reader should notice first.
STATUS_TONE = {
    "RECRUITING": "go",
    "NOT_YET_RECRUITING": "go",
    "ENROLLING_BY_INVITATION": "go",
    "ACTIVE_NOT_RECRUITING": "info",
    "COMPLETED": "done",
    "SUSPENDED": "warn",
    "TERMINATED": "stop",
    "WITHDRAWN": "stop",
    "UNKNOWN": "warn",
}
STATUS_ORDER = list(STATUS_WORDS)
PHASE_WORDS = {
    "EARLY_PHASE1": "Early phase 1",
    "PHASE1": "Phase 1",
    "PHASE2": "Phase 2",
    "PHASE3": "Phase 3",
    "PHASE4": "Phase 4",
    "NA": "Phase not applicable (phases describe drug development)",
}
CODE_WORDS = {
    "RANDOMIZED": "Randomised",
    "NON_RANDOMIZED": "Not randomised",
    "SINGLE_GROUP": "Single group",
    "PARALLEL": "Parallel groups",
    "CROSSOVER": "Crossover",
    "FACTORIAL": "Factorial",
    "SEQUENTIAL": "Sequential",
    "NONE": "None (open label)",
    "SINGLE": "Single-blind",
    "DOUBLE": "Double-blind",
    "TRIPLE": "Triple-blind",
    "QUADRUPLE": "Quadruple-blind",
    "ACTUAL": "actual",
    "ESTIMATED": "estimated",
    "INTERVENTIONAL": "Interventional (people are assigned a treatment)",
    "OBSERVATIONAL": "Observational (people are followed, not assigned a treatment)",
    "EXPANDED_ACCESS": "Expanded access",
    "TWO_SIDED": "2-sided",
    "ONE_SIDED": "1-sided",
    "EXPERIMENTAL": "Experimental",
    "ACTIVE_COMPARATOR": "Active comparator",
    "PLACEBO_COMPARATOR": "Placebo comparator",
    "SHAM_COMPARATOR": "Sham comparator",
    "NO_INTERVENTION": "No intervention",
    "SUPERIORITY": "Superiority",
    "NON_INFERIORITY": "Non-inferiority",
    "EQUIVALENCE": "Equivalence",
    "OTHER": "Other",
    "NA": "Not applicable",
    # outcome types, kept apart: a post-hoc measure is not a secondary one
    "PRIMARY": "Primary",
    "SECONDARY": "Secondary",
    "OTHER_PRE_SPECIFIED": "Other pre-specified",
    "POST_HOC": "Post hoc (chosen after the study began, not pre-specified)",
    "NOT_POSTED": "not posted yet",
    "POSTED": "posted",
    # non-inferiority types as the registry names them
    "NON_INFERIORITY_OR_EQUIVALENCE": "Non-inferiority or equivalence",
    "SUPERIORITY_OR_OTHER": "Superiority or other (the registry's older category, which did not "
    "separate a superiority test from other analyses)",
    "NON_INFERIORITY_OR_EQUIVALENCE_LEGACY": "Non-inferiority or equivalence (older category)",
    "SUPERIORITY_OR_OTHER_LEGACY": "Superiority or other (the registry's older category, which "
    "did not separate a superiority test from other analyses)",
    # who was masked
    "PARTICIPANT": "Participant",
    "CARE_PROVIDER": "Care provider",
    "INVESTIGATOR": "Investigator",
    "OUTCOMES_ASSESSOR": "Outcomes assessor",
    # primary purposes
    "TREATMENT": "Treatment",
    "PREVENTION": "Prevention",
    "DIAGNOSTIC": "Diagnosis",
    "SUPPORTIVE_CARE": "Supportive care",
    "SCREENING": "Screening",
    "HEALTH_SERVICES_RESEARCH": "Health services research",
    "BASIC_SCIENCE": "Basic science (how the body or a disease works, not a treatment)",
    "DEVICE_FEASIBILITY": "Device feasibility",
    "ECT": "Educational, counselling or training",
    # observational design
    "COHORT": "Cohort (a group followed over time)",
    "CASE_CONTROL": "Case-control (people with the condition compared with people without)",
    "CASE_ONLY": "Case-only (only people with the condition)",
    "CASE_CROSSOVER": "Case-crossover (each person compared with themselves at other times)",
    "ECOLOGIC_OR_COMMUNITY": "Ecologic or community (groups, not individuals)",
    "FAMILY_BASED": "Family-based",
    "DEFINED_POPULATION": "Defined population",
    "NATURAL_HISTORY": "Natural history (how the condition develops untreated)",
    "RETROSPECTIVE": "Retrospective (looks back at data already collected)",
    "PROSPECTIVE": "Prospective (follows people forward from enrolment)",
    "CROSS_SECTIONAL": "Cross-sectional (one point in time)",
    "PROBABILITY_SAMPLE": "Probability sample (chosen at random from a population)",
    "NON_PROBABILITY_SAMPLE": "Non-probability sample (not chosen at random)",
    # eligibility
    "ALL": "All sexes",
    "FEMALE": "Female only",
    "MALE": "Male only",
    "CHILD": "Children (under 18)",
    "ADULT": "Adults (18 to 64)",
    "OLDER_ADULT": "Older adults (65 and over)",
    # references
    "RESULT": "Reports the study's results (as the sponsor typed it)",
    "BACKGROUND": "Background reading (not a report of this study)",
    "DERIVED": "Found by the registry (matched by PubMed, not supplied by the sponsor)",
    # who funds it (the lead sponsor's class)
    "NIH": "US National Institutes of Health",
    "FED": "US federal agency (not NIH)",
    "OTHER_GOV": "Government agency outside the US federal government",
    "INDIV": "An individual",
    "INDUSTRY": "Industry (a company)",
    "NETWORK": "A research network",
    "AMBIG": "Not classified (the registry calls it ambiguous)",
    # adverse events
    "SYSTEMATIC_ASSESSMENT": "Systematic assessment (asked about at set times)",
    "NON_SYSTEMATIC_ASSESSMENT": "Non-systematic assessment (recorded when reported)",
    # measures and dispersion
    "MEAN": "Mean",
    "MEDIAN": "Median",
    "LEAST_SQUARES_MEAN": "Least-squares mean",
    "GEOMETRIC_MEAN": "Geometric mean",
    "GEOMETRIC_LEAST_SQUARES_MEAN": "Geometric least-squares mean",
    "LOG_MEAN": "Log mean",
    "NUMBER": "Number",
    "COUNT_OF_PARTICIPANTS": "Count of participants",
    "COUNT_OF_UNITS": "Count of units",
    "STANDARD_DEVIATION": "standard deviation",
    "STANDARD_ERROR": "standard error",
    "STANDARD_ERROR_OF_MEAN": "standard error of the mean",
    "INTER_QUARTILE_RANGE": "interquartile range",
    "FULL_RANGE": "full range",
    "CONFIDENCE_80": "80% confidence interval",
    "CONFIDENCE_90": "90% confidence interval",
    "CONFIDENCE_95": "95% confidence interval",
    "CONFIDENCE_975": "97.5% confidence interval",
    "CONFIDENCE_99": "99% confidence interval",
    "CONFIDENCE_OTHER": "confidence interval (other level)",
    "GEOMETRIC_COEFFICIENT": "geometric coefficient of variation",
    # intervention types
    "DRUG": "Drug",
    "DEVICE": "Device",
    "BIOLOGICAL": "Biological",
    "BEHAVIORAL": "Behavioural",
    "PROCEDURE": "Procedure",
    "RADIATION": "Radiation",
    "DIETARY_SUPPLEMENT": "Dietary supplement",
    "GENETIC": "Genetic",
    "COMBINATION_PRODUCT": "Combination product",
    "DIAGNOSTIC_TEST": "Diagnostic test",
}
# Where a code means something different in one place than in general.
ALLOCATION_WORDS = {"NA": "Not applicable (a single group: nobody is allocated)"}
DISPERSION_WORDS = {"NA": "no dispersion given"}
HYPOTHESIS_WORDS = {
    "OTHER": "Other (the sponsor classed it as none of superiority, non-inferiority or "
    "equivalence)",
}
FUNDER_WORDS = {
    "OTHER": "Other (a university, hospital, foundation or other organisation)",
    "UNKNOWN": "Not known to the registry",
}


def status_words(code: str | None) -> str:
    if not code:
        return "Not given"
    return STATUS_WORDS.get(code, code.replace("_", " ").capitalize())


def status_tone(code: str | None) -> str:
    return STATUS_TONE.get(code or "", "info")


def phase_words(phases: Iterable[str] | None, study_type: str | None = None) -> str:
    phases = list(phases or ())
    if study_type == "OBSERVATIONAL" and not phases:
        return "Observational (no phase)"
    if not phases:
        return "Not given"
    return " / ".join(PHASE_WORDS.get(p, p) for p in phases)


def code_words(code: str | None) -> str:
    """A registry code in words; unknown codes are shown tidied, never hidden."""
    if not code:
        return "Not given"
    return CODE_WORDS.get(code, code.replace("_", " ").capitalize())


def allocation_words(code: str | None) -> str:
    return ALLOCATION_WORDS.get(code or "", "") or code_words(code)


def hypothesis_words(code: str | None) -> str:
    """A non-inferiority type (what the analysis set out to show)."""
    return HYPOTHESIS_WORDS.get(code or "", "") or code_words(code)


def funder_words(code: str | None) -> str:
    """The lead sponsor's class (who funds the study, as the registry classes it)."""
    return FUNDER_WORDS.get(code or "", "") or code_words(code)


def dispersion_words(code: str | None) -> str:
    """An outcome's dispersion type: a code ('STANDARD_DEVIATION') or free text ('Full Range')."""
    return DISPERSION_WORDS.get(code or "", "") or code_words(code)


def date_words(date: str | None, kind: str | None = None) -> str:
    """A registry date with its precision kept visible: '2012-02 (month only, actual)'."""
    if not date:
        return "Not given"
    notes = []
    precision = date_precision(date)
    if precision == "month":
        notes.append("month only")
    elif precision == "year":
        notes.append("year only")
    if kind:
        notes.append(code_words(kind))
    return f"{date} ({', '.join(notes)})" if notes else date


def threshold_words(threshold: str | None) -> str:
    """The adverse-event module's frequency threshold, in words."""
    if threshold is None:
        return "The registry gives no frequency threshold for other (not serious) events."
    if threshold.strip() in ("0", "0.0"):
        return "Every other (not serious) adverse event is listed (threshold 0%)."
    return (
        f"Other (not serious) adverse events are listed only when at least {threshold}% of an "
        "arm had them; rarer ones are not on the registry. Serious events are all listed."
    )


def yes_no(value: bool | None) -> str:
    return "Not given" if value is None else ("Yes" if value else "No")
