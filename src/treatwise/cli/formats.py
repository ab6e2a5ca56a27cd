"""The output formats of each CLI command, in one place (each command offers its own set)."""

from __future__ import annotations

from enum import StrEnum


class ArticleFormat(StrEnum):
    """``treatwise article --format``."""

    markdown = "markdown"
    html = "html"


class CompareFormat(StrEnum):
    """``treatwise compare --format``."""

    table = "table"
    markdown = "markdown"
    json = "json"


class DecideFormat(StrEnum):
    """``treatwise decide --format``."""

    text = "text"
    json = "json"


class MatrixFormat(StrEnum):
    """``treatwise kb matrix --format``."""

    markdown = "markdown"
    json = "json"


class PlanFormat(StrEnum):
    """``treatwise plan --format``."""

    text = "text"
    json = "json"
    markdown = "markdown"
