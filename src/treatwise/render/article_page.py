"""A hand-written article as HTML: the body with numbered citations, and its JSON-LD.

Inline citations (``[@s03; @s09]``) become footnote marks numbered in reading
order by a :class:`Footnotes`, the same numbering the page's source list uses.
Markdown goes through markdown-it-py in CommonMark mode with raw HTML
disabled, so an article cannot inject markup.
"""

from __future__ import annotations

import re
from html import escape
from typing import Any

from markdown_it import MarkdownIt
from markupsafe import Markup

from treatwise.knowledge import KnowledgeBase
from treatwise.knowledge.articles import CITATION, Article
from treatwise.render.html_footnotes import Footnote, Footnotes

PUBLISHER = "Treatwise"
_MD = MarkdownIt("commonmark", {"html": False})
_MARK = re.compile("\u2063([a-z0-9,-]+)\u2063")
_SPACED_CITATION = re.compile(r"[ \t]*" + CITATION.pattern)
_SCHEMA_TYPE = {"article": "Article", "tip": "Article", "news": "NewsArticle"}


def body_html(article: Article, notes: Footnotes, *, link_prefix: str = "") -> Markup:
    """The body as HTML; citations link to ``{link_prefix}#ref-{id}``."""

    def mark(match: re.Match[str]) -> str:
        ids = [part.strip().lstrip("@") for part in match.group(1).split(";")]
        return "\u2063" + ",".join(ids) + "\u2063"

    html = _MD.render(_SPACED_CITATION.sub(mark, article.body))
    return Markup(_MARK.sub(lambda m: _sups(notes.cite(m.group(1).split(",")), link_prefix), html))


def opening(article: Article, *, sections: int = 1) -> Article:
    """The article cut after its first ``sections`` sections (``##`` headings), headings one
    level lower, for a page that quotes its start and links to the rest."""
    parts = re.split(r"(?m)^(?=## )", article.body)
    body = "".join(parts[: sections + 1]).strip()
    return article.model_copy(update={"body": re.sub(r"(?m)^## ", "### ", body)})


def _sups(cited: list[Footnote], link_prefix: str) -> str:
    return "".join(
        f'<sup class="ref"><a href="{escape(link_prefix)}#{note.anchor}" '
        f'aria-label="Source {note.number}">[{note.number}]</a></sup>'
        for note in cited
    )


def reading_minutes(article: Article) -> int:
    """Minutes to read at about 200 words a minute (at least 1)."""
    return max(1, round(len(re.findall(r"\w+", article.body)) / 200))


def jsonld(kb: KnowledgeBase, article: Article, *, url: str, base_url: str) -> dict[str, Any]:
    """schema.org: a MedicalWebPage whose main entity is the Article (or NewsArticle)."""
    about = [
        {
            "@type": "MedicalProcedure",
            "name": kb.treatments[t].name,
            "url": f"{base_url}/treatments/{t}",
        }
        for t in article.treatments
        if t in kb.treatments
    ]
    about += [
        {"@type": "MedicalCondition", "name": kb.concerns[c].name}
        for c in article.concerns
        if c in kb.concerns
    ]
    citations = [_citation(kb, ref) for ref in article.references if ref in kb.references]
    publisher = {"@type": "Organization", "name": PUBLISHER, "url": f"{base_url}/"}
    story = {
        "@type": _SCHEMA_TYPE[article.kind],
        "@id": f"{url}#article",
        "headline": article.title[:110],
        "description": article.summary,
        "datePublished": article.published.isoformat(),
        "dateModified": article.updated.isoformat(),
        "author": {"@type": "Organization", "name": article.author},
        "publisher": publisher,
        "keywords": list(article.tags),
        "citation": citations,
        "mainEntityOfPage": url,
        "inLanguage": "en",
    }
    page = {
        "@type": "MedicalWebPage",
        "@id": url,
        "url": url,
        "name": article.title,
        "description": article.summary,
        "audience": {"@type": "MedicalAudience", "audienceType": "Patient"},
        "datePublished": article.published.isoformat(),
        "dateModified": article.updated.isoformat(),
        "mainEntity": {"@id": f"{url}#article"},
        "about": about,
        "publisher": publisher,
    }
    return {"@context": "https://schema.org", "@graph": [page, story]}


def _citation(kb: KnowledgeBase, ref_id: str) -> dict[str, Any]:
    ref = kb.references[ref_id]
    link = Footnote(0, ref).link
    data: dict[str, Any] = {"@type": "CreativeWork", "name": ref.title, "publisher": ref.publisher}
    if ref.year:
        data["datePublished"] = str(ref.year)
    if link:
        data["url"] = link
    return data


__all__ = ["PUBLISHER", "body_html", "jsonld", "opening", "reading_minutes"]
