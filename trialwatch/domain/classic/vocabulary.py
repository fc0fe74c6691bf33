"""The classic format's words for codes, and the API v2 codes they became (public.xsd's
enumerations beside the v2 OpenAPI enums). A word not listed here is kept verbatim and named in
the parse problems, never guessed."""

from __future__ import annotations

import functools
import re

from trialwatch.domain.classic.tree import Node


def _codes(*words: str) -> dict[str, str]:
    """Words whose code is the word upper-cased with non-letters as `_`."""
    return {w: re.sub(r"[^A-Z0-9]+", "_", w.upper()).strip("_") for w in words}


STATUS = {
    **_codes("Active, not recruiting", "Completed", "Enrolling by invitation",
             "Not yet recruiting", "Recruiting", "Suspended", "Terminated", "Withdrawn",
             "Available", "No longer available", "Temporarily not available",
             "Approved for marketing", "Withheld"),
    "Unknown status": "UNKNOWN",
}  # fmt: skip
PHASE = {
    "N/A": "NA", "Early Phase 1": "EARLY_PHASE1", "Phase 1": "PHASE1", "Phase 2": "PHASE2",
    "Phase 3": "PHASE3", "Phase 4": "PHASE4",
}  # fmt: skip
STUDY_TYPE = {
    "Interventional": "INTERVENTIONAL", "Observational": "OBSERVATIONAL",
    "Observational [Patient Registry]": "OBSERVATIONAL", "Expanded Access": "EXPANDED_ACCESS",
}  # fmt: skip
ALLOCATION = {"Randomized": "RANDOMIZED", "Non-Randomized": "NON_RANDOMIZED", "N/A": "NA"}
INTERVENTION_MODEL = {
    "Single Group Assignment": "SINGLE_GROUP", "Parallel Assignment": "PARALLEL",
    "Crossover Assignment": "CROSSOVER", "Factorial Assignment": "FACTORIAL",
    "Sequential Assignment": "SEQUENTIAL",
}  # fmt: skip
PRIMARY_PURPOSE = {
    **_codes("Treatment", "Prevention", "Diagnostic", "Supportive Care", "Screening",
             "Health Services Research", "Basic Science", "Device Feasibility", "Other"),
    "Educational/Counseling/Training": "ECT",
}  # fmt: skip
OBSERVATIONAL_MODEL = _codes(
    "Cohort",
    "Case-Control",
    "Case-Only",
    "Case-Crossover",
    "Ecologic or Community",
    "Family-Based",
    "Defined Population",
    "Natural History",
    "Other",
)
TIME_PERSPECTIVE = _codes("Retrospective", "Prospective", "Cross-Sectional", "Other")
MASKING = {"None": "NONE", **_codes("Single", "Double", "Triple", "Quadruple")}
WHO_MASKED = _codes("Participant", "Care Provider", "Investigator", "Outcomes Assessor")
INTERVENTION_TYPE = _codes(
    "Behavioral",
    "Biological",
    "Combination Product",
    "Device",
    "Diagnostic Test",
    "Dietary Supplement",
    "Drug",
    "Genetic",
    "Procedure",
    "Radiation",
    "Other",
)
ARM_TYPE = _codes(
    "Experimental",
    "Active Comparator",
    "Placebo Comparator",
    "Sham Comparator",
    "No Intervention",
    "Other",
)
SEX = _codes("All", "Female", "Male")
AGENCY_CLASS = {"NIH": "NIH", "U.S. Fed": "FED", "Industry": "INDUSTRY", "Other": "OTHER"}
RESPONSIBLE_PARTY = _codes("Sponsor", "Principal Investigator", "Sponsor-Investigator")
OFFICIAL_ROLE = _codes(
    "Principal Investigator", "Sub-Investigator", "Study Chair", "Study Director"
)
DATE_TYPE = {"Actual": "ACTUAL", "Anticipated": "ESTIMATED", "Estimate": "ESTIMATED"}
YES_NO = {"Yes": True, "No": False}
HEALTHY_VOLUNTEERS = {"Accepts Healthy Volunteers": True, "No": False}
IPD_SHARING = _codes("Yes", "No", "Undecided")
IPD_INFO_TYPE = {
    "Study Protocol": "STUDY_PROTOCOL", "Statistical Analysis Plan (SAP)": "SAP",
    "Informed Consent Form (ICF)": "ICF", "Clinical Study Report (CSR)": "CSR",
    "Analytic Code": "ANALYTIC_CODE",
}  # fmt: skip
SAMPLING = _codes("Probability Sample", "Non-Probability Sample")
BIOSPEC = {
    "None Retained": "NONE_RETAINED", "Samples With DNA": "SAMPLES_WITH_DNA",
    "Samples Without DNA": "SAMPLES_WITHOUT_DNA",
}  # fmt: skip
OUTCOME_TYPE = _codes("Primary", "Secondary", "Other Pre-specified", "Post-Hoc")
MEASURE_PARAM = _codes(
    "Geometric Mean",
    "Geometric Least Squares Mean",
    "Least Squares Mean",
    "Log Mean",
    "Mean",
    "Median",
    "Number",
    "Count of Participants",
    "Count of Units",
)
# Baseline dispersion is a v2 code; an outcome measure's stays the classic words (v2 does too).
BASELINE_DISPERSION = {
    "Not Applicable": "NA", "Standard Deviation": "STANDARD_DEVIATION",
    "Standard Error": "STANDARD_ERROR", "Inter-Quartile Range": "INTER_QUARTILE_RANGE",
    "Full Range": "FULL_RANGE", "80% Confidence Interval": "CONFIDENCE_80",
    "90% Confidence Interval": "CONFIDENCE_90", "95% Confidence Interval": "CONFIDENCE_95",
    "97.5% Confidence Interval": "CONFIDENCE_975", "99% Confidence Interval": "CONFIDENCE_99",
    "Other Confidence Interval Level": "CONFIDENCE_OTHER",
    "Geometric Coefficient of Variation": "GEOMETRIC_COEFFICIENT",
}  # fmt: skip
ASSESSMENT = {
    "Non-systematic Assessment": "NON_SYSTEMATIC_ASSESSMENT",
    "Systematic Assessment": "SYSTEMATIC_ASSESSMENT",
}
NON_INFERIORITY = {
    **_codes("Superiority", "Non-Inferiority", "Equivalence", "Other",
             "Non-Inferiority or Equivalence", "Superiority or Other"),
    "Non-Inferiority or Equivalence (legacy)": "NON_INFERIORITY_OR_EQUIVALENCE_LEGACY",
    "Superiority or Other (legacy)": "SUPERIORITY_OR_OTHER_LEGACY",
}  # fmt: skip
CI_SIDES = {"1-Sided": "ONE_SIDED", "2-Sided": "TWO_SIDED"}
ANALYSIS_DISPERSION = {
    "Standard Deviation": "STANDARD_DEVIATION",
    "Standard Error of the Mean": "STANDARD_ERROR_OF_MEAN",
}


