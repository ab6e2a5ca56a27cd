"""Settings refuse the development secret outside development, and the CLI says so plainly."""

from __future__ import annotations

import pytest
from pydantic import ValidationError
from typer.testing import CliRunner

from treatwise.cli import app
from treatwise.config import DEV_SECRET, Settings


def test_development_runs_with_the_default_secret() -> None:
    assert Settings(env="development").secret_key == DEV_SECRET


@pytest.mark.parametrize("env", ["test", "production"])
def test_other_environments_need_a_secret(env: str) -> None:
    with pytest.raises(ValidationError, match="TREATWISE_SECRET_KEY must be set"):
        Settings(env=env)  # type: ignore[arg-type]
    key = "s3cret-" * 6
    assert Settings(env=env, secret_key=key).secret_key == key  # type: ignore[arg-type]


def test_serve_refuses_an_unsafe_configuration(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TREATWISE_ENV", "production")
    monkeypatch.delenv("TREATWISE_SECRET_KEY", raising=False)
    result = CliRunner().invoke(app, ["serve", "--port", "8999"])
    assert result.exit_code == 2
    assert "TREATWISE_SECRET_KEY must be set" in result.output
    assert "Traceback" not in result.output


def test_serve_refuses_the_development_key_nobody_chose(monkeypatch: pytest.MonkeyPatch) -> None:
    """Neither TREATWISE_ENV nor TREATWISE_SECRET_KEY set: no server on the public key."""
    monkeypatch.delenv("TREATWISE_ENV", raising=False)
    monkeypatch.delenv("TREATWISE_SECRET_KEY", raising=False)
    result = CliRunner().invoke(app, ["serve", "--port", "8999"])
    assert result.exit_code == 2
    assert "TREATWISE_SECRET_KEY: not set" in result.output
    assert "Traceback" not in result.output
    assert not Settings(env="development").uses_unchosen_dev_secret  # make run's explicit choice


def test_serve_refuses_several_workers_without_shared_limits(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("TREATWISE_ENV", "development")
    monkeypatch.delenv("TREATWISE_REDIS_URL", raising=False)
    result = CliRunner().invoke(app, ["serve", "--port", "8999", "--workers", "2"])
    assert result.exit_code == 2
    assert "--workers 2: several workers need TREATWISE_REDIS_URL" in result.output


def test_production_needs_a_long_secret() -> None:
    with pytest.raises(ValidationError, match="at least 32 characters"):
        Settings(env="production", secret_key="short-but-not-the-dev-key")
    assert Settings(env="production", secret_key="k" * 32).env == "production"


def test_a_malformed_smtp_url_never_shows_its_password() -> None:
    from treatwise.newsletter.mailers import parse_smtp_url, redact_url

    for url in (
        "smtp://user:hunter2@relay:xx",
        "smpt://user:hunter2@relay:587",
        "smtp://:hunter2@",
        "smtp://user:hun@ter2@relay:xx",  # an unescaped @ in the password
    ):
        with pytest.raises(ValueError) as excinfo:
            parse_smtp_url(url)
        assert "hunter2" not in str(excinfo.value) and "ter" not in str(excinfo.value)
    assert redact_url("smtp://u:p%40ss@h:587") == "smtp://u:***@h:587"
