"""Browser fixtures: the real server on a free port, Debian's Chromium via Playwright, vnu.

The server is ``treatwise serve`` (granian) in a subprocess with a temporary
SQLite database and Maildir; it is stopped by PID at the end of the session.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from support.browserkit import ROOT
from support.require import require

ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
VNU_JAR = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_ready(url: str, proc: subprocess.Popen[bytes], timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with code {proc.returncode}")
        try:
            with urllib.request.urlopen(url + "/healthz", timeout=1) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("server did not answer /healthz in time")


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Base URL of a live ``treatwise serve`` on 127.0.0.1."""
    tmp = tmp_path_factory.mktemp("server")
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "TREATWISE_ENV": "test",
        "TREATWISE_DATABASE_URL": f"sqlite:///{tmp / 'browser.db'}",
        "TREATWISE_MAILDIR": str(tmp / "mail"),
        "TREATWISE_SECRET_KEY": "browser-test-secret",
        "TREATWISE_BASE_URL": base,
    }
    command = [
        str(Path(sys.executable).parent / "treatwise"),
        "serve",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
    ]
    log = (tmp / "server.log").open("wb")
    proc = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        _wait_ready(base, proc)
        yield base
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


# Module scope: the sync Playwright API runs an event loop in the main thread while it is
# open; closing it after each module keeps later asyncio tests (newsletter) working.
@pytest.fixture(scope="module")
def browser(chromium_path: str) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture(scope="session")
def vnu() -> list[str]:
    """The command that runs the Nu HTML checker on files (JSON on stdout)."""
    require(shutil.which("java") is not None, "java", "apt-get install default-jre-headless")
    require(VNU_JAR.exists(), "vnu.jar", "run `make system` (npm install vnu-jar)")
    return ["java", "-jar", str(VNU_JAR), "--format", "json", "--stdout"]
