"""The newsletter tables (SQLAlchemy Core), with a naming convention so migrations stay portable.

Statuses are plain strings guarded by CHECK constraints; the allowed values are
the tuples below, which the rest of the code imports instead of repeating them.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect

SUBSCRIBER_STATUSES = ("pending", "active", "unsubscribed", "bounced")
OUTBOX_STATUSES = ("pending", "sent", "failed", "cancelled")
MAIL_KINDS = ("confirm", "welcome", "campaign", "data-link")
CONSENT_EVENTS = ("subscribe", "confirm", "unsubscribe", "preferences", "bounce")

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)


def _one_of(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class UtcDateTime(TypeDecorator[dt.datetime]):
    """Timezone-aware UTC datetimes on every engine (SQLite stores them naive)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the store; pass an aware UTC time")
        value = value.astimezone(dt.UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(
        self,
        value: dt.datetime | None,
        dialect: Dialect,  # noqa: ARG002 (the signature SQLAlchemy calls)
    ) -> dt.datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


def _utc() -> UtcDateTime:
    return UtcDateTime()


subscribers = Table(
    "subscribers",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("key", String(32), nullable=False, unique=True),  # random; what tokens sign
    Column("email", String(254), nullable=False, unique=True),  # normalised
    Column("status", String(16), nullable=False),
    Column("interests", JSON, nullable=False),
    Column("created_at", _utc(), nullable=False),
    Column("confirmed_at", _utc()),
    Column("unsubscribed_at", _utc()),
    CheckConstraint(_one_of("status", SUBSCRIBER_STATUSES), name="status"),
)

consents = Table(
    "consents",
    metadata,
    Column("id", Integer, primary_key=True),
    Column(
        "subscriber_id",
        Integer,
        ForeignKey("subscribers.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    Column("event", String(16), nullable=False),
    Column("occurred_at", _utc(), nullable=False),
    Column("wording_version", String(32), nullable=False),
    Column("source", String(200), nullable=False),
    Column("ip_address", String(45)),
    CheckConstraint(_one_of("event", CONSENT_EVENTS), name="event"),
)

suppressions = Table(
    "suppressions",
    metadata,
    Column("email_hash", String(64), primary_key=True),  # HMAC-SHA256 hex, never the address
    Column("reason", String(16), nullable=False),
    Column("created_at", _utc(), nullable=False),
)

campaigns = Table(
    "campaigns",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("subject", String(200), nullable=False),
    Column("body_markdown", Text, nullable=False),
    Column("interest", String(64)),  # None: every active subscriber
    Column("kind", String(16), nullable=False, server_default="campaign"),
    Column("digest_until", _utc()),  # digests: articles published up to this time
    Column("created_at", _utc(), nullable=False),
    Column("queued_at", _utc()),
    CheckConstraint(_one_of("kind", ("campaign", "digest")), name="kind"),
)

outbox = Table(
    "outbox",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("kind", String(16), nullable=False),
    Column(
        "subscriber_id",
        Integer,
        ForeignKey("subscribers.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    Column("campaign_id", Integer, ForeignKey("campaigns.id", ondelete="CASCADE")),
    Column("status", String(16), nullable=False),
    Column("attempts", Integer, nullable=False, server_default="0"),
    Column("next_attempt_at", _utc(), nullable=False),
    Column("last_error", String(500)),
    Column("created_at", _utc(), nullable=False),
    Column("sent_at", _utc()),
    UniqueConstraint("campaign_id", "subscriber_id"),
    CheckConstraint(_one_of("status", OUTBOX_STATUSES), name="status"),
    CheckConstraint(_one_of("kind", MAIL_KINDS), name="kind"),
)
Index("ix_outbox_due", outbox.c.status, outbox.c.next_attempt_at, outbox.c.id)
