"""Render a Comparison as a JSON document, Markdown, or a Rich table for a terminal.

Citations are numbered in reading order (row by row, ``a`` before ``b``); the
same numbers appear in every format, and the list of sources follows.

The JSON document (``comparison_document``; the CLI's ``--format json`` and
``GET /api/v1/compare``) is a stable contract::

    {
      "a": "microneedling", "b": "mesotherapy",
      "names": {"a": "Microneedling", "b": "Mesotherapy"},
      "kb_version": "…",
      "rows": [
        {"id": "mechanism", "label": "How it works",
         "a": {"text": "…", "references": ["s01"], "citations": [1],
               "items": [{"label": "…", "text": "…", "tag": "moderate" | null,
                          "detail": "…", "references": ["s03"], "citations": [2]}]},
         "b": {…}},
        …
      ],
      "differences": [{"kind": "evidence", "subject": "acne-scars",
                       "label": "Evidence for acne scars", "a": "moderate", "b": "very low",
                       "a_key": "moderate", "b_key": "very_low", "more": "a" | "b" | null,
                       "references": ["s03"], "citations": [2]}, …],
      "similarities": [same shape],
      "references": {"s01": {"number": 1, "title": "…", "authors": "…" | null,
                             "publisher": "…", "year": 2017 | null, "pmid": … | null,
                             "doi": … | null, "url": … | null, "link": "https://…" | null,
                             "study_type": "review", "quality": "moderate"}, …},
      "disclaimer": "…"
    }

Row ids are those of ``treatwise.domain.compare.ROWS``, always all of them and
in that order. ``references`` lists every cited source once, in citation
order. Keys are only ever added, never renamed.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from rich.console import Group
from rich.table import Table
from rich.text import Text

from treatwise.domain.compare import Cell, Comparison, Contrast, Item
from treatwise.knowledge import KnowledgeBase
from treatwise.knowledge.schema import Reference
from treatwise.knowledge.words import EVIDENCE_SHORT, LEVEL_PHRASES
from treatwise.render.html_footnotes import Footnote

SUMMARISED = frozenset(
    {
        "treats",
        "harms",
        "benefits",
        "regulation",
        "combinations",
        "contraindications",
        "key-differences",
        "key-similarities",
    }
)
"""Rows whose cell text already says what the items say (the table shows only the text)."""

TAG_WORDS: dict[str, str] = {**EVIDENCE_SHORT, **LEVEL_PHRASES}


def citation_numbers(comparison: Comparison, kb: KnowledgeBase) -> dict[str, int]:
    """Reference id → citation number, in reading order; ids missing from the KB are left out."""
    known = [ref for ref in comparison.references if ref in kb.references]
    return {ref: n for n, ref in enumerate(known, start=1)}


def reference_link(reference: Reference) -> str | None:
    """Where a reader can find the source (the same rule as the web pages' footnotes)."""
    return Footnote(0, reference).link


def reference_line(reference: Reference) -> str:
    """``Authors. Title. Publisher (year). PMID 123; doi:10.…`` (else the URL) in plain text."""
    parts = [p.strip() for p in (reference.authors or "", reference.title, reference.publisher)]
    head = " ".join(_stop(p) for p in parts if p)
    if reference.year and str(reference.year) not in head:
        head = f"{head[:-1]} ({reference.year})."
    ids = [
        f"PMID {reference.pmid}" if reference.pmid else "",
        f"doi:{reference.doi}" if reference.doi else "",
    ]
    where = "; ".join(i for i in ids if i) or (reference.url or "")
    return f"{head} {where}".strip()


def _stop(text: str) -> str:
    return text if text[-1] in ".?!" else f"{text}."


def _marks(refs: Iterable[str], numbers: Mapping[str, int]) -> list[int]:
    return sorted({numbers[r] for r in refs if r in numbers})


def cite_text(refs: Iterable[str], numbers: Mapping[str, int]) -> str:
    """`` [1, 3]`` for these references ("" when none is known)."""
    marks = _marks(refs, numbers)
    return f" [{', '.join(str(n) for n in marks)}]" if marks else ""


# --- JSON -------------------------------------------------------------------------------


def comparison_document(comparison: Comparison, kb: KnowledgeBase) -> dict[str, Any]:
    """The comparison as the stable JSON-ready document described in the module docstring."""
    numbers = citation_numbers(comparison, kb)
    return {
        "a": comparison.a.id,
        "b": comparison.b.id,
        "names": {"a": comparison.a.name, "b": comparison.b.name},
        "kb_version": kb.version,
        "rows": [
            {
                "id": row.id,
                "label": row.label,
                "a": _cell_json(row.a, numbers),
                "b": _cell_json(row.b, numbers),
            }
            for row in comparison.rows
        ],
        "differences": [_contrast_json(c, numbers) for c in comparison.differences],
        "similarities": [_contrast_json(c, numbers) for c in comparison.similarities],
        "references": {ref: _reference_json(kb.references[ref], n) for ref, n in numbers.items()},
        "disclaimer": kb.rules.disclaimer,
    }


def comparison_json(comparison: Comparison, kb: KnowledgeBase) -> str:
    """The document as indented JSON; the same comparison always gives the same bytes."""
    return json.dumps(comparison_document(comparison, kb), indent=2, ensure_ascii=False) + "\n"


def _cell_json(cell: Cell, numbers: Mapping[str, int]) -> dict[str, Any]:
    return {
        "text": cell.text,
        "references": list(cell.references),
        "citations": _marks(cell.references, numbers),
        "items": [_item_json(item, numbers) for item in cell.items],
    }


def _item_json(item: Item, numbers: Mapping[str, int]) -> dict[str, Any]:
    return {
        "label": item.label,
        "text": item.text,
        "tag": item.tag,
        "detail": item.detail,
        "references": list(item.references),
        "citations": _marks(item.references, numbers),
    }


def _contrast_json(point: Contrast, numbers: Mapping[str, int]) -> dict[str, Any]:
    return {
        "kind": point.kind,
        "subject": point.subject,
        "label": point.label,
        "a": point.a,
        "b": point.b,
        "a_key": point.a_key,
        "b_key": point.b_key,
        "more": point.more,
        "references": list(point.references),
        "citations": _marks(point.references, numbers),
    }


def _reference_json(reference: Reference, number: int) -> dict[str, Any]:
    fields = (
        "title",
        "authors",
        "publisher",
        "year",
        "pmid",
        "doi",
        "url",
        "study_type",
        "quality",
    )
    data: dict[str, Any] = {"number": number}
    data.update({name: getattr(reference, name) for name in fields})
    data["link"] = reference_link(reference)
    return data


# --- Markdown ---------------------------------------------------------------------------


def md_escape(text: str) -> str:
    """Escape the characters CommonMark would read as markup inside running text."""
    return "".join(f"\\{ch}" if ch in "\\*_`[]<>|#" else ch for ch in text)


def comparison_markdown(comparison: Comparison, kb: KnowledgeBase) -> str:
    """Every row as a section with one paragraph (and list) per treatment, then the sources."""
    numbers = citation_numbers(comparison, kb)
    a, b = comparison.a, comparison.b
    lines = [f"# {md_escape(a.name)} vs {md_escape(b.name)}", ""]
    for row in comparison.rows:
        lines += [f"## {md_escape(row.label)}", ""]
        for name, cell in ((a.name, row.a), (b.name, row.b)):
            lines += _cell_markdown(name, cell, numbers, summarised=row.id in SUMMARISED)
    lines += ["## Sources", ""]
    lines += [f"{n}. {md_escape(reference_line(kb.references[ref]))}" for ref, n in numbers.items()]
    lines += ["", f"*{md_escape(kb.rules.disclaimer)}*", ""]
    return "\n".join(lines)


def _cell_markdown(
    name: str, cell: Cell, numbers: Mapping[str, int], *, summarised: bool
) -> list[str]:
    lines = [
        f"**{md_escape(name)}.** {md_escape(cell.text)}{cite_text(cell.references, numbers)}",
        "",
    ]
    if cell.items:
        lines += [f"- {_item_line(item, numbers, full=not summarised)}" for item in cell.items]
        lines.append("")
    return lines


def _item_line(item: Item, numbers: Mapping[str, int], *, full: bool) -> str:
    tag = f" ({TAG_WORDS.get(item.tag, item.tag)})" if item.tag and item.tag in TAG_WORDS else ""
    label = f"**{md_escape(item.label)}**{tag}: " if item.label else ""
    detail = f" {md_escape(item.detail)}" if full and item.detail else ""
    return f"{label}{md_escape(item.text)}{detail}{cite_text(item.references, numbers)}"


# --- Rich table ---------------------------------------------------------------------------


def comparison_table(comparison: Comparison, kb: KnowledgeBase) -> Group:
    """A Rich table (row label, then one column per treatment) followed by the sources."""
    numbers = citation_numbers(comparison, kb)
    table = Table(title=f"{comparison.a.name} vs {comparison.b.name}", show_lines=True, expand=True)
    table.add_column("", style="bold", ratio=1)
    table.add_column(comparison.a.name, ratio=3)
    table.add_column(comparison.b.name, ratio=3)
    for row in comparison.rows:
        summarised = row.id in SUMMARISED
        table.add_row(
            row.label,
            _cell_text(row.a, numbers, summarised=summarised),
            _cell_text(row.b, numbers, summarised=summarised),
        )
    sources = Text("Sources\n", style="bold")
    for ref, n in numbers.items():
        sources.append(f"[{n}] {reference_line(kb.references[ref])}\n", style="")
    return Group(table, sources, Text(kb.rules.disclaimer, style="italic"))


def _cell_text(cell: Cell, numbers: Mapping[str, int], *, summarised: bool) -> Text:
    text = Text(cell.text + cite_text(cell.references, numbers))
    if not summarised:
        for item in cell.items:
            text.append("\n• ")
            text.append(f"{item.label}: " if item.label else "", style="bold")
            text.append(item.text + cite_text(item.references, numbers))
    return text
