"""Comparison renderers: the JSON contract, Markdown sections, the Rich table, numbered sources."""

from __future__ import annotations

import json
import re
from io import StringIO

from rich.console import Console

from treatwise.domain.compare import ROW_IDS, compare
from treatwise.knowledge import KnowledgeBase
from treatwise.knowledge.schema import Reference
from treatwise.render.compare import (
    citation_numbers,
    cite_text,
    comparison_document,
    comparison_json,
    comparison_markdown,
    comparison_table,
    md_escape,
    reference_line,
)


def test_document_shape(kb: KnowledgeBase) -> None:
    c = compare(kb, "microneedling", "mesotherapy")
    doc = comparison_document(c, kb)
    assert (doc["a"], doc["b"]) == ("microneedling", "mesotherapy")
    assert doc["names"] == {"a": "Microneedling", "b": "Mesotherapy"}
    assert [row["id"] for row in doc["rows"]] == list(ROW_IDS)
    assert doc["disclaimer"] == kb.rules.disclaimer and doc["kb_version"] == kb.version
    numbers = [entry["number"] for entry in doc["references"].values()]
    assert numbers == list(range(1, len(numbers) + 1))
    for row in doc["rows"]:
        for side in ("a", "b"):
            cell = row[side]
            assert set(cell) == {"text", "references", "citations", "items"}
            assert cell["references"], row["id"]
            expected = sorted({doc["references"][ref]["number"] for ref in cell["references"]})
            assert cell["citations"] == expected
    point = doc["differences"][0]
    assert set(point) == {
        "kind",
        "subject",
        "label",
        "a",
        "b",
        "a_key",
        "b_key",
        "more",
        "references",
        "citations",
    }
    s01 = doc["references"]["s01"]
    assert s01["number"] == 1 and s01["link"] == "https://doi.org/10.1097/DSS.0000000000000924"


def test_json_is_stable_text(kb: KnowledgeBase) -> None:
    c = compare(kb, "prp", "topical-minoxidil")
    text = comparison_json(c, kb)
    assert text == comparison_json(compare(kb, "prp", "topical-minoxidil"), kb)
    assert json.loads(text)["similarities"] is not None and text.endswith("}\n")


def test_markdown_sections_and_sources(kb: KnowledgeBase) -> None:
    c = compare(kb, "microneedling", "mesotherapy")
    md = comparison_markdown(c, kb)
    assert md.startswith("# Microneedling vs Mesotherapy\n")
    for row in c.rows:
        assert f"## {md_escape(row.label)}\n" in md
    assert "**Microneedling.**" in md and "**Mesotherapy.**" in md
    assert "- **Acne scars** (moderate):" in md
    numbers = citation_numbers(c, kb)
    last = max(numbers.values())
    assert f"\n{last}. " in md.split("## Sources")[1]
    cited = {int(n) for group in re.findall(r"\[([0-9, ]+)\]", md) for n in group.split(", ")}
    assert cited == set(numbers.values())  # every listed source is cited, and only those


def test_table_has_every_row(kb: KnowledgeBase) -> None:
    c = compare(kb, "microneedling", "mesotherapy")
    out = StringIO()
    Console(file=out, width=300, color_system=None).print(comparison_table(c, kb))
    text = out.getvalue()
    for row in c.rows:
        assert row.label in text
    assert "Sources" in text and "[1] Hou A" in text
    assert "• Depth: 0.25–2.5 mm" in text  # items shown where the text does not sum them up
    assert " ".join(kb.rules.disclaimer.split()[:8]) in " ".join(text.split())


def test_helpers() -> None:
    assert md_escape("a*b_[c]<d>|#") == "a\\*b\\_\\[c\\]\\<d\\>\\|\\#"
    assert cite_text(["x", "s1", "s2"], {"s1": 2, "s2": 1}) == " [1, 2]"
    assert cite_text(["x"], {}) == ""
    ref = Reference(
        id="x1",
        title="A title?",
        publisher="Journal",
        year=2020,
        pmid="123",
        doi="10.1/x",
        study_type="rct",
        quality="high",
    )
    assert reference_line(ref) == "A title? Journal (2020). PMID 123; doi:10.1/x"
    url_only = Reference(
        id="x2",
        authors="Doe J.",
        title="T",
        publisher="Site",
        url="https://example.org/a",
        study_type="clinic-page",
        quality="low",
    )
    assert reference_line(url_only) == "Doe J. T. Site. https://example.org/a"
