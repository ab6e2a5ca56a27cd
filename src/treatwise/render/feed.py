"""The Atom feed of articles, tips and news (RFC 4287, written with ``feedgen``).

Each entry carries the summary and the full body as HTML, with its sources
listed at the end and citation marks linking back to the article page. The
output depends only on the articles and the base URL (no clock): the feed's
``updated`` is the latest article update.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from html import escape

from feedgen.feed import FeedGenerator

from treatwise.domain.articles import newest_first
from treatwise.knowledge import KnowledgeBase
from treatwise.knowledge.articles import Article
from treatwise.render.article_page import PUBLISHER, body_html
from treatwise.render.html_footnotes import Footnotes

FEED_PATH = "/feed.xml"
FEED_TITLE = "Treatwise: articles, tips and news"
FEED_SUBTITLE = "Evidence-graded, sourced articles about aesthetic skin treatments."
FALLBACK_UPDATED = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


def _moment(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)


def entry_html(kb: KnowledgeBase, article: Article, *, url: str) -> str:
    """The article body with its numbered sources, for a feed reader."""
    notes = Footnotes(kb.references)
    body = body_html(article, notes, link_prefix=url)
    items = "".join(
        f'<li id="{note.anchor}">{escape(note.reference.title)}. '
        f"{escape(note.reference.publisher)}"
        + (f', <a href="{escape(note.link)}">link</a>' if note.link else "")
        + "</li>"
        for note in notes.entries
    )
    return f"{body}<h2>Sources</h2><ol>{items}</ol>"


def atom(kb: KnowledgeBase, articles: Iterable[Article], *, base_url: str) -> bytes:
    """The Atom document, newest entry first."""
    base = base_url.rstrip("/")
    ordered = newest_first(articles)
    fg = FeedGenerator()
    fg.id(f"{base}/articles")
    fg.title(FEED_TITLE)
    fg.subtitle(FEED_SUBTITLE)
    fg.author({"name": f"{PUBLISHER} editorial team"})
    fg.link(href=f"{base}/articles", rel="alternate", type="text/html")
    fg.link(href=f"{base}{FEED_PATH}", rel="self", type="application/atom+xml")
    fg.language("en")
    fg.rights("Open content; every medical statement cites its sources.")
    latest = max((a.updated for a in ordered), default=None)
    fg.updated(_moment(latest) if latest else FALLBACK_UPDATED)
    for article in ordered:
        url = f"{base}/articles/{article.slug}"
        entry = fg.add_entry(order="append")
        entry.id(url)
        entry.title(article.title)
        entry.link(href=url, rel="alternate", type="text/html")
        entry.summary(article.summary)
        entry.content(entry_html(kb, article, url=url), type="html")
        entry.published(_moment(article.published))
        entry.updated(_moment(article.updated))
        entry.author({"name": article.author})
        for tag in article.tags:
            entry.category(term=tag, label=tag.replace("-", " "))
    document: bytes = fg.atom_str(pretty=True)
    return document


__all__ = ["FEED_PATH", "FEED_TITLE", "atom", "entry_html"]
