"""The article index: newest first, filters by tag and kind, related lookups, comparison pairs.

Hand-written articles come from ``kb.articles``. Every pair of treatments that
share a concern (both are used for it, at any grade) also gets a generated
"X vs Y" article (rendered by ``render/pair_guide.py``): nobody weighs fat freezing
against a hair-loss lotion. This module only names the pairs and their slugs.
A hand-written slug wins over a pair slug. Pure: no I/O, no clock (callers pass
dates).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import combinations

from treatwise.knowledge import KnowledgeBase
from treatwise.knowledge.articles import KINDS, Article
from treatwise.knowledge.vocabulary import TREATMENT_IDS, USES


class ArticleFilterError(ValueError):
    """A filter value is not valid; names the field and the valid values."""

    def __init__(self, field: str, value: str, valid: Iterable[str]) -> None:
        self.field = field
        self.value = value
        self.valid = tuple(valid)
        super().__init__(f"{field}: unknown value {value!r}; valid: {', '.join(self.valid)}")


def newest_first(articles: Iterable[Article]) -> list[Article]:
    """Newest publication first; ties by latest update, then by slug."""
    by_slug = sorted(articles, key=lambda a: a.slug)
    return sorted(by_slug, key=lambda a: (a.published, a.updated), reverse=True)


def all_tags(articles: Iterable[Article]) -> list[tuple[str, int]]:
    """Every tag with how many articles carry it, most used first, then by name."""
    counts = Counter(tag for a in articles for tag in a.tags)
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


def kinds_in_use(articles: Iterable[Article]) -> list[str]:
    """The kinds that at least one article has, in the order of :data:`KINDS`."""
    present = {a.kind for a in articles}
    return [kind for kind in KINDS if kind in present]


def select(
    articles: Iterable[Article], *, tag: str | None = None, kind: str | None = None
) -> list[Article]:
    """Articles with this tag and/or kind, newest first; an unknown value raises."""
    pool = list(articles)
    if kind is not None and kind not in KINDS:
        raise ArticleFilterError("kind", kind, KINDS)
    if tag is not None:
        tags = [name for name, _ in all_tags(pool)]
        if tag not in tags:
            raise ArticleFilterError("tag", tag, sorted(tags))
    return newest_first(
        a for a in pool if (tag is None or tag in a.tags) and (kind is None or a.kind == kind)
    )


def published_since(articles: Iterable[Article], since: dt.date) -> list[Article]:
    """Articles published on or after ``since``, newest first (for newsletter digests)."""
    return newest_first(a for a in articles if a.published >= since)


def about_treatment(articles: Iterable[Article], treatment_id: str) -> list[Article]:
    """Articles that name this treatment, newest first."""
    return newest_first(a for a in articles if treatment_id in a.treatments)


def related(articles: Iterable[Article], article: Article, *, limit: int = 3) -> list[Article]:
    """Other articles sharing treatments, concerns or tags, most in common first."""

    def overlap(other: Article) -> int:
        return (
            3 * len(set(other.treatments) & set(article.treatments))
            + 2 * len(set(other.concerns) & set(article.concerns))
            + len(set(other.tags) & set(article.tags))
        )

    scored = [(overlap(o), o) for o in newest_first(articles) if o.slug != article.slug]
    ranked = sorted((pair for pair in scored if pair[0] > 0), key=lambda pair: -pair[0])
    return [other for _, other in ranked[:limit]]


@dataclass(frozen=True)
class Pair:
    """Two treatments that get a generated comparison article."""

    a: str
    b: str

    @property
    def slug(self) -> str:
        return f"{self.a}-vs-{self.b}"


def treatment_order(kb: KnowledgeBase) -> list[str]:
    """Treatment ids in the order of docs/design.md (microneedling, mesotherapy, ...), then
    the rest by id."""
    known = [t for t in TREATMENT_IDS if t in kb.treatments]
    return known + sorted(t for t in kb.treatments if t not in TREATMENT_IDS)


def shared_concerns(kb: KnowledgeBase, a: str, b: str) -> list[str]:
    """Concern ids both treatments are used for (evidence of any grade), in ``a``'s order."""
    used = {
        t: [i.concern for i in kb.treatments[t].indications if i.evidence in USES] for t in (a, b)
    }
    return [c for c in used[a] if c in used[b]]


def pairs(kb: KnowledgeBase) -> list[Pair]:
    """Every pair of treatments that share a concern, once, in the canonical order
    (``microneedling-vs-mesotherapy``)."""
    return [
        Pair(a, b) for a, b in combinations(treatment_order(kb), 2) if shared_concerns(kb, a, b)
    ]


def pair_for(kb: KnowledgeBase, slug: str) -> Pair | None:
    """The pair a ``{a}-vs-{b}`` slug names (either order), or None (also when the two share
    no concern: such a pair gets no article)."""
    a, sep, b = slug.partition("-vs-")
    if not sep or a == b or a not in kb.treatments or b not in kb.treatments:
        return None
    return Pair(a, b) if shared_concerns(kb, a, b) else None


def canonical(kb: KnowledgeBase, pair: Pair) -> Pair:
    """The same pair in canonical order."""
    order = treatment_order(kb)
    a, b = sorted((pair.a, pair.b), key=order.index)
    return Pair(a, b)


def pairs_with(kb: KnowledgeBase, treatment_ids: Sequence[str]) -> list[Pair]:
    """Comparison pairs among these treatments that share a concern (for "see the
    comparison" links)."""
    wanted = [t for t in treatment_order(kb) if t in set(treatment_ids)]
    return [Pair(a, b) for a, b in combinations(wanted, 2) if shared_concerns(kb, a, b)]


__all__ = [
    "ArticleFilterError",
    "Pair",
    "about_treatment",
    "all_tags",
    "canonical",
    "kinds_in_use",
    "newest_first",
    "pair_for",
    "pairs",
    "pairs_with",
    "published_since",
    "related",
    "select",
    "shared_concerns",
    "treatment_order",
]
