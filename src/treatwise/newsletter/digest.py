"""Digests: a campaign listing the articles published since the previous digest.

Articles carry a publication *date*, so "since the previous digest" means: dated
on or after the previous digest's day, and not already listed in it. The first
digest looks back ``FIRST_LOOKBACK``; articles dated in the future wait.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Protocol

from treatwise.newsletter.context import Newsletter
from treatwise.store import campaigns
from treatwise.store.campaigns import Campaign

FIRST_LOOKBACK = dt.timedelta(days=30)


class ArticleLike(Protocol):
    """What a digest needs from an article."""

    @property
    def slug(self) -> str: ...

    @property
    def title(self) -> str: ...

    @property
    def summary(self) -> str: ...

    @property
    def published(self) -> dt.date: ...


def _url(nl: Newsletter, slug: str) -> str:
    return f"{nl.base_url.rstrip('/')}/articles/{slug}"


def select_new(
    nl: Newsletter, articles: Iterable[ArticleLike], *, previous: Campaign | None, now: dt.datetime
) -> list[ArticleLike]:
    """The articles a digest made at ``now`` should list, newest first."""
    if previous is None or previous.digest_until is None:
        since, listed = (now - FIRST_LOOKBACK).date(), ""
    else:
        since, listed = previous.digest_until.date(), previous.body_markdown
    chosen = [
        a
        for a in articles
        if since <= _day(a.published) <= now.date() and f"({_url(nl, a.slug)})" not in listed
    ]
    return sorted(chosen, key=lambda a: (_day(a.published), a.slug), reverse=True)


def _day(value: dt.date) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def body(nl: Newsletter, articles: Sequence[ArticleLike]) -> str:
    """The digest's Markdown: one linked title and summary per article."""
    lines = ["New on Treatwise since our last update:", ""]
    for a in articles:
        lines += [f"## [{_escape(a.title)}]({_url(nl, a.slug)})", "", _escape(a.summary), ""]
    lines.append("Every article cites its sources; open one to see them.")
    return "\n".join(lines)


def _escape(text: str) -> str:
    return text.replace("[", "\\[").replace("]", "\\]").replace("<", "&lt;")


def subject(articles: Sequence[ArticleLike]) -> str:
    """A subject line naming the newest article."""
    first = articles[0].title
    if len(articles) == 1:
        return f"New on Treatwise: {first}"[:200]
    return f"New on Treatwise: {first} and {len(articles) - 1} more"[:200]


def compose(nl: Newsletter, articles: Iterable[ArticleLike]) -> Campaign | None:
    """Create the digest campaign (not yet queued), or None when nothing is new."""
    now = nl.now()
    with nl.db.begin() as tx:
        chosen = select_new(nl, articles, previous=campaigns.last_digest(tx), now=now)
        if not chosen:
            return None
        return campaigns.insert(
            tx,
            subject=subject(chosen),
            body_markdown=body(nl, chosen),
            interest=None,
            now=now,
            kind="digest",
            digest_until=now,
        )
