"""Outbox rows may be ``data-link`` mail: a one-hour link to download or delete one's data.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-06
"""

from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

BEFORE = "kind IN ('confirm', 'welcome', 'campaign')"
AFTER = "kind IN ('confirm', 'welcome', 'campaign', 'data-link')"


def upgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.drop_constraint(op.f("ck_outbox_kind"), type_="check")
        batch.create_check_constraint("kind", AFTER)


def downgrade() -> None:
    op.execute("DELETE FROM outbox WHERE kind = 'data-link'")
    with op.batch_alter_table("outbox") as batch:
        batch.drop_constraint(op.f("ck_outbox_kind"), type_="check")
        batch.create_check_constraint("kind", BEFORE)
