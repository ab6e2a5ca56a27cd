"""A writable copy of the packaged knowledge base, edited per test, and the problems it gives."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from treatwise.knowledge import KnowledgeBaseError, load
from treatwise.knowledge.loader import default_data_dir


def copy_data(tmp_path: Path) -> Path:
    """The packaged data files copied under ``tmp_path/data``."""
    target = tmp_path / "data"
    shutil.copytree(default_data_dir(), target)
    return target


def edit_yaml(path: Path, change: Callable[[Any], None]) -> None:
    """Load a YAML file, let ``change`` edit the data in place, write it back."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")


def problems_of(data_dir: Path) -> list[str]:
    """The loader's problems for this data, as ``file: field: message`` lines (it must fail)."""
    with pytest.raises(KnowledgeBaseError) as excinfo:
        load(data_dir)
    return [str(problem) for problem in excinfo.value.problems]
