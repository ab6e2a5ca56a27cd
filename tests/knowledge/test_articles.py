"""Articles: parsing, the JAMA + readability gate, and the published pieces themselves."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from treatwise.cli import app
from treatwise.knowledge import KnowledgeBase, KnowledgeBaseError, load
from treatwise.knowledge.articles import (
    GRADE_FAIL,
    GRADE_WARN,
    Article,
    ArticleError,
    citations,
    dated_after,
    gate,
    parse,
)
from treatwise.knowledge.readability import count_syllables, grade, measure, prose_blocks

FIXTURES = Path(__file__).parent / "fixtures" / "articles"
DISCLOSURE = (
    "Treatwise is independent; it takes no money from device makers, drug companies or clinics."
)
REVIEWER = "Not yet reviewed by an independent clinician; review pending"
LATEST = dt.date(2026, 12, 6)  # the last corrections (issue 11: lasers split, grades refined)
runner = CliRunner()

FRONT = f"""---
title: A test article
slug: test-article
summary: A summary that is long enough to pass the minimum length.
kind: article
author: Treatwise editorial team
medical_reviewer: {REVIEWER}
disclosure: {DISCLOSURE}
published: 2026-03-01
updated: 2026-03-02
tags: [test]
treatments: [microneedling]
concerns: [acne-scars]
references: [s03, s09]
---
"""
BODY = "Needles make small wounds. The skin heals and makes collagen [@s03; @s09].\n"


def article(front: str = FRONT, body: str = BODY, **replace: str) -> str:
    for old, new in replace.items():
        front = front.replace(old, new)
    return front + "\n" + body


# --- the published pieces -------------------------------------------------------------

CORRECTED = dt.date(2026, 12, 6)  # issue 11's corrections (lasers split, grades and safety rows)
CORRECTED_SLUGS = {
    "isotretinoin-and-procedures",
    "stretch-marks-what-works",
    "microneedling-on-darker-skin",
    "home-rollers-vs-clinic-pens",
    "double-chin-options",
    "hair-loss-see-a-doctor-first",
    "microneedling-or-mesotherapy",
    "preparing-for-microneedling",
    "fat-dissolving-injections-risks",
    "what-is-injected-in-mesotherapy",
}


def test_corrections_are_dated_and_visible(kb: KnowledgeBase) -> None:
    """The editorial policy promises visible corrections: each corrected piece is dated and
    ends with a "What changed" note naming the date."""
    corrected = {slug for slug, a in kb.articles.items() if a.updated >= CORRECTED}
    assert corrected == CORRECTED_SLUGS
    for slug in corrected:
        body = kb.articles[slug].body
        last = body.rsplit("\n## ", 1)[-1]
        assert last.startswith("What changed\n"), slug
        assert "6 December 2026" in last, slug


def test_laser_articles_tell_the_two_kinds_apart(kb: KnowledgeBase) -> None:
    """The stretch-mark trial and the no-delay advice are about non-ablative lasers."""
    stretch = kb.articles["stretch-marks-what-works"]
    assert "non-ablative-laser" in stretch.treatments
    assert "fractional-laser" not in stretch.treatments
    assert "/treatments/non-ablative-laser" in stretch.body
    assert "/treatments/fractional-laser" not in stretch.body
    iso = kb.articles["isotretinoin-and-procedures"]
    assert {"fractional-laser", "non-ablative-laser"} <= set(iso.treatments)
    assert "We do not suggest it while you take isotretinoin." in iso.body


def test_at_least_twelve_pieces_pass_the_gate(kb: KnowledgeBase) -> None:
    passing = [a for a in kb.articles.values() if gate(a).passed]
    assert len(passing) >= 12
    assert len(passing) == len(kb.articles)
    assert {a.kind for a in kb.articles.values()} == {"article", "tip", "news"}


@pytest.mark.parametrize("slug", sorted(load().articles))
def test_each_piece_meets_the_house_rules(kb: KnowledgeBase, slug: str) -> None:
    a = kb.articles[slug]
    assert a.author == "Treatwise editorial team"
    assert a.medical_reviewer == REVIEWER
    assert a.disclosure == DISCLOSURE
    assert a.published <= a.updated <= LATEST
    assert dated_after(a, LATEST) == []
    result = gate(a)
    assert result.readability.grade <= GRADE_FAIL
    assert result.readability.words > 80
    assert set(a.cited) == set(a.references), "every listed reference is cited inline"
    assert all(ref in kb.references for ref in a.references)
    assert all(t in kb.treatments for t in a.treatments)
    assert all(c in kb.concerns for c in a.concerns)
    assert a.tags


def test_slugs_do_not_shadow_generated_comparisons(kb: KnowledgeBase) -> None:
    for slug in kb.articles:
        a, sep, b = slug.partition("-vs-")
        assert not (sep and a in kb.treatments and b in kb.treatments), slug


def test_efficacy_is_never_sourced_only_from_low_quality_pages(kb: KnowledgeBase) -> None:
    for a in kb.articles.values():
        qualities = {kb.references[r].quality for r in a.references}
        assert qualities != {"low"}, a.slug


# --- the gate fails on the fixtures ---------------------------------------------------


def test_validate_fails_on_an_unreadable_article(data_dir: Path) -> None:
    shutil.copy(FIXTURES / "hard-to-read.md", data_dir / "articles")
    result = runner.invoke(app, ["kb", "validate", "--data-dir", str(data_dir)])
    assert result.exit_code == 1
    assert "articles/hard-to-read.md: body: Flesch–Kincaid grade" in result.output
    assert f"is above {GRADE_FAIL:g}" in result.output


def test_validate_fails_without_disclosure(data_dir: Path) -> None:
    shutil.copy(FIXTURES / "no-disclosure.md", data_dir / "articles")
    result = runner.invoke(app, ["kb", "validate", "--data-dir", str(data_dir)])
    assert result.exit_code == 1
    assert "articles/no-disclosure.md: disclosure: Field required" in result.output


def test_validate_fails_on_anonymous_uncited_article(data_dir: Path) -> None:
    shutil.copy(FIXTURES / "anonymous-uncited.md", data_dir / "articles")
    with pytest.raises(KnowledgeBaseError) as excinfo:
        load(data_dir)
    messages = [str(p) for p in excinfo.value.problems]
    assert any("author: JAMA authorship" in m for m in messages)
    assert any("body: JAMA attribution" in m for m in messages)


def test_validate_passes_and_counts_articles_on_the_real_data() -> None:
    result = runner.invoke(app, ["kb", "validate"])
    assert result.exit_code == 0, result.output
    assert f"{len(load().articles)} articles" in result.output


def test_validate_warns_about_a_hard_but_passing_article(data_dir: Path) -> None:
    body = (
        "Microneedling creates controlled injuries in the skin, which trigger healing and the "
        "production of new collagen [@s03]. Practitioners choose the depth according to the "
        "treated area and the type of scar [@s09].\n"
    )
    grade_of = gate(parse(article(body=body))).readability.grade
    assert GRADE_WARN < grade_of <= GRADE_FAIL
    (data_dir / "articles" / "test-article.md").write_text(article(body=body), encoding="utf-8")
    result = runner.invoke(app, ["kb", "validate", "--data-dir", str(data_dir)])
    assert result.exit_code == 0, result.output
    assert "warning: articles/test-article.md: body: Flesch–Kincaid grade" in result.output


def test_validate_warns_about_future_dates(data_dir: Path) -> None:
    text = article().replace("published: 2026-03-01", "published: 2999-01-01")
    text = text.replace("updated: 2026-03-02", "updated: 2999-01-02")
    (data_dir / "articles" / "test-article.md").write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["kb", "validate", "--data-dir", str(data_dir)])
    assert result.exit_code == 0
    assert "published date 2999-01-01 is in the future" in result.output


def test_loader_names_dangling_ids(data_dir: Path) -> None:
    text = article(**{"references: [s03, s09]": "references: [s03, nope-ref]"})
    text = text.replace("treatments: [microneedling]", "treatments: [laser-magic]")
    (data_dir / "articles" / "test-article.md").write_text(text, encoding="utf-8")
    with pytest.raises(KnowledgeBaseError) as excinfo:
        load(data_dir)
    messages = [str(p) for p in excinfo.value.problems]
    assert "articles/test-article.md: references[1]: unknown reference id 'nope-ref'" in messages
    assert "articles/test-article.md: treatments[0]: unknown treatment id 'laser-magic'" in messages
    assert any("cites [@s09] but 's09' is not in references" in m for m in messages)


def test_loaded_articles_change_the_version(data_dir: Path) -> None:
    before = load(data_dir).version
    other = data_dir.parent / "other"
    shutil.copytree(data_dir, other)
    (other / "articles" / "test-article.md").write_text(article(), encoding="utf-8")
    loaded = load(other)
    assert loaded.version != before
    assert "test-article" in loaded.articles


# --- parsing -------------------------------------------------------------------------


def test_parse_reads_front_matter_and_body() -> None:
    a = parse(article(), stem="test-article")
    assert isinstance(a, Article)
    assert a.title == "A test article"
    assert a.published == dt.date(2026, 3, 1)
    assert a.body.startswith("Needles make small wounds.")
    assert a.cited == ("s03", "s09")


@pytest.mark.parametrize(
    ("text", "field", "fragment"),
    [
        ("no front matter here", "", "front matter missing"),
        ("---\ntitle: [unclosed\n---\nbody", "", "invalid YAML"),
        ("---\n- a list\n---\nbody", "", "must be a mapping"),
        (article(**{"kind: article": "kind: essay"}), "kind", "valid: article, tip, news"),
        (article(**{"updated: 2026-03-02": "updated: 2026-02-01"}), "", "before published"),
        (article(**{"tags: [test]": "tags: []"}), "tags", "at least 1"),
        (article(**{"references: [s03, s09]": "references: []"}), "references", "at least 1"),
        (article(**{"tags: [test]": "tags: [test]\nbody: sneaky"}), "body", "not a front"),
        (article(**{"tags: [test]": "tags: [test]\ncolour: red"}), "colour", "Extra inputs"),
        (article(body=""), "body", "at least 1"),
    ],
)
def test_parse_errors_name_the_field(text: str, field: str, fragment: str) -> None:
    with pytest.raises(ArticleError) as excinfo:
        parse(text)
    assert any(f == field and fragment in m for f, m in excinfo.value.issues), excinfo.value
    assert fragment in str(excinfo.value)


def test_parse_checks_the_slug_against_the_file_name() -> None:
    with pytest.raises(ArticleError, match="differs from the file name"):
        parse(article(), stem="another-name")


def test_citations_in_order_each_once() -> None:
    body = "A [@s09]. B [@s03; @s09]. C [@x-long-id]. Not a cite: [s04] or [@]."
    assert citations(body) == ("s09", "s03", "x-long-id")


def test_gate_reports_unused_references_as_a_warning() -> None:
    a = parse(article(body="Plain words here. Short and clear [@s03].\n"))
    result = gate(a)
    assert result.passed
    assert ("references", "listed but not cited in the body: s09") in result.warnings


def test_gate_refuses_a_thin_disclosure_and_placeholder_reviewer() -> None:
    text = article(**{DISCLOSURE: "None.", REVIEWER: "TBD"})
    result = gate(parse(text))
    fields = [f for f, _ in result.errors]
    assert fields == ["medical_reviewer", "disclosure"]


# --- readability -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("the", 1),
        ("skin", 1),
        ("makes", 1),
        ("used", 1),
        ("needles", 2),
        ("needed", 2),
        ("collagen", 3),
        ("microneedling", 4),
        ("mesotherapy", 5),
        ("medical", 3),
        ("infection", 3),
        ("pigmentation", 4),
        ("radiation", 4),
        ("isotretinoin", 6),
        ("post-inflammatory", 6),
        ("people", 2),
        ("", 0),
    ],
)
def test_count_syllables(word: str, expected: int) -> None:
    assert count_syllables(word) == expected


def test_grade_of_simple_and_dense_text() -> None:
    assert grade("The cat sat on the mat. It was warm.") < 2
    dense = (FIXTURES / "hard-to-read.md").read_text(encoding="utf-8").split("---", 2)[2]
    assert grade(dense) > GRADE_FAIL
    assert grade("") == 0.0


def test_headings_code_and_citations_are_left_out() -> None:
    md = "# Extraordinarily sophisticated heading\n\nShort text [@s03].\n\n```\ncode block\n```\n"
    assert prose_blocks(md) == ["Short text ."]
    counts = measure(md)
    assert (counts.sentences, counts.words, counts.syllables) == (1, 2, 2)


def test_list_items_end_sentences() -> None:
    counts = measure("- one item\n- another item\n\nA full sentence. And another one!")
    assert counts.sentences == 4
    assert counts.words == 10
