"""SQLAlchemy 2 typed models: current study state, every record version, changes, searches, runs."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeEngine

from trialwatch.domain.bounds import SEARCH_NAME_LENGTH


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes on every backend (SQLite drops the zone on its own)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is not None and value.tzinfo is None:
            raise ValueError("naive datetime stored; use datetime.now(UTC)")
        return value.astimezone(UTC) if value is not None else None

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value


class JsonDocument(TypeDecorator[Any]):
    """JSON; JSONB on PostgreSQL. Same as `JSON().with_variant(JSONB(), "postgresql")`, but the
    PostgreSQL dialect (~50 ms to import) is loaded only by a PostgreSQL connection, so a lookup
    on SQLite (`trialwatch show`) does not pay for it."""

    impl = JSON
    cache_ok = True
    hashable = False  # as JSON: rows holding dicts and lists cannot be hashed
    should_evaluate_none = True  # as JSON: Python None is stored as JSON null

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "postgresql":
            from sqlalchemy.dialects.postgresql import JSONB

            return dialect.type_descriptor(JSONB())
        return dialect.type_descriptor(JSON())


JsonType = JsonDocument()

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {
        datetime: UTCDateTime(),
        dict[str, Any]: JsonType,
        list[str]: JsonType,
        list[Any]: JsonType,
    }


class Study(Base):
    """The current state of one study: the fields a report and a lookup need."""

    __tablename__ = "studies"

    nct_id: Mapped[str] = mapped_column(String(11), primary_key=True)
    scope: Mapped[str] = mapped_column(String(10))  # 'full' record or search 'summary' fields
    brief_title: Mapped[str | None] = mapped_column(Text)
    official_title: Mapped[str | None] = mapped_column(Text)
    acronym: Mapped[str | None] = mapped_column(Text)
    overall_status: Mapped[str | None] = mapped_column(String(40))
    why_stopped: Mapped[str | None] = mapped_column(Text)
    phases: Mapped[list[str]] = mapped_column(default=list)
    study_type: Mapped[str | None] = mapped_column(String(40))
    enrollment: Mapped[int | None] = mapped_column(Integer)
    enrollment_type: Mapped[str | None] = mapped_column(String(20))
    lead_sponsor: Mapped[str | None] = mapped_column(Text)
    lead_sponsor_class: Mapped[str | None] = mapped_column(String(40))
    collaborators: Mapped[list[str]] = mapped_column(default=list)
    conditions: Mapped[list[str]] = mapped_column(default=list)
    interventions: Mapped[list[str]] = mapped_column(default=list)
    start_date: Mapped[str | None] = mapped_column(String(10))
    start_date_type: Mapped[str | None] = mapped_column(String(20))
    primary_completion_date: Mapped[str | None] = mapped_column(String(10))
    primary_completion_date_type: Mapped[str | None] = mapped_column(String(20))
    completion_date: Mapped[str | None] = mapped_column(String(10))
    completion_date_type: Mapped[str | None] = mapped_column(String(20))
    first_posted: Mapped[str | None] = mapped_column(String(10))
    results_first_posted: Mapped[str | None] = mapped_column(String(10))
    last_update_posted: Mapped[str | None] = mapped_column(String(10))
    has_results: Mapped[bool | None] = mapped_column(Boolean)
    version_holder: Mapped[str | None] = mapped_column(String(10))
    aliases: Mapped[list[str]] = mapped_column(default=list)
    parse_problems: Mapped[list[str]] = mapped_column(default=list)
    current_version_id: Mapped[int | None] = mapped_column(ForeignKey("record_versions.id"))
    first_seen: Mapped[datetime]
    last_checked: Mapped[datetime]  # last time the registry confirmed this state (probe or fetch)


class RecordVersion(Base):
    """One distinct version of a record as received: raw JSON and its hashes, and where it came
    from. A study's versions are numbered in `observed_date` order, not in the order they were
    stored: an archived 2018 copy imported today sits before a 2020 one."""

    __tablename__ = "record_versions"
    __table_args__ = (
        UniqueConstraint("nct_id", "version_no"),
        Index("ix_record_versions_nct_scope", "nct_id", "scope"),
        Index("ix_record_versions_nct_observed", "nct_id", "observed_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    nct_id: Mapped[str] = mapped_column(String(11))
    version_no: Mapped[int]
    scope: Mapped[str] = mapped_column(String(10))
    content_hash: Mapped[str] = mapped_column(String(64))
    study_hash: Mapped[str] = mapped_column(String(64))  # without derivedSection
    version_holder: Mapped[str | None] = mapped_column(String(10))
    last_update_posted: Mapped[str | None] = mapped_column(String(10))
    raw: Mapped[dict[str, Any]]
    first_seen: Mapped[datetime]
    last_seen: Mapped[datetime]
    refresh_run_id: Mapped[int | None] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(String(10), server_default="api")  # api, history, import
    format: Mapped[str] = mapped_column(String(12), server_default="v2-json")  # or classic-xml
    observed_date: Mapped[str] = mapped_column(String(10))  # the version's date, yyyy-mm-dd
    source_file: Mapped[str | None] = mapped_column(Text)  # an import's file (and ZIP member)
    raw_text: Mapped[str | None] = mapped_column(Text)  # the original text when not `raw` itself
    registry_version: Mapped[int | None] = mapped_column(Integer)  # the registry's history number


class Change(Base):
    """A field-level change between two consecutive versions, or a search entry/exit."""

    __tablename__ = "changes"
    __table_args__ = (Index("ix_changes_detected", "detected_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    nct_id: Mapped[str] = mapped_column(String(11), index=True)
    search_name: Mapped[str | None] = mapped_column(String(SEARCH_NAME_LENGTH))
    field: Mapped[str] = mapped_column(String(80))
    old_value: Mapped[str | None] = mapped_column(Text)
    new_value: Mapped[str | None] = mapped_column(Text)
    severity: Mapped[str] = mapped_column(String(10))
    # what a results or protocol fact is about: outcome, arm, row, event (codes kept)
    context: Mapped[dict[str, Any] | None]
    from_version_id: Mapped[int | None] = mapped_column(Integer)
    to_version_id: Mapped[int | None] = mapped_column(Integer)
    detected_at: Mapped[datetime]
    refresh_run_id: Mapped[int | None] = mapped_column(Integer)
    notified_at: Mapped[datetime | None]  # set once an alert about it was sent


class SearchState(Base):
    """What trialwatch knows about one configured search."""

    __tablename__ = "searches"

    name: Mapped[str] = mapped_column(String(SEARCH_NAME_LENGTH), primary_key=True)
    params: Mapped[dict[str, Any]]
    total_count: Mapped[int | None]
    capped: Mapped[bool] = mapped_column(Boolean, default=False)
    last_success_at: Mapped[datetime | None]
    last_full_at: Mapped[datetime | None]


class SearchHit(Base):
    """Membership: a study returned by a search, with when it entered and (if so) left."""

    __tablename__ = "search_hits"

    search_name: Mapped[str] = mapped_column(String(SEARCH_NAME_LENGTH), primary_key=True)
    nct_id: Mapped[str] = mapped_column(String(11), primary_key=True)
    first_seen: Mapped[datetime]
    last_seen: Mapped[datetime]
    present: Mapped[bool] = mapped_column(Boolean, default=True)
    left_at: Mapped[datetime | None]


class RefreshRun(Base):
    """The log of every refresh run."""

    __tablename__ = "refresh_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    started_at: Mapped[datetime]
    finished_at: Mapped[datetime | None]
    outcome: Mapped[str] = mapped_column(String(20))  # running, ok, failed
    kind: Mapped[str] = mapped_column(String(20))  # full, incremental
    trigger: Mapped[str] = mapped_column(String(20), default="manual")
    requests: Mapped[int] = mapped_column(default=0)
    bytes: Mapped[int] = mapped_column(default=0)
    studies_fetched: Mapped[int] = mapped_column(default=0)
    new_versions: Mapped[int] = mapped_column(default=0)
    changes: Mapped[int] = mapped_column(default=0)
    api_version: Mapped[str | None] = mapped_column(String(20))
    data_timestamp: Mapped[str | None] = mapped_column(String(30))
    notes: Mapped[list[str]] = mapped_column(default=list)
    error: Mapped[str | None] = mapped_column(Text)


class ReportRun(Base):
    """Each rendered report: what the next report compares against ("since the previous report")."""

    __tablename__ = "report_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    rendered_at: Mapped[datetime]
    directory: Mapped[str] = mapped_column(Text)
    last_change_id: Mapped[int | None]  # the newest change the report showed
    bytes: Mapped[int] = mapped_column(default=0)


class HealthAlert(Base):
    """An alert about trialwatch itself: a failure streak reaching the threshold, or its end.

    One row per kind and streak (the streak's first failed run names it); `notified_at` is set
    once the e-mail server accepted the message, so a failed send is retried, never lost.
    """

    __tablename__ = "health_alerts"
    __table_args__ = (UniqueConstraint("kind", "streak_start_run_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # failing, recovered
    streak_start_run_id: Mapped[int]
    run_id: Mapped[int]  # the run that raised it
    raised_at: Mapped[datetime]
    since: Mapped[datetime]  # when the streak's first failed run started
    failed_runs: Mapped[int]
    last_error: Mapped[str | None] = mapped_column(Text)
    notified_at: Mapped[datetime | None]


DATA_TABLES = ("studies", "record_versions", "changes", "searches", "search_hits")


def utcnow() -> datetime:
    return datetime.now(UTC)
