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
    assert Settings(env=env, secret_key="s3cret").secret_key == "s3cret"  # type: ignore[arg-type]


def test_serve_refuses_an_unsafe_configuration(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TREATWISE_ENV", "production")
    monkeypatch.delenv("TREATWISE_SECRET_KEY", raising=False)
    result = CliRunner().invoke(app, ["serve", "--port", "8999"])
    assert result.exit_code == 2
    assert "TREATWISE_SECRET_KEY must be set" in result.output
    assert "Traceback" not in result.output
