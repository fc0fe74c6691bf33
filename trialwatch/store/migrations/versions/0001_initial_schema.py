"""Initial schema: every table of trialwatch.store.models as of the first migration.

Revision ID: 0001
Revises: (none)
Create Date: 2026-11-26 22:25:55.780075
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Frozen copies of the model types, so this revision never changes when models.py does.
JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("nct_id", sa.String(length=11), nullable=False),
        sa.Column("search_name", sa.String(length=200), nullable=True),
        sa.Column("field", sa.String(length=80), nullable=False),
        sa.Column("old_value", sa.Text(), nullable=True),
        sa.Column("new_value", sa.Text(), nullable=True),
        sa.Column("severity", sa.String(length=10), nullable=False),
        sa.Column("from_version_id", sa.Integer(), nullable=True),
        sa.Column("to_version_id", sa.Integer(), nullable=True),
        sa.Column("detected_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("refresh_run_id", sa.Integer(), nullable=True),
        sa.Column("notified_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_changes")),
    )
    op.create_index("ix_changes_detected", "changes", ["detected_at"])
    op.create_index(op.f("ix_changes_nct_id"), "changes", ["nct_id"])

    op.create_table(
        "record_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("nct_id", sa.String(length=11), nullable=False),
        sa.Column("version_no", sa.Integer(), nullable=False),
        sa.Column("scope", sa.String(length=10), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("study_hash", sa.String(length=64), nullable=False),
        sa.Column("version_holder", sa.String(length=10), nullable=True),
        sa.Column("last_update_posted", sa.String(length=10), nullable=True),
        sa.Column("raw", JSON, nullable=False),
        sa.Column("first_seen", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen", sa.DateTime(timezone=True), nullable=False),
        sa.Column("refresh_run_id", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_record_versions")),
        sa.UniqueConstraint("nct_id", "version_no", name=op.f("uq_record_versions_nct_id")),
    )
    op.create_index("ix_record_versions_nct_scope", "record_versions", ["nct_id", "scope"])

    op.create_table(
        "refresh_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("outcome", sa.String(length=20), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("trigger", sa.String(length=20), nullable=False),
        sa.Column("requests", sa.Integer(), nullable=False),
        sa.Column("bytes", sa.Integer(), nullable=False),
        sa.Column("studies_fetched", sa.Integer(), nullable=False),
        sa.Column("new_versions", sa.Integer(), nullable=False),
        sa.Column("changes", sa.Integer(), nullable=False),
        sa.Column("api_version", sa.String(length=20), nullable=True),
        sa.Column("data_timestamp", sa.String(length=30), nullable=True),
        sa.Column("notes", JSON, nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_refresh_runs")),
    )
    op.create_table(
        "report_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("rendered_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("directory", sa.Text(), nullable=False),
        sa.Column("last_change_id", sa.Integer(), nullable=True),
        sa.Column("bytes", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_runs")),
    )
    op.create_table(
        "search_hits",
        sa.Column("search_name", sa.String(length=200), nullable=False),
        sa.Column("nct_id", sa.String(length=11), nullable=False),
        sa.Column("first_seen", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen", sa.DateTime(timezone=True), nullable=False),
        sa.Column("present", sa.Boolean(), nullable=False),
        sa.Column("left_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("search_name", "nct_id", name=op.f("pk_search_hits")),
    )
    op.create_table(
        "searches",
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("params", JSON, nullable=False),
        sa.Column("total_count", sa.Integer(), nullable=True),
        sa.Column("capped", sa.Boolean(), nullable=False),
        sa.Column("last_success_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_full_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_searches")),
    )
    op.create_table(
        "studies",
        sa.Column("nct_id", sa.String(length=11), nullable=False),
        sa.Column("scope", sa.String(length=10), nullable=False),
        sa.Column("brief_title", sa.Text(), nullable=True),
        sa.Column("official_title", sa.Text(), nullable=True),
        sa.Column("acronym", sa.Text(), nullable=True),
        sa.Column("overall_status", sa.String(length=40), nullable=True),
        sa.Column("why_stopped", sa.Text(), nullable=True),
        sa.Column("phases", JSON, nullable=False),
        sa.Column("study_type", sa.String(length=40), nullable=True),
        sa.Column("enrollment", sa.Integer(), nullable=True),
        sa.Column("enrollment_type", sa.String(length=20), nullable=True),
        sa.Column("lead_sponsor", sa.Text(), nullable=True),
        sa.Column("lead_sponsor_class", sa.String(length=40), nullable=True),
        sa.Column("collaborators", JSON, nullable=False),
        sa.Column("conditions", JSON, nullable=False),
        sa.Column("interventions", JSON, nullable=False),
        sa.Column("start_date", sa.String(length=10), nullable=True),
        sa.Column("start_date_type", sa.String(length=20), nullable=True),
        sa.Column("primary_completion_date", sa.String(length=10), nullable=True),
        sa.Column("primary_completion_date_type", sa.String(length=20), nullable=True),
        sa.Column("completion_date", sa.String(length=10), nullable=True),
        sa.Column("completion_date_type", sa.String(length=20), nullable=True),
        sa.Column("first_posted", sa.String(length=10), nullable=True),
        sa.Column("results_first_posted", sa.String(length=10), nullable=True),
        sa.Column("last_update_posted", sa.String(length=10), nullable=True),
        sa.Column("has_results", sa.Boolean(), nullable=True),
        sa.Column("version_holder", sa.String(length=10), nullable=True),
        sa.Column("aliases", JSON, nullable=False),
        sa.Column("parse_problems", JSON, nullable=False),
        sa.Column("current_version_id", sa.Integer(), nullable=True),
        sa.Column("first_seen", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_checked", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["current_version_id"],
            ["record_versions.id"],
            name=op.f("fk_studies_current_version_id_record_versions"),
        ),
        sa.PrimaryKeyConstraint("nct_id", name=op.f("pk_studies")),
    )


def downgrade() -> None:
    for table in (
        "studies", "searches", "search_hits", "report_runs", "refresh_runs",
        "record_versions", "changes",
    ):  # fmt: skip
        op.drop_table(table)  # their indexes go with them
