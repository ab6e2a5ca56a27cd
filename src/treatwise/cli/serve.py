"""``treatwise serve``: run the web app under granian (chosen by measurement, see bench/)."""

from __future__ import annotations

from typing import Annotated

import typer
from pydantic import ValidationError

from treatwise.cli.common import BAD_INPUT
from treatwise.config import Settings


def serve_command(
    host: Annotated[str, typer.Option(help="Address to bind")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to bind", min=1, max=65535)] = 8000,
    workers: Annotated[int, typer.Option(help="Worker processes", min=1, max=64)] = 1,
) -> None:
    """Serve Treatwise over HTTP (the settings come from TREATWISE_* variables)."""
    from granian import Granian
    from granian.constants import Interfaces
    from granian.http import HTTP1Settings

    try:
        settings = Settings()  # fail fast, in the parent, on a bad configuration
    except ValidationError as exc:
        for error in exc.errors():
            where = ".".join(str(part) for part in error["loc"]) or "settings"
            typer.echo(f"error: {where}: {error['msg']}", err=True)
        raise typer.Exit(BAD_INPUT) from None
    for problem in refusals(settings, workers=workers):
        typer.echo(f"error: {problem}", err=True)
        raise typer.Exit(BAD_INPUT)
    typer.echo(f"Treatwise on http://{host}:{port} ({workers} worker(s)); Ctrl+C stops it")
    Granian(
        "treatwise.web.app:asgi",
        address=host,
        port=port,
        interface=Interfaces.ASGI,
        workers=workers,
        factory=True,
        log_access=False,
        http1_settings=HTTP1Settings(header_read_timeout=HEADER_TIMEOUT_MS),
        backpressure=BACKPRESSURE,
    ).serve()


HEADER_TIMEOUT_MS = 10_000
"""A client has 10 s to send its request headers (bodies: ``web/body_guard.py``)."""

BACKPRESSURE = 4096
"""Requests one worker holds at once: room for many slow clients while /healthz still answers."""


def refusals(settings: Settings, *, workers: int) -> list[str]:
    """Why this configuration must not serve (empty: it may)."""
    problems = []
    if settings.uses_unchosen_dev_secret:
        problems.append(
            "TREATWISE_SECRET_KEY: not set; set a secret key, or TREATWISE_ENV=development "
            "for a run on your own machine (make run does)"
        )
    if workers > 1 and not settings.redis_url:
        problems.append(
            f"--workers {workers}: several workers need TREATWISE_REDIS_URL, so that they "
            "share one sign-up rate limit (each would otherwise allow the full limit)"
        )
    return problems
