"""The safety matrix as Markdown (docs/safety-matrix.md), JSON (``treatwise kb matrix``) and
the per-treatment rows table of docs/decision-aid.md.

Readers' text (the Markdown matrix, the web page) uses plain words and numbered
sources, never rule or reference ids; the JSON and the maintainers' rows table
(decision-aid.md) keep the ids, since tools and maintainers need them.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from treatwise.domain.safety import Cell, CellStatus, Matrix
from treatwise.knowledge import KnowledgeBase
from treatwise.knowledge.schema import SETTINGS, Reference

STATUS_LABELS: dict[str, str] = {
    "not_suitable": "Not suitable",
    "wait": "Wait",
    "doctor_review": "Doctor first",
    "caution": "With care",
    "suitable": "No known restriction",
    "undecided": "Not yet reviewed",
}
"""Plain words for a cell's status (the page and the Markdown matrix)."""

STATUS_MEANINGS: dict[str, str] = {
    "not_suitable": "do not have this treatment",
    "wait": "wait until the condition has passed, then ask again",
    "doctor_review": "only after a doctor has assessed you",
    "caution": "possible, with the precautions named",
    "suitable": "nothing known makes this condition a reason to avoid the treatment",
    "undecided": "the knowledge base does not yet decide this pair",
}

SETTING_WORDS: dict[str, str] = {"medical": "in a clinic", "salon": "in a salon", "home": "at home"}


def cell_label(cell: Cell) -> str:
    """The status in plain words, split by setting where the settings differ."""
    if cell.uniform:
        return STATUS_LABELS[cell.by_setting[0][1]]
    return "; ".join(
        f"{STATUS_LABELS[status]} {_settings(settings)}" for status, settings in cell.groups()
    )


def _settings(settings: Iterable[str]) -> str:
    words = [SETTING_WORDS[s] for s in settings]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]


def reference_link(reference: Reference) -> str | None:
    """Where a reader finds the source: URL, else DOI, else PubMed."""
    if reference.url:
        return reference.url
    if reference.doi:
        return f"https://doi.org/{reference.doi}"
    if reference.pmid:
        return f"https://pubmed.ncbi.nlm.nih.gov/{reference.pmid}/"
    return None


class Numbers:
    """Numbers references in the order they are first cited."""

    def __init__(self) -> None:
        self.order: dict[str, int] = {}

    def cite(self, ids: Iterable[str]) -> str:
        numbers = [self.order.setdefault(i, len(self.order) + 1) for i in ids]
        return "".join(f"[{n}]" for n in numbers)


def _cell_text(cell: Cell, numbers: Numbers) -> str:
    """Why: each entry's text (with settings or a 'when' where they narrow it) and sources."""
    parts = []
    for entry in cell.entries:
        scope = []
        if len(entry.settings) < len(SETTINGS):
            scope.append(_settings(entry.settings))
        if entry.when:
            scope.append(entry.when)
        prefix = f"{STATUS_LABELS[entry.status]} ({', '.join(scope)}): " if scope else ""
        parts.append(f"{prefix}{entry.text} {numbers.cite(entry.references)}".strip())
    return " ".join(parts) if parts else STATUS_MEANINGS["undecided"].capitalize() + "."


def _md(text: str) -> str:
    return " ".join(text.replace("|", "\\|").split())


