"""Helpers for the knowledge data-file tests: parse a file on its own, read the bibliography.

The data tests parse their files with the schema models directly (not through the
loader), so that a broken sibling file does not hide a problem in theirs.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from treatwise.knowledge.loader import default_data_dir
from treatwise.knowledge.schema import Reference, Treatment

DATA = default_data_dir()
# How strict each contraindication level is (a larger number is stricter).
STRICTNESS = {"none": -1, "caution": 0, "doctor_review": 1, "temporary": 2, "absolute": 3}


def read_yaml(path: Path) -> Any:
    """The decoded YAML of one data file."""
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def parse_treatment(path: Path) -> Treatment:
    """One treatment file, validated by the schema alone."""
    return Treatment.model_validate(read_yaml(path))


def read_bibliography() -> dict[str, Reference]:
    """Every reference, read as the loader reads them: ``references.yaml`` and ``references/``."""
    files = [DATA / "references.yaml", *sorted((DATA / "references").glob("*.yaml"))]
    refs: dict[str, Reference] = {}
    for path in files:
        if path.exists():
            for item in read_yaml(path)["references"]:
                ref = Reference.model_validate(item)
                refs[ref.id] = ref
    return refs


def cited_ids(data: Any) -> Iterator[str]:
    """Every id under a ``references`` key anywhere in decoded data, in order."""
    if isinstance(data, dict):
        for key, value in data.items():
            if key == "references":
                yield from value
            else:
                yield from cited_ids(value)
    elif isinstance(data, list | tuple):
        for item in data:
            yield from cited_ids(item)
