"""Checks that health data is never written: files that hold a marker after a request."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def files_containing(marker: str, roots: list[Path], *, since: float) -> list[Path]:
    """Files modified since ``since`` under the roots whose bytes contain the marker."""
    found = []
    for root in roots:
        for dirpath, _, names in os.walk(root):
            for name in names:
                path = Path(dirpath) / name
                try:
                    if path.stat().st_mtime >= since and marker.encode() in path.read_bytes():
                        found.append(path)
                except OSError:
                    continue
    return found


def written_with(marker: str, folder: Path, *, since: float) -> list[Path]:
    """Files in ``folder`` or the system's temporary folder that hold the marker."""
    return files_containing(marker, [folder, Path(tempfile.gettempdir())], since=since)
