"""Shared fixtures: the packaged knowledge base, chromium and PostgreSQL.

Browser and PostgreSQL tests need Debian's chromium and a server on
127.0.0.1:5432. On a laptop without them they skip with a hint; under CI
(``TREATWISE_REQUIRE_ALL=1``) a missing part fails the run instead
(``support.require``). The shared helpers are in tests/support; see tests/README.md.
"""

from __future__ import annotations

import os
import shutil
import socket
from pathlib import Path

import pytest
from support.require import require

from treatwise.knowledge import KnowledgeBase, load

CHROMIUM = "/usr/bin/chromium"
POSTGRES_URL = os.environ.get(
    "TREATWISE_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


def _postgres_up() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 5432), timeout=1):
            return True
    except OSError:
        return False


@pytest.fixture(scope="session")
def kb() -> KnowledgeBase:
    """The packaged knowledge base, loaded once."""
    return load()


@pytest.fixture(scope="session")
def chromium_path() -> str:
    """Debian's chromium for Playwright (never `playwright install`)."""
    require(
        shutil.which("chromium") is not None or Path(CHROMIUM).exists(),
        "chromium",
        "run `make system` (apt-get install chromium)",
    )
    return CHROMIUM


@pytest.fixture(scope="session")
def postgres_url() -> str:
    """URL of the PostgreSQL test database (127.0.0.1:5432, trust auth, database `test`)."""
    require(_postgres_up(), "PostgreSQL on 127.0.0.1:5432", "start it (see .ci/run)")
    return POSTGRES_URL
