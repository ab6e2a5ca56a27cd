"""Settings from ``TREATWISE_*`` environment variables: the only module that reads the environment.

``Settings()`` is built once at the edge (CLI, ASGI factory) and handed down;
lower layers receive plain values (a database URL, a path, a sender address).
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEV_SECRET = "dev-insecure-secret-change-me"


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

    @model_validator(mode="after")
    def _safe_secret(self) -> Settings:
        if self.env != "development" and self.secret_key == DEV_SECRET:
            raise ValueError("TREATWISE_SECRET_KEY must be set outside development")
        return self
