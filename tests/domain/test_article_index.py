"""The article index: order, filters, related lookups, comparison pairs, digests."""

from __future__ import annotations

import datetime as dt
from itertools import combinations

import pytest

from treatwise.domain.articles import (
    ArticleFilterError,
    Pair,
    about_treatment,
    all_tags,
    canonical,
    kinds_in_use,
    newest_first,
    pair_for,
    pairs,
    pairs_with,
    published_since,
    related,
    select,
    shared_concerns,
    treatment_order,
)
from treatwise.knowledge import KnowledgeBase
from treatwise.knowledge.articles import Article


def make(slug: str, published: str, **extra: object) -> Article:
    data: dict[str, object] = {
        "title": slug.title(),
        "slug": slug,
        "summary": "A summary that is long enough for the schema.",
        "kind": "article",
        "author": "Treatwise editorial team",
        "medical_reviewer": "Review pending",
        "disclosure": "Treatwise takes no money from anyone.",
        "published": published,
        "updated": published,
        "tags": ["basics"],
        "references": ["s03"],
        "body": "Body [@s03].",
        **extra,
    }
    return Article.model_validate(data)


A = make("alpha", "2026-01-01", tags=["safety"], treatments=["microneedling"], kind="tip")
B = make("beta", "2026-02-01", tags=["safety", "basics"], concerns=["acne-scars"])
C = make("gamma", "2026-02-01", treatments=["microneedling"], concerns=["acne-scars"])
D = make("delta", "2026-03-01", kind="news")
ALL = [A, B, C, D]


def slugs(articles: list[Article]) -> list[str]:
    return [a.slug for a in articles]


def test_newest_first_with_ties_by_slug() -> None:
    assert slugs(newest_first(ALL)) == ["delta", "beta", "gamma", "alpha"]


def test_select_by_tag_kind_and_both() -> None:
    assert slugs(select(ALL, tag="safety")) == ["beta", "alpha"]
    assert slugs(select(ALL, kind="tip")) == ["alpha"]
    assert slugs(select(ALL, tag="safety", kind="article")) == ["beta"]
    assert slugs(select(ALL)) == slugs(newest_first(ALL))


def test_select_rejects_unknown_values_naming_field_and_valid_values() -> None:
    with pytest.raises(ArticleFilterError) as kind_error:
        select(ALL, kind="essay")
    assert str(kind_error.value) == "kind: unknown value 'essay'; valid: article, tip, news"
    with pytest.raises(ArticleFilterError) as tag_error:
        select(ALL, tag="nope")
    assert tag_error.value.field == "tag"
    assert tag_error.value.valid == ("basics", "safety")


def test_tags_and_kinds() -> None:
    assert all_tags(ALL) == [("basics", 3), ("safety", 2)]
    assert kinds_in_use(ALL) == ["article", "tip", "news"]
    assert kinds_in_use([A]) == ["tip"]


def test_published_since_includes_the_day() -> None:
    assert slugs(published_since(ALL, dt.date(2026, 2, 1))) == ["delta", "beta", "gamma"]
    assert published_since(ALL, dt.date(2027, 1, 1)) == []


def test_about_treatment_and_related() -> None:
    assert slugs(about_treatment(ALL, "microneedling")) == ["gamma", "alpha"]
    # beta: concern + tag = 3, alpha: treatment = 3 (tie: newest first), delta: tag = 1
    assert slugs(related(ALL, C)) == ["beta", "alpha", "delta"]
    assert slugs(related(ALL, A, limit=1)) == ["gamma"]
    assert related([D], D) == []


def test_every_pair_once_in_design_order(kb: KnowledgeBase) -> None:
    all_pairs = pairs(kb)
    assert all_pairs[0] == Pair("microneedling", "mesotherapy")
    assert all_pairs[0].slug == "microneedling-vs-mesotherapy"
    assert {frozenset((p.a, p.b)) for p in all_pairs} == {
        frozenset(c) for c in combinations(kb.treatments, 2) if shared_concerns(kb, *c)
    }  # the pair rule: only treatments used for a common concern get an article
    assert len(all_pairs) < len(list(combinations(kb.treatments, 2)))
    assert pair_for(kb, "cryolipolysis-vs-topical-minoxidil") is None
    assert pair_for(kb, "mesotherapy-vs-microneedling") == Pair("mesotherapy", "microneedling")
    assert treatment_order(kb)[:2] == ["microneedling", "mesotherapy"]


def test_pair_for_reads_both_orders(kb: KnowledgeBase) -> None:
    assert pair_for(kb, "mesotherapy-vs-microneedling") == Pair("mesotherapy", "microneedling")
    assert canonical(kb, Pair("mesotherapy", "microneedling")) == Pair(
        "microneedling", "mesotherapy"
    )
    for bad in ("microneedling", "microneedling-vs-microneedling", "x-vs-mesotherapy", ""):
        assert pair_for(kb, bad) is None


def test_pairs_with(kb: KnowledgeBase) -> None:
    assert pairs_with(kb, ["mesotherapy", "microneedling", "unknown"]) == [
        Pair("microneedling", "mesotherapy")
    ]
    assert pairs_with(kb, ["microneedling"]) == []


def test_real_articles_sort_and_filter(kb: KnowledgeBase) -> None:
    ordered = newest_first(kb.articles.values())
    dates = [a.published for a in ordered]
    assert dates == sorted(dates, reverse=True)
    for tag, count in all_tags(kb.articles.values()):
        assert len(select(kb.articles.values(), tag=tag)) == count
