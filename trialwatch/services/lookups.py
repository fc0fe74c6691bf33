"""Read-only queries for the command line: a study as stored now, and its versions.

Returns plain dicts ready for JSON or a table. Imports only SQLAlchemy and trialwatch's pure
modules, so `trialwatch show` starts fast. Reading never creates a database or a schema.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from trialwatch.domain import protocol
from trialwatch.domain.appraisal import appraise
from trialwatch.domain.change import LoggedChange
from trialwatch.domain.findings import outcome_findings
from trialwatch.domain.records import parse_study
from trialwatch.domain.results import parse_more_info, parse_outcomes, parse_participant_flow
from trialwatch.domain.summary import LIST_JOINERS, LISTED_FIELDS
from trialwatch.errors import NotFound
from trialwatch.store.changelog import ChangeQuery, change_log
from trialwatch.store.models import RecordVersion, SearchHit, Study
from trialwatch.store.reader import reading
from trialwatch.store.versions import study_flags

if TYPE_CHECKING:
    from trialwatch.config import Config

LATEST_CHANGES = 10  # how many recent changes `show` lists
# The study's listed fields (trialwatch.domain.summary), under their own names; the record
# version is `version`.
DETAIL_FIELDS = [n for n in LISTED_FIELDS if n not in ("nct_id", "version_holder")]


# -- what the commands call -------------------------------------------------------------------
def get_study(
    config: Config, nct_id: str, *, changes_limit: int | None = LATEST_CHANGES
) -> dict[str, Any]:
    """`show`: the stored study, or NotFound with what to do about it."""
    with reading(config.database_url, config.path) as session:
        detail = study_detail(session, nct_id, changes_limit=changes_limit)
    if detail is None:
        raise NotFound(
            f"{nct_id} is not in the store. `trialwatch show --live {nct_id}` fetches it "
            "from the registry; add it to the config's [[studies]] to track it."
        )
    return detail


def get_history(config: Config, nct_id: str) -> dict[str, Any]:
    with reading(config.database_url, config.path) as session:
        history = study_history(session, nct_id)
    if history is None:
        raise NotFound(f"{nct_id} is not in the store, so it has no history here.")
    return history


# -- one study ---------------------------------------------------------------------------------
def resolve_id(session: Session, nct_id: str) -> tuple[str | None, str | None]:
    """(stored id, alias note): the study itself, or the stored study listing `nct_id` as alias."""
    if session.get(Study, nct_id) is not None:
        return nct_id, None
    for stored, aliases in session.execute(select(Study.nct_id, Study.aliases)):
        if nct_id in (aliases or []):
            return stored, f"{nct_id} is an alias of {stored}"
    return None, None


def study_detail(
    session: Session, nct_id: str, *, changes_limit: int | None = LATEST_CHANGES
) -> dict[str, Any] | None:
    """Everything `show` prints about a stored study, or None if it is not in the store."""
    stored_id, alias_note = resolve_id(session, nct_id)
    if stored_id is None:
        return None
    study = session.get(Study, stored_id)
    assert study is not None
    version = (
        session.get(RecordVersion, study.current_version_id) if study.current_version_id else None
    )
    raw = version.raw if version is not None and isinstance(version.raw, dict) else {}
    searches = session.scalars(
        select(SearchHit.search_name)
        .where(SearchHit.nct_id == stored_id, SearchHit.present)
        .order_by(SearchHit.search_name)
    )
    changes = change_log(session, ChangeQuery(nct_id=stored_id, limit=changes_limit))
    detail: dict[str, Any] = {
        "nct_id": study.nct_id,
        "url": f"https://clinicaltrials.gov/study/{study.nct_id}",
        **{name: _plain(name, getattr(study, name)) for name in DETAIL_FIELDS},
        "version": study.version_holder,
        "aliases": list(study.aliases or []),
        "scope": study.scope,
        "stored_version_no": version.version_no if version is not None else None,
        "first_seen": study.first_seen,
        "last_checked": study.last_checked,
        "searches": list(searches),
        "parse_problems": list(study.parse_problems or []),
        "primary_outcomes": primary_outcomes(raw) if study.scope == "full" else [],
        "latest_changes": changes,
        "flags": study_flags(session, stored_id),
        "note": alias_note,
    }
    detail.update(trust_and_people(raw, full=study.scope == "full"))
    return detail


def _plain(name: str, value: Any) -> Any:
    """A stored value for JSON: list fields as lists, even when the row holds None."""
    return list(value or []) if name in LIST_JOINERS else value


def trust_and_people(record: dict[str, Any], *, full: bool = True) -> dict[str, Any]:
    """The trust panel and who was in it, from the stored record version (values verbatim).

    None for both when only search summary fields are stored (`full` False).
    """
    if not full:
        return {"trust": None, "people": None}
    summary, eligibility = parse_study(record), protocol.parse_eligibility(record)
    trust = appraise(
        summary,
        protocol.parse_design(record),
        protocol.parse_arms(record),
        protocol.parse_status_dates(record),
        flow=parse_participant_flow(record),
        outcomes=parse_outcomes(record),
        more_info=parse_more_info(record),
    )
    people = {
        "brief_summary": protocol.brief_summary(record),
        "minimum_age": eligibility.minimum_age,
        "maximum_age": eligibility.maximum_age,
        "sex": eligibility.sex,
        "healthy_volunteers": eligibility.healthy_volunteers,
        "std_ages": list(eligibility.std_ages),
        "study_population": eligibility.study_population,
        "criteria": eligibility.criteria,
    }
    return {"trust": trust.as_dict(), "people": people}


def primary_outcomes(record: dict[str, Any]) -> list[dict[str, Any]]:
    """The primary outcome measures with their posted results.

    Without posted results, the primary outcomes as registered in the protocol (no numbers).
    """
    posted = [
        {**o.as_dict(), "results_posted": True, "findings": outcome_findings(o).as_dict()}
        for o in parse_outcomes(record)
        if o.type == "PRIMARY"
    ]
    if posted:
        return posted
    module = (record.get("protocolSection") or {}).get("outcomesModule") or {}
    return [
        {
            "type": "PRIMARY",
            "title": o.get("measure"),
            "description": o.get("description"),
            "time_frame": o.get("timeFrame"),
            "unit": None,
            "groups": [],
            "measurements": [],
            "analyses": [],
            "findings": None,
            "results_posted": False,
        }
        for o in module.get("primaryOutcomes") or []
        if isinstance(o, dict)
    ]


# -- history -----------------------------------------------------------------------------------
def study_history(session: Session, nct_id: str) -> dict[str, Any] | None:
    """The versions seen of a study and the field changes between consecutive ones."""
    stored_id, alias_note = resolve_id(session, nct_id)
    if stored_id is None:
        return None
    rows = session.scalars(
        select(RecordVersion).where(RecordVersion.nct_id == stored_id)
        .order_by(RecordVersion.version_no)
    )  # fmt: skip
    changes = change_log(session, ChangeQuery(nct_id=stored_id, oldest_first=True))
    by_version: dict[int | None, list[LoggedChange]] = {}
    for change in changes:
        key = change.to_version_id if change.search_name is None else None
        by_version.setdefault(key, []).append(change)
    versions: list[dict[str, Any]] = []
    previous: RecordVersion | None = None
    for v in rows:
        versions.append(
            {
                "version_no": v.version_no,
                "version": v.version_holder,
                "last_update_posted": v.last_update_posted,
                "scope": v.scope,
                "source": v.source,
                "format": v.format,
                "observed_date": v.observed_date,
                "source_file": v.source_file,
                "registry_version": v.registry_version,
                "first_seen": v.first_seen,
                "last_seen": v.last_seen,
                "content_hash": v.content_hash,
                # the registry rewrote only its derived metadata (MeSH terms, versionHolder)
                "derived_only": previous is not None
                and previous.scope == v.scope
                and previous.study_hash == v.study_hash,
                "changes": by_version.get(v.id, []),
            }
        )
        previous = v
    return {
        "nct_id": stored_id,
        "note": alias_note,
        "versions": versions,
        "search_changes": by_version.get(None, []),
    }
