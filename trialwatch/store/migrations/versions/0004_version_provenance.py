"""Where each record version came from: source, format, observed date, file, original text.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01 09:40:00

Versions stored before this revision were all fetched from API v2: they become source `api`,
format `v2-json`, observed on the (UTC) day they were first seen. Columns are added and dropped
in place (ALTER TABLE), never by copying the table: on SQLite a copy would have to drop
record_versions, which the studies table references.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = (
    sa.Column("source", sa.String(length=10), nullable=False, server_default="api"),
    sa.Column("format", sa.String(length=12), nullable=False, server_default="v2-json"),
    # NOT NULL needs a default to be added in place; every row gets its real date below
    sa.Column("observed_date", sa.String(length=10), nullable=False, server_default=""),
    sa.Column("source_file", sa.Text(), nullable=True),
    sa.Column("raw_text", sa.Text(), nullable=True),
    sa.Column("registry_version", sa.Integer(), nullable=True),
)


def upgrade() -> None:
    for column in COLUMNS:
        op.add_column("record_versions", column)
    postgres = op.get_bind().dialect.name == "postgresql"
    if postgres:
        day = "to_char(first_seen AT TIME ZONE 'UTC', 'YYYY-MM-DD')"
    else:  # SQLite keeps UTC datetimes as 'YYYY-MM-DD HH:MM:SS...' text
        day = "substr(first_seen, 1, 10)"
    op.execute(f"UPDATE record_versions SET observed_date = {day}")
    if postgres:  # SQLite cannot drop a default in place; trialwatch always writes the date
        op.alter_column("record_versions", "observed_date", server_default=None)
    op.create_index(
        "ix_record_versions_nct_observed", "record_versions", ["nct_id", "observed_date"]
    )


def downgrade() -> None:
    op.drop_index("ix_record_versions_nct_observed", table_name="record_versions")
    for column in reversed(COLUMNS):
        op.execute(f"ALTER TABLE record_versions DROP COLUMN {column.name}")
