"""The generated article: every section for every pair, numbered citations, safe HTML."""

from __future__ import annotations

import dataclasses
import re
from itertools import permutations
from types import MappingProxyType

import pytest

from treatwise.domain.articles import pairs, shared_concerns
from treatwise.domain.compare import CompareError, compare
from treatwise.knowledge import KnowledgeBase
from treatwise.knowledge.readability import grade
from treatwise.knowledge.schema import Cited, Contraindication, Reference
from treatwise.render.article import (
    article_info,
    article_markdown,
    doctor_lines,
    evidence_lines,
    markdown_to_html,
    prose,
    reference_entry,
    render_article,
    shared_conditions,
)
from treatwise.render.html_footnotes import Footnote

SECTIONS = (
    "## The quick answer",
    "## At a glance",
    "## Where in the skin each one acts",
    "## How each works",
    "## What each one helps",
    "## Risks",
    "## How to choose",
    "## When to see a doctor",
    "## References",
    "## About this article",
)
WORD_BUDGET = 2500
"""Words in the whole article, sources included (issue 14)."""
GRADE_LIMIT = 8.0
"""Flesch–Kincaid grade of its prose (tables and the list of sources left out)."""
CITATION = re.compile(r"\[(\d+)\]\(#ref-(\d+)\)")


def _with(kb: KnowledgeBase, *treatments: object) -> KnowledgeBase:
    merged = {**kb.treatments, **{t.id: t for t in treatments}}  # type: ignore[attr-defined]
    return dataclasses.replace(kb, treatments=MappingProxyType(merged))


def _check_citations(md: str) -> int:
    body, refs = md.split("\n## References\n")
    listed = re.findall(r"^(\d+)\. ", refs.split("\n## About this article")[0], re.M)
    numbers = [int(n) for n in listed]
    assert numbers == list(range(1, len(numbers) + 1))
    cited = {int(n) for n, anchor in CITATION.findall(body) if n == anchor}
    assert cited == set(numbers)  # every source is cited, every citation is listed
    first_use = [int(n) for n, _ in CITATION.findall(body)]
    seen: list[int] = []
    for n in first_use:
        if n not in seen:
            seen.append(n)
    assert seen == sorted(seen)  # numbered in reading order
    return len(numbers)


def _words(md: str) -> int:
    text = re.sub(r"\]\(#ref-\d+\)|\(/[^)]*\)|<https?://[^>]*>", " ", md)
    return len(re.findall(r"[A-Za-z0-9]+(?:['’-][A-Za-z0-9]+)*", text))


def _prose(md: str) -> str:
    body = md.split("\n## References\n")[0]
    return "\n".join(line for line in body.splitlines() if not line.startswith("|"))


def test_every_pair_has_every_section_and_numbered_citations(kb: KnowledgeBase) -> None:
    for a, b in permutations(kb.treatments, 2):
        if not shared_concerns(kb, a, b):
            continue
        md = render_article(kb, a, b)
        positions = [md.index(heading + "\n") for heading in SECTIONS]
        assert positions == sorted(positions), (a, b)
        assert md.startswith(f"# {kb.treatments[a].name} vs {kb.treatments[b].name}\n")
        assert kb.rules.disclaimer in md
        assert "Updated " in md and "Medical review:" in md
        count = _check_citations(md)
        assert count >= 5
        html = markdown_to_html(md)
        ids = set(re.findall(r'<li id="ref-(\d+)">', html))
        hrefs = set(re.findall(r'href="#ref-(\d+)"', html))
        assert ids == hrefs == {str(n) for n in range(1, count + 1)}


def test_every_article_is_short_and_plain(kb: KnowledgeBase) -> None:
    """Issue 14: a piece a person finishes: at most 2,500 words in all, grade 8 or less."""
    seen = 0
    for p in pairs(kb):
        md = render_article(kb, p.a, p.b)
        assert _words(md) <= WORD_BUDGET, (p.slug, _words(md))
        assert grade(_prose(md)) <= GRADE_LIMIT, (p.slug, grade(_prose(md)))
        seen += 1
    assert seen >= 20


