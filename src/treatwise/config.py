"""Settings from ``TREATWISE_*`` environment variables: the only module that reads the environment.

``Settings()`` is built once at the edge (CLI, ASGI factory) and handed down;
lower layers receive plain values (a database URL, a path, a sender address).
"""

from __future__ import annotations

import ipaddress
from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEV_SECRET = "dev-insecure-secret-change-me"
MIN_SECRET_LENGTH = 32
"""Characters a production secret must have (a random 32-character key at the least)."""


class Settings(BaseSettings):
    """Treatwise configuration (see docs/operations.md for each variable)."""

    model_config = SettingsConfigDict(env_prefix="TREATWISE_", frozen=True, extra="ignore")

    env: Literal["development", "test", "production"] = Field(
        default="development", description="Deployment environment"
    )
    database_url: str = Field(
        default="sqlite:///treatwise.db", description="SQLAlchemy URL (SQLite file or PostgreSQL)"
    )
    smtp_url: str | None = Field(
        default=None,
        description="smtp://user:pass@host:587 (STARTTLS) or smtps://...; none: Maildir",
    )
    maildir: Path = Field(default=Path("var/mail"), description="Where mail goes without SMTP")
    secret_key: str = Field(
        default=DEV_SECRET, description="Signs tokens; required outside development"
    )
    base_url: str = Field(default="http://127.0.0.1:8000", description="Public URL used in emails")
    mail_from: str = Field(default="Treatwise <newsletter@treatwise.example>", description="Sender")
    postal_address: str = Field(
        default="Treatwise, 1 Example Street, Springfield, USA",
        description="Postal address printed in newsletter footers (CAN-SPAM)",
    )
    contact_email: str = Field(
        default="hello@treatwise.example", description="Shown on /contact and the trust pages"
    )
    redis_url: str | None = Field(default=None, description="Shared rate limits across processes")
    mail_rate: float = Field(default=50.0, gt=0, description="Messages per second for the worker")
    data_dir: Path | None = Field(default=None, description="Knowledge-base folder override")
    trusted_proxies: str = Field(
        default="",
        description="Comma-separated addresses or networks of reverse proxies whose "
        "X-Forwarded-For is believed (empty: the peer address is the client)",
    )
    allowed_hosts: str = Field(
        default="",
        description="Comma-separated host names the app answers to (empty: any host)",
    )

    @model_validator(mode="after")
    def _valid_proxies(self) -> Settings:
        for item in self.proxy_networks:
            try:
                ipaddress.ip_network(item, strict=False)
            except ValueError:
                raise ValueError(
                    f"TREATWISE_TRUSTED_PROXIES: {item!r} is not an address or network "
                    "(for example 127.0.0.1 or 10.0.0.0/8)"
                ) from None
        return self

    @model_validator(mode="after")
    def _safe_secret(self) -> Settings:
        if self.env != "development" and self.secret_key == DEV_SECRET:
            raise ValueError("TREATWISE_SECRET_KEY must be set outside development")
        if self.env == "production" and len(self.secret_key) < MIN_SECRET_LENGTH:
            raise ValueError(
                f"TREATWISE_SECRET_KEY must have at least {MIN_SECRET_LENGTH} characters "
                "in production (for example: python -c 'import secrets; "
                "print(secrets.token_urlsafe(32))')"
            )
        return self

    @property
    def uses_unchosen_dev_secret(self) -> bool:
        """The public development key, without anyone having asked for a development run.

        A server started with neither ``TREATWISE_ENV`` nor ``TREATWISE_SECRET_KEY``
        would sign tokens (and hash forgotten addresses) with a key anyone can read.
        """
        return self.secret_key == DEV_SECRET and "env" not in self.model_fields_set

    @property
    def proxy_networks(self) -> tuple[str, ...]:
        """``trusted_proxies`` as a tuple of addresses or networks."""
        return tuple(p.strip() for p in self.trusted_proxies.split(",") if p.strip())

    @property
    def host_names(self) -> tuple[str, ...]:
        """``allowed_hosts`` as a tuple of host names."""
        return tuple(h.strip() for h in self.allowed_hosts.split(",") if h.strip())
