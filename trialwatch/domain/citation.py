"""Pure: compare how the clinic cites a study with what the registry says, in plain notes.

Three checks:
- Every year in the citation is compared with every year the registry gives (start, primary
  completion, completion, first posted, results first submitted, results first posted, last
  update), and the check says which dates it matched.
- The organisation named should be the lead sponsor, not only a collaborator. Names are
  compared as whole normalised words (case, accents and punctuation ignored), never as
  substrings: "Penn" is not "Pennsylvania State University", and words common to organisation
  names ("Institute", "University") identify nothing on their own. An acronym counts when the
  record itself gives it in parentheses: "NCI" for "National Cancer Institute (NCI)". The
  study's own acronyms (its acronym field, or one in parentheses in its official title) name the
  study, not an organisation.
- A study cited as a "Clinical Trial" should not be observational.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from trialwatch.domain.records import StudySummary

_YEAR = re.compile(r"\b(19[5-9]\d|20\d\d)\b")
_CLINICAL_TRIAL = re.compile(r"\bclinical\s+trial\b", re.IGNORECASE)
_PROVIDED_BY = re.compile(r"provided by\s+(.+)$", re.IGNORECASE)
_PARENTHESISED = re.compile(r"\(([^()]*)\)")
_TOKEN = re.compile(r"[\w&\-]+")
_STUDY_WORDS = r"(?i:trial|study)"  # what may follow a study's acronym in a citation
# Joining words: ignored when names are compared.
_STOP = set("the of and for a an in at on de la le du des der und y by".split())
# Words too common in organisation names to identify one on their own.
_COMMON = set(
    "university universitat universite universidad college school medicine medical center "
    "centre hospital hospitals institute institutes national health research foundation "
    "organization organisation pharma pharmaceutical pharmaceuticals inc ltd llc gmbh ag sa plc "
    "co corp corporation company group clinical clinic trial trials provided sciences science "
    "biosciences nih department dept state".split()
)


@dataclass(frozen=True)
class CitationCheck:
    cited_as: str
    registry_years: tuple[tuple[str, str], ...]  # (what, year) for each registry date
    notes: tuple[str, ...]  # where the citation and the registry disagree
    agreements: tuple[str, ...] = ()  # what matched, and which registry date or name it was


@dataclass(frozen=True)
class _Name:
    words: frozenset[str]  # normalised words outside parentheses, joining words dropped
    acronyms: frozenset[str]  # normalised acronyms the text gives in parentheses


def _words(text: str) -> list[str]:
    plain = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(ch for ch in plain if not unicodedata.combining(ch))
    return [w for w in re.sub(r"[^\w]+", " ", plain).split() if w not in _STOP]


def _is_acronym(token: str, alone: bool) -> bool:
    """NIMH, C-AXSPAND, HSDM; a lone parenthesised word of up to 12 letters also counts."""
    capitals = sum(ch.isupper() for ch in token)
    return 2 <= len(token) <= 12 and (capitals >= 2 or (alone and token[:1].isupper()))


def _acronyms(text: str) -> frozenset[str]:
    """Acronyms the text gives in parentheses: "(NIMH)", "(HMS and HSDM)"."""
    out: set[str] = set()
    for group in _PARENTHESISED.findall(text or ""):
        tokens = _TOKEN.findall(group)
        out |= {w for t in tokens if _is_acronym(t, len(tokens) == 1) for w in _words(t)}
    return frozenset(out)


def _name(text: str) -> _Name:
    return _Name(frozenset(_words(_PARENTHESISED.sub(" ", text))), _acronyms(text))


def _compare(cited: _Name, registry: _Name) -> str | None:
    """'same' if the citation names the organisation, 'similar' if they share a distinctive
    word, None otherwise."""
    if cited.acronyms & registry.acronyms:
        return "same"
    by_acronym = cited.words & registry.acronyms
    rest = cited.words - by_acronym
    if not (rest | by_acronym) - _COMMON:
        return None  # "Institute", "University" alone name no one
    if by_acronym and rest <= registry.words:
        return "same"
    distinctive = registry.words - _COMMON
    if rest - _COMMON and (rest <= registry.words or (distinctive and registry.words <= rest)):
        return "same"
    return "similar" if (rest & registry.words) - _COMMON else None


def _registry_dates(study: StudySummary, results_submitted: str | None) -> list[tuple[str, str]]:
    dates = (
        ("start", study.start_date),
        ("primary completion", study.primary_completion_date),
        ("completion", study.completion_date),
        ("first posted", study.first_posted),
        ("results first submitted", results_submitted),
        ("results first posted", study.results_first_posted),
        ("last update posted", study.last_update_posted),
    )
    return [(what, d) for what, d in dates if d and _YEAR.match(d[:4])]


def check_citation(
    cited_as: str, study: StudySummary, results_first_submitted: str | None = None
) -> CitationCheck:
    dates = _registry_dates(study, results_first_submitted)
    notes: list[str] = []
    agreements: list[str] = []
    for year in dict.fromkeys(_YEAR.findall(cited_as)):
        matched = [f"{what} ({d})" for what, d in dates if d[:4] == year]
        if matched:
            agreements.append(f"The year {year} matches the registry's {_and(matched)}.")
        else:
            listed = "; ".join(f"{what} {d[:4]}" for what, d in dates) or "none"
            notes.append(
                f"The citation gives the year {year}, which matches no registry date "
                f"(registry: {listed})."
            )
    org, study_names = _organisation(cited_as, study)
    if study_names:
        agreements.append(f"{_and(study_names)} is the study's own acronym in the registry.")
    if org:
        note, agreement = _sponsor_note(org, study)
        notes += [note] if note else []
        agreements += [agreement] if agreement else []
    if study.study_type == "OBSERVATIONAL" and _CLINICAL_TRIAL.search(cited_as):
        notes.append(
            "The citation calls it a clinical trial; the registry records an observational "
            "study (people are followed, not assigned a treatment)."
        )
    years = tuple((what, d[:4]) for what, d in dates)
    return CitationCheck(cited_as, years, tuple(notes), tuple(agreements))


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _organisation(cited_as: str, study: StudySummary) -> tuple[str, list[str]]:
    """The organisation the citation names, without the study's own acronyms (and those)."""
    match = _PROVIDED_BY.search(cited_as)
    org = match.group(1) if match else _YEAR.sub("", cited_as)
    own = _acronyms(study.official_title or "") | frozenset(_words(study.acronym or ""))
    found: list[str] = []
    for token in _TOKEN.findall(org):
        if _words(token) and set(_words(token)) <= own and token not in found:
            found.append(token)
            # "ACCIO trial, National Cancer Institute": the study's name goes with its acronym
            org = re.sub(rf"\(?\b{re.escape(token)}\b\)?(?:\s+{_STUDY_WORDS}\b)?", " ", org)
    return " ".join(org.split()).strip(" -–,;:"), found


def _sponsor_note(org: str, study: StudySummary) -> tuple[str | None, str | None]:
    """(disagreement, agreement) about the organisation the citation names."""
    cited = _name(org)
    lead = study.lead_sponsor or ""
    lead_match = _compare(cited, _name(lead)) if lead else None
    if lead_match == "same":
        return None, f"{org} is the registry's lead sponsor ({lead})."
    matches = [(c, _compare(cited, _name(c))) for c in study.collaborators]
    collaborator = next((c for c, m in matches if m == "same"), None)
    collaborator = collaborator or next((c for c, m in matches if m), None)
    if collaborator is not None:
        return (
            f"The citation names {org}, which the registry lists only as a collaborator "
            f"({collaborator}); the lead sponsor is {lead or 'not given'}."
        ), None
    if lead_match == "similar":
        return (
            f"The citation names {org}; the registry's lead sponsor is {lead}. "
            "They share a word but are not the same name."
        ), None
    return (
        f"The citation names {org}, which the registry lists neither as the lead sponsor "
        f"({lead or 'not given'}) nor as a collaborator."
    ), None