def test_no_template_seams(kb: KnowledgeBase) -> None:
    """No knowledge-base version hash, rule or reference ids, or capitalised names mid-sentence."""
    for p in pairs(kb):
        md = render_article(kb, p.a, p.b)
        assert kb.version not in md
        assert not re.search(r"\bR\d\d[a-z]?\b", md), p.slug
        assert not re.search(r"\[@|\bs\d{2,3}\b", md), p.slug
        assert "(more)" not in md
        for t in (kb.treatments[p.a], kb.treatments[p.b]):
            assert f"Both {t.name}" not in md and f"and {t.name} are" not in md


def test_first_pair_reads_right(kb: KnowledgeBase) -> None:
    md = render_article(kb, "microneedling", "mesotherapy")
    assert "Both are used for acne scars" in md
    assert "For acne scars, the evidence is stronger for microneedling." in md
    assert "| Acne scars | moderate certainty | very low certainty " in md
    assert "| Needles or injections | Needles, but nothing needs to be injected" in md
    assert "- Microneedling: 0.25–2.5 mm below the surface." in md
    assert "If you would rather avoid injections, there are none with microneedling." in md
    assert "Better evidence for microneedling: acne scars" in md
    assert "- Pregnancy\n" in md.split("## When to see a doctor")[1]
    assert "After mesotherapy, call the clinic or a doctor if you notice:" in md
    assert "Rare but serious:" in md and "Less common:" in md
    assert "how sure researchers are" in md


def test_only_pairs_that_share_a_concern_get_an_article(kb: KnowledgeBase) -> None:
    slugs = {p.slug for p in pairs(kb)}
    assert "microneedling-vs-mesotherapy" in slugs
    assert "cryolipolysis-vs-topical-minoxidil" not in slugs
    assert not shared_concerns(kb, "cryolipolysis", "topical-minoxidil")


def test_identical_data_says_there_is_no_difference(kb: KnowledgeBase) -> None:
    twin = kb.treatments["microneedling"].model_copy(update={"id": "twin-needling", "name": "Twin"})
    md = render_article(_with(kb, twin), "microneedling", "twin-needling")
    assert "The evidence is about as strong for both, for every concern they share." in md
    assert "For acne scars, the evidence is about as strong for both." in md


def test_html_draws_the_diagram_with_its_text_alternative(kb: KnowledgeBase) -> None:
    html = render_article(kb, "microneedling", "mesotherapy", fmt="html", standalone=False)
    assert html.count('<figure class="diagram"><svg') == 1
    figure = html.split('<figure class="diagram">')[1].split("</figure>")[0]
    assert 'role="img"' in figure and "<title id=" in figure and "<desc id=" in figure
    after = html.split("</figure>")[1]
    assert after.lstrip().startswith("<ul>") and "0.25–2.5 mm below the surface" in after


def test_data_cannot_inject_markup(kb: KnowledgeBase) -> None:
    evil = "<script>alert(1)</script> *loud* [click](javascript:alert(1)) | # _x_"
    micro = kb.treatments["microneedling"]
    bad = micro.model_copy(update={"mechanism": Cited(text=evil, references=("s01",))})
    html = render_article(
        _with(kb, bad), "microneedling", "mesotherapy", fmt="html", standalone=False
    )
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert 'href="javascript' not in html and "<em>loud</em>" not in html
    assert "*loud*" in html


