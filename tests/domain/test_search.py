"""Search: every treatment by name, alias and one-letter misspellings; articles by text."""

from __future__ import annotations

import random
import time

import pytest

from treatwise.domain.search import (
    Document,
    SearchIndex,
    build,
    index_for,
    search,
    tokens,
    within_one_edit,
)
from treatwise.knowledge import KnowledgeBase, load

KB = load()
LETTERS = "abcdefghijklmnopqrstuvwxyz"


def top(kb: KnowledgeBase, query: str, n: int = 1) -> list[str]:
    return [hit.document.key for hit in search(kb, query, limit=n)]


def misspellings(word: str, seed: int) -> list[str]:
    """One deletion, one insertion, one substitution and one swap of neighbouring letters."""
    rng = random.Random(seed)
    i = rng.randrange(1, len(word) - 1)
    other = rng.choice([c for c in LETTERS if c != word[i]])
    swap = word[:i] + word[i + 1] + word[i] + word[i + 2 :] if word[i] != word[i + 1] else word
    return [
        word[:i] + word[i + 1 :],
        word[:i] + other + word[i:],
        word[:i] + other + word[i + 1 :],
        swap,
    ]


@pytest.mark.parametrize("tid", sorted(KB.treatments))
def test_finds_each_treatment_by_name(tid: str) -> None:
    assert top(KB, KB.treatments[tid].name) == [tid]


@pytest.mark.parametrize(
    ("tid", "alias"), [(t.id, a) for t in KB.treatments.values() for a in t.aliases]
)
def test_finds_each_treatment_by_alias(tid: str, alias: str) -> None:
    assert top(KB, alias) == [tid]


@pytest.mark.parametrize("tid", sorted(KB.treatments))
def test_finds_each_treatment_by_a_misspelled_name(tid: str) -> None:
    name = KB.treatments[tid].name
    words = tokens(name)
    for index, word in enumerate(words):
        if len(word) < 4:
            continue
        for typo in misspellings(word, seed=index + len(tid)):
            query = " ".join([*words[:index], typo, *words[index + 1 :]])
            assert top(KB, query) == [tid], query


@pytest.mark.parametrize(
    ("tid", "alias"), [(t.id, a) for t in KB.treatments.values() for a in t.aliases]
)
def test_finds_each_treatment_by_a_misspelled_alias(tid: str, alias: str) -> None:
    words = tokens(alias)
    longest = max(range(len(words)), key=lambda i: len(words[i]))
    if len(words[longest]) < 4:
        pytest.skip(f"{alias!r} has no word long enough to misspell")
    for typo in misspellings(words[longest], seed=len(alias)):
        query = " ".join([*words[:longest], typo, *words[longest + 1 :]])
        assert tid in top(KB, query, 3), query


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("microneedlng", "microneedling"),
        ("mesotheraphy", "mesotherapy"),
        ("mseotherapy", "mesotherapy"),
        ("kybela", "deoxycholic-acid"),
        ("coolsculptng", "cryolipolysis"),
        ("rogain", "topical-minoxidil"),
        ("tretinion", "topical-retinoid"),
        ("MICRONEEDLING", "microneedling"),
        ("méso", "mesotherapy"),
    ],
)
def test_typical_typos_and_case(query: str, expected: str) -> None:
    assert top(KB, query) == [expected]


@pytest.mark.parametrize(
    ("query", "slug"),
    [
        ("aftercare day by day", "microneedling-aftercare-day-by-day"),
        ("isotretinoin wait six months", "isotretinoin-and-procedures"),
        ("cold sores antiviral", "tip-cold-sores-before-treatment"),
        ("plastic wrap", "tip-numbing-cream-safely"),
        ("telogen effluvium", "hair-loss-see-a-doctor-first"),  # only in the body
        ("Qwo", "news-cellulite-injection-withdrawn"),
    ],
)
def test_finds_articles_by_title_summary_and_body(query: str, slug: str) -> None:
    assert top(KB, query) == [slug]


def test_every_article_is_found_by_its_title() -> None:
    for slug, article in KB.articles.items():
        assert top(KB, article.title) == [slug]


def test_documents_matching_every_word_rank_first() -> None:
    hits = search(KB, "stretch marks microneedling", limit=10)
    matched = [hit.matched for hit in hits]
    assert matched == sorted(matched, reverse=True)
    assert hits[0].matched == 3


def test_nothing_for_empty_stop_words_or_gibberish() -> None:
    assert search(KB, "") == []
    assert search(KB, "   the and of  ") == []
    assert search(KB, "xqzvw") == []


def test_short_words_are_not_fuzzy() -> None:
    index = SearchIndex([(Document("treatment", "x", "X", "s"), [("name", "peel cat")])])
    assert index.expand("cot") == {}
    assert index.expand("cat") == {"cat": 1.0}
    assert index.expand("pee") == {"peel": 0.75}
    assert index.expand("peal") == {"peel": 0.6}


def test_long_queries_are_cut() -> None:
    hits = search(KB, "microneedling " * 500, limit=3)
    assert "microneedling" in [hit.document.key for hit in hits]
    assert max(hit.matched for hit in hits) <= 2  # "microneedling" and the cut-off "microneedl"


def test_within_one_edit() -> None:
    assert within_one_edit("needle", "needle")
    assert within_one_edit("needle", "neede")
    assert within_one_edit("needle", "needles")
    assert within_one_edit("needle", "niedle")
    assert within_one_edit("needle", "neeldle".replace("ld", "d", 1))
    assert within_one_edit("needle", "nedele")
    assert not within_one_edit("needle", "nedl")
    assert not within_one_edit("needle", "elndee")
    assert not within_one_edit("needle", "nxxdle")


def test_tokens_fold_accents_and_drop_stop_words() -> None:
    assert tokens("What is Méso-therapy, and the PRP?") == ["meso", "therapy", "prp"]


def test_index_is_built_once_per_knowledge_base() -> None:
    assert index_for(KB) is index_for(KB)
    assert build(KB) is not index_for(KB)


def test_search_is_fast() -> None:
    index_for(KB)
    queries = ["microneedlng", "fat freezing", "isotretinoin", "stretch marks", "meso"] * 40
    start = time.perf_counter()
    for query in queries:
        search(KB, query)
    per_query_ms = (time.perf_counter() - start) * 1000 / len(queries)
    assert per_query_ms < 5, f"{per_query_ms:.2f} ms per query"
