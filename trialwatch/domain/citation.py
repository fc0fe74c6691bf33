"""Pure: compare how the clinic cites a study with what the registry says, in plain notes.

Three checks: every year in the citation should match a registry date (start, primary completion,
completion or results posting), and the organisation named should be the lead sponsor, not only
a collaborator; and a study cited as a "Clinical Trial" should not be observational.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from trialwatch.domain.records import StudySummary

_YEAR = re.compile(r"\b(19[5-9]\d|20\d\d)\b")
_CLINICAL_TRIAL = re.compile(r"\bclinical\s+trial\b", re.IGNORECASE)
_PROVIDED_BY = re.compile(r"provided by\s+(.+)$", re.IGNORECASE)
# Words too common in organisation names to identify one.
_COMMON = set(
    "the of and for a an in at on de la university universitat college school medicine medical "
    "center centre hospital hospitals institute institutes national health research foundation "
    "organization organisation pharma pharmaceutical pharmaceuticals inc ltd llc gmbh ag sa plc "
    "co corp corporation company group clinical clinic trial trials provided by sciences science "
    "biosciences nih department dept".split()
)


@dataclass(frozen=True)
class CitationCheck:
    cited_as: str
    registry_years: tuple[tuple[str, str], ...]  # (what, year) for each registry date
    notes: tuple[str, ...]


def _normal(text: str) -> str:
    return " ".join(re.sub(r"[^\w]+", " ", text.lower()).split())


def _tokens(text: str) -> set[str]:
    return {t for t in _normal(text).split() if t not in _COMMON and not t.isdigit()}


def _names(cited: str, name: str) -> str | None:
    """'same' if the citation names the organisation, 'similar' if it shares a distinctive word."""
    a, b = _normal(cited), _normal(name)
    if a and b and (b in a or a in b):
        return "same"
    return "similar" if _tokens(cited) & _tokens(name) else None


def check_citation(cited_as: str, study: StudySummary) -> CitationCheck:
    dates = (
        ("start", study.start_date),
        ("primary completion", study.primary_completion_date),
        ("completion", study.completion_date),
        ("results first posted", study.results_first_posted),
    )
    registry_years = tuple((what, d[:4]) for what, d in dates if d)
    notes: list[str] = []
    known = {year for _, year in registry_years}
    for year in dict.fromkeys(_YEAR.findall(cited_as)):
        if year not in known:
            listed = "; ".join(f"{what} {year_}" for what, year_ in registry_years) or "none"
            notes.append(
                f"The citation gives the year {year}, which matches no registry date "
                f"(registry: {listed})."
            )

    match = _PROVIDED_BY.search(cited_as)
    org = match.group(1).strip() if match else _YEAR.sub("", cited_as).strip(" -–,")
    note = _sponsor_note(org, study) if org else None
    if note:
        notes.append(note)
    if study.study_type == "OBSERVATIONAL" and _CLINICAL_TRIAL.search(cited_as):
        notes.append(
            "The citation calls it a clinical trial; the registry records an observational "
            "study (people are followed, not assigned a treatment)."
        )
    return CitationCheck(cited_as, registry_years, tuple(notes))


def _sponsor_note(org: str, study: StudySummary) -> str | None:
    """Why the organisation the citation names is not the lead sponsor; None if it is."""
    lead = study.lead_sponsor or ""
    lead_match = _names(org, lead) if lead else None
    if lead_match == "same":
        return None
    collaborator = next((c for c in study.collaborators if _names(org, c) == "same"), None)
    collaborator = collaborator or next((c for c in study.collaborators if _names(org, c)), None)
    if collaborator is not None:
        return (
            f"The citation names {org}, which the registry lists only as a collaborator "
            f"({collaborator}); the lead sponsor is {lead or 'not given'}."
        )
    if lead_match == "similar":
        return (
            f"The citation names {org}; the registry's lead sponsor is {lead}. "
            "They look related but are not the same name."
        )
    return (
        f"The citation names {org}, which the registry lists neither as the lead sponsor "
        f"({lead or 'not given'}) nor as a collaborator."
    )
