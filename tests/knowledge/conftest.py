"""Knowledge-base test fixtures: a writable copy of the packaged data."""

from __future__ import annotations

from pathlib import Path

import pytest
from support.kbcopy import copy_data


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A copy of the packaged data files that a test may edit."""
    return copy_data(tmp_path)