def matrix_markdown(kb: KnowledgeBase, matrix: Matrix) -> str:
    """docs/safety-matrix.md: the overview table, one section per treatment, numbered sources."""
    names = {t: kb.treatments[t].name for t in matrix.treatments}
    lines = [
        "# Who should not have each treatment",
        "",
        "<!-- Generated from the knowledge base by `treatwise kb matrix --format markdown`;",
        "     do not edit by hand. tests/domain/test_safety_matrix.py fails when it is stale. -->",
        "",
        "For every treatment and every health condition the decision aid asks about, what "
        "the condition means for the treatment, why, and the sources. The decision aid "
        "applies exactly these decisions. Statuses:",
        "",
        *[f"- **{STATUS_LABELS[s]}**: {STATUS_MEANINGS[s]}." for s in STATUS_LABELS],
        "",
        "Where the answer depends on where the treatment is done, the cell names the "
        "setting (in a clinic, in a salon, at home).",
        "",
        "## Overview",
        "",
        "| Condition | " + " | ".join(_md(names[t]) for t in matrix.treatments) + " |",
        "|---" * (len(matrix.treatments) + 1) + "|",
    ]
    for condition in matrix.conditions:
        cells = [cell_label(matrix.cell(t, condition)) for t in matrix.treatments]
        lines.append(f"| {_md(kb.conditions[condition].name)} | " + " | ".join(cells) + " |")
    numbers = Numbers()
    for treatment in matrix.treatments:
        lines += [
            "",
            f"## {names[treatment]}",
            "",
            "| Condition | Status | Why |",
            "|---|---|---|",
        ]
        for cell in matrix.row(treatment):
            name = _md(kb.conditions[cell.condition].name)
            lines.append(f"| {name} | {cell_label(cell)} | {_md(_cell_text(cell, numbers))} |")
    lines += ["", "## Sources", ""]
    for ref_id, number in numbers.order.items():
        ref = kb.references[ref_id]
        link = reference_link(ref)
        title = f"[{_md(ref.title)}]({link})" if link else _md(ref.title)
        year = f", {ref.year}" if ref.year else ""
        lines.append(f"{number}. {title}. {_md(ref.publisher)}{year}.")
    return "\n".join(lines) + "\n"


def matrix_json(matrix: Matrix) -> str:
    """The matrix for tools: ids, statuses per setting, entries with rule and reference ids."""
    data: dict[str, Any] = {
        "treatments": list(matrix.treatments),
        "conditions": list(matrix.conditions),
        "cells": [
            {
                "treatment": cell.treatment,
                "condition": cell.condition,
                "status": cell.status,
                "by_setting": dict(cell.by_setting),
                "entries": [
                    {
                        "status": e.status,
                        "settings": list(e.settings),
                        "text": e.text,
                        "references": list(e.references),
                        "source": e.source,
                        "rule": e.rule,
                        "when": e.when,
                    }
                    for e in cell.entries
                ],
            }
            for cell in matrix.cells.values()
        ],
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def rows_markdown(kb: KnowledgeBase, matrix: Matrix) -> str:
    """docs/decision-aid.md (maintainers): every treatment's rows and rules, with sources."""
    lines = ["### Every treatment's rows (`treatments/*.yaml` and condition rules)", ""]
    for treatment in matrix.treatments:
        lines += [
            f"#### {kb.treatments[treatment].name} (`{treatment}`)",
            "",
            "| Condition | Decided | Row or rule | Settings | Text | References |",
            "|---|---|---|---|---|---|",
        ]
        for cell in matrix.row(treatment):
            for entry in cell.entries or ():
                what = entry.rule or "row"
                if entry.source == "rule":
                    what = f"rule {entry.rule}" + (f" ({entry.when})" if entry.when else "")
                elif entry.rule:
                    what = f"row {entry.rule}"
                lines.append(
                    f"| {cell.condition} | {_status_id(entry.status)} | {_md(what)} | "
                    f"{', '.join(entry.settings)} | {_md(entry.text)} | "
                    f"{', '.join(entry.references) or '(none)'} |"
                )
            if not cell.entries:
                lines.append(
                    f"| {cell.condition} | undecided | (none) | (none) | (none) | (none) |"
                )
        lines.append("")
    return "\n".join(lines)


def _status_id(status: CellStatus) -> str:
    return "no known restriction" if status == "suitable" else status


__all__ = [
    "STATUS_LABELS",
    "STATUS_MEANINGS",
    "cell_label",
    "matrix_json",
    "matrix_markdown",
    "reference_link",
    "rows_markdown",
]