def code(node: Node, tag: str, table: dict[str, str]) -> str | None:
    """The v2 code for the word in `<tag>`; an unknown word is kept verbatim, named."""
    word = node.text(tag)
    return translate(node, f"{node.path}/{tag}", word, table)


def translate(node: Node, where: str, word: str | None, table: dict[str, str]) -> str | None:
    if word is None:
        return None
    found = table.get(word)
    if found is None:
        node.problem(f"{where}: unknown classic value {word!r:.80}, kept as written")
        return word
    return found


def flag(node: Node, tag: str, table: dict[str, bool] = YES_NO) -> bool | None:
    word = node.text(tag)
    if word is None:
        return None
    if word not in table:
        node.problem(f"{node.path}/{tag}: unknown classic value {word!r:.80}, left out")
        return None
    return table[word]


def phases(node: Node, word: str | None) -> list[str]:
    """`Phase 1/Phase 2` -> ["PHASE1", "PHASE2"], `N/A` -> ["NA"]."""
    if word is None:
        return []
    if word == "N/A":
        return ["NA"]
    return [translate(node, f"{node.path}/phase", part.strip(), PHASE) or part
            for part in word.split("/")]  # fmt: skip


def masking(node: Node, word: str | None) -> dict[str, object]:
    """`Double (Participant, Outcomes Assessor)` -> masking DOUBLE and who was masked."""
    if word is None:
        return {}
    m = re.fullmatch(r"([A-Za-z]+)\s*(?:\((.*)\))?", word)
    if not m:
        return {"masking": translate(node, f"{node.path}/masking", word, MASKING)}
    out: dict[str, object] = {"masking": translate(node, f"{node.path}/masking", m.group(1),
                                                   MASKING)}  # fmt: skip
    roles = [r.strip() for r in (m.group(2) or "").split(",") if r.strip()]
    if roles and roles != ["Open Label"]:
        where = f"{node.path}/masking"
        out["whoMasked"] = [translate(node, where, r, WHO_MASKED) for r in roles]
    return out


def group_id(node: Node, raw: str | None, prefix: str) -> str | None:
    """Classic `O1`/`E1`/`P1`/`B1` -> v2 `OG000`/`EG000`/`FG000`/`BG000` (same order)."""
    if raw is None:
        return None
    found = _v2_group_id(raw, prefix)
    if found is None:
        node.problem(f"{node.path}@group_id: unexpected group id {raw!r:.40}, kept as written")
        return raw
    return found


@functools.lru_cache(maxsize=4096)
def _v2_group_id(raw: str, prefix: str) -> str | None:
    m = re.fullmatch(r"[A-Z](\d{1,3})", raw)
    if not m or int(m.group(1)) < 1:
        return None
    return f"{prefix}{int(m.group(1)) - 1:03d}"