def test_formats_and_info(kb: KnowledgeBase) -> None:
    page = render_article(kb, "prp", "microneedling", fmt="html")
    assert page.startswith("<!doctype html>") and "<title>Platelet-rich plasma (PRP) vs" in page
    fragment = render_article(kb, "prp", "microneedling", fmt="html", standalone=False)
    assert fragment.startswith("<h1>") and "<html" not in fragment
    assert '<table class="stack">' in fragment and "<th>Concern</th>" in fragment
    assert '<td data-label="Microneedling">' in fragment  # a card per row on a phone
    assert fragment.count("<figure") == 1 and page.count("<figure") == 1
    with pytest.raises(ValueError, match="valid: markdown, html"):
        render_article(kb, "prp", "microneedling", fmt="pdf")  # type: ignore[arg-type]
    with pytest.raises(CompareError):
        render_article(kb, "prp", "nope")
    info = article_info(kb, "microneedling", "mesotherapy")
    assert info.title == "Microneedling vs Mesotherapy"
    assert info.slug == "microneedling-vs-mesotherapy"
    assert info.updated == kb.treatments["microneedling"].review.last_reviewed
    assert info.summary.startswith("Microneedling or mesotherapy? The quick answer")
    c = compare(kb, "microneedling", "mesotherapy")
    assert article_markdown(kb, c) == render_article(kb, "microneedling", "mesotherapy")


def test_evidence_and_doctor_lines(kb: KnowledgeBase) -> None:
    micro, meso = kb.treatments["microneedling"], kb.treatments["mesotherapy"]
    lines = evidence_lines(kb, micro, meso)
    acne = next(e for e in lines if e.concern == "acne-scars")
    assert (acne.level_a, acne.level_b, acne.better) == ("moderate", "very_low", "a")
    assert all(not (e.level_a == e.level_b == "not_indicated") for e in lines)
    doctor = doctor_lines(kb, micro, meso)
    bleeding = next(d for d in doctor if d.condition == "bleeding-disorder")
    red_flag = kb.conditions["bleeding-disorder"].red_flag
    assert red_flag is not None and bleeding.text == red_flag.text
    odd = Contraindication(
        condition="zz-unknown", level="absolute", text="Never.", references=("s01",)
    )
    odd_micro = micro.model_copy(
        update={
            "contraindications": (*micro.contraindications, odd),
            "indications": (
                *micro.indications,
                micro.indications[0].model_copy(update={"concern": "zz-c"}),
            ),
        }
    )
    last = doctor_lines(kb, odd_micro, meso)[-1]
    assert (last.name, last.text, last.references) == ("zz-unknown", "Never.", ("s01",))
    assert evidence_lines(kb, odd_micro, meso)[-1].name == "zz-c"


def test_shared_conditions_strictest_first(kb: KnowledgeBase) -> None:
    c = compare(kb, "microneedling", "mesotherapy")
    groups = shared_conditions(c.similarities)
    # Issue 11: a weakened immune system is doctor review in a clinic, ruled out elsewhere.
    assert [g[0] for g in groups] == [
        "absolute",
        "temporary",
        "doctor_review",
        "doctor_review|absolute",
    ]
    assert all(g[3] for g in groups)


def test_prose_and_reference_entries() -> None:
    assert prose([]) == "" and prose(["a"]) == "a" and prose(["a", "b"]) == "a and b"
    assert prose(["a", "b", "c"]) == "a, b and c"
    assert prose(["a, x", "b", "c"]) == "a, x; b; and c"
    url = Reference(
        id="x1",
        title="Page",
        publisher="Clinic",
        url="https://example.org/a_b",
        study_type="clinic-page",
        quality="low",
    )
    assert reference_entry(Footnote(1, url)) == "Page. Clinic. <https://example.org/a_b>"
    spaced = url.model_copy(update={"url": "https://example.org/a b"})
    assert "<" not in reference_entry(Footnote(1, spaced))
    doi = Reference(
        id="x2", title="T", publisher="J", doi="10.1/x", study_type="rct", quality="high"
    )
    assert reference_entry(Footnote(1, doi)) == "T. J. doi:10.1/x <https://doi.org/10.1/x>"
