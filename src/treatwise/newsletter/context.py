"""The newsletter's plain-valued context: a database, a secret, link and sender details, a clock.

Built once by the CLI or the web app from ``Settings`` and handed to every use case,
so nothing below reads the configuration.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from treatwise.knowledge import KnowledgeBase
from treatwise.newsletter import tokens
from treatwise.store import Database


def utcnow() -> dt.datetime:
    """The current time in UTC (the default clock)."""
    return dt.datetime.now(dt.UTC)


@dataclass(frozen=True)
class Newsletter:
    """Everything the newsletter use cases need, as plain values."""

    db: Database
    secret: str
    base_url: str
    mail_from: str
    postal_address: str
    interests: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    clock: Callable[[], dt.datetime] = utcnow

    def now(self) -> dt.datetime:
        """The current time by this context's clock."""
        return self.clock()

    def link(self, path: str, purpose: str, *, key: str) -> str:
        """An absolute link to ``path`` carrying a fresh ``purpose`` token for ``key``."""
        token = tokens.make(self.secret, purpose, key=key, now=self.now())
        return f"{self.base_url.rstrip('/')}{path}?token={token}"  # tokens are URL-safe


SETTINGS = {"database_url", "secret_key", "base_url", "mail_from", "postal_address"}
"""The settings a newsletter context is built from: ``newsletter_from(kb, **values)``."""


def newsletter_from(
    kb: KnowledgeBase,
    *,
    database_url: str,
    secret_key: str,
    base_url: str,
    mail_from: str,
    postal_address: str,
) -> Newsletter:
    """The newsletter context for these settings: the one place it is built (CLI and web
    call it with ``**settings.model_dump(include=SETTINGS)``)."""
    return Newsletter(
        db=Database(database_url),
        secret=secret_key,
        base_url=base_url,
        mail_from=mail_from,
        postal_address=postal_address,
        interests=interest_choices(kb),
    )


def interest_choices(kb: KnowledgeBase) -> dict[str, str]:
    """The interests people may pick: the knowledge base's concerns, id to name."""
    return {cid: concern.name for cid, concern in sorted(kb.concerns.items())}
