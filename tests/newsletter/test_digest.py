"""Digests: the articles published since the previous digest, each listed once."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from support.nlkit import START, Clock

from treatwise.knowledge import KnowledgeBase
from treatwise.newsletter import campaigns, digest
from treatwise.newsletter.context import Newsletter


@dataclass(frozen=True)
class Fake:
    slug: str
    title: str
    published: dt.date
    summary: str = "A short summary of the article for the digest."


def day(offset: int) -> dt.date:
    return (START + dt.timedelta(days=offset)).date()


def test_first_digest_looks_back_thirty_days_and_skips_the_future(nl: Newsletter) -> None:
    articles = [
        Fake("old", "Old", day(-31)),
        Fake("recent", "Recent", day(-3)),
        Fake("today", "Today", day(0)),
        Fake("later", "Later", day(2)),
    ]
    created = digest.compose(nl, articles)
    assert created is not None and created.kind == "digest"
    assert created.subject == "New on Treatwise: Today and 1 more"
    assert "(https://treatwise.test/articles/today)" in created.body_markdown
    assert "(https://treatwise.test/articles/recent)" in created.body_markdown
    assert "old" not in created.body_markdown and "later" not in created.body_markdown
    assert created.body_markdown.index("/today") < created.body_markdown.index("/recent")


def test_next_digest_lists_only_what_is_new(nl: Newsletter, clock: Clock) -> None:
    articles = [Fake("a", "A", day(-1))]
    assert digest.compose(nl, articles) is not None
    assert digest.compose(nl, articles) is None  # nothing new
    clock.advance(hours=3)
    articles.append(Fake("b", "B", day(0)))  # same day as the last digest, but new
    again = digest.compose(nl, articles)
    assert again is not None and "/articles/b)" in again.body_markdown
    assert "/articles/a)" not in again.body_markdown
    clock.advance(days=5)
    articles.append(Fake("c", "C [draft] <b>", day(5)))
    third = digest.compose(nl, articles)
    assert third is not None and third.subject == "New on Treatwise: C [draft] <b>"
    assert "\\[draft\\] &lt;b>" in third.body_markdown  # Markdown and HTML in titles are inert


def test_digest_of_the_real_articles_is_sendable(nl: Newsletter, kb: KnowledgeBase) -> None:
    if not kb.articles:
        return
    newest = max(a.published for a in kb.articles.values())
    nl.clock.now = dt.datetime.combine(newest, dt.time(12), dt.UTC)  # type: ignore[attr-defined]
    created = digest.compose(nl, kb.articles.values())
    assert created is not None
    with_links = [
        a for a in kb.articles.values() if f"/articles/{a.slug})" in created.body_markdown
    ]
    assert with_links and all(newest - a.published <= dt.timedelta(days=30) for a in with_links)
    assert campaigns.queue(nl, campaign_id=created.id) == 0  # nobody is active yet
