"""Atom feed, sitemap, robots.txt and the article page renderers."""

from __future__ import annotations

import datetime as dt
from xml.etree import ElementTree

import feedparser
import pytest

from treatwise.domain.articles import newest_first
from treatwise.knowledge import KnowledgeBase
from treatwise.knowledge.articles import Article
from treatwise.render.article_page import body_html, jsonld, reading_minutes
from treatwise.render.feed import FALLBACK_UPDATED, atom
from treatwise.render.html_footnotes import Footnotes
from treatwise.render.sitemap import SITEMAP_NS, Entry, robots_txt, sitemap_xml

BASE = "https://treatwise.test"
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(scope="module")
def feed_bytes(kb: KnowledgeBase) -> bytes:
    return atom(kb, kb.articles.values(), base_url=BASE + "/")


def test_feed_parses_as_atom_with_every_article(kb: KnowledgeBase, feed_bytes: bytes) -> None:
    parsed = feedparser.parse(feed_bytes)
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    assert parsed.feed.title == "Treatwise: articles, tips and news"
    links = [entry.link for entry in parsed.entries]
    expected = [f"{BASE}/articles/{a.slug}" for a in newest_first(kb.articles.values())]
    assert links == expected
    assert len(links) == len(kb.articles) >= 12
    for entry, article in zip(parsed.entries, newest_first(kb.articles.values()), strict=True):
        assert entry.title == article.title
        assert entry.summary == article.summary
        assert entry.author == "Treatwise editorial team"
        assert entry.published.startswith(article.published.isoformat())
        assert entry.updated.startswith(article.updated.isoformat())
        assert {t.term for t in entry.tags} == set(article.tags)


def test_feed_meets_rfc_4287(kb: KnowledgeBase, feed_bytes: bytes) -> None:
    root = ElementTree.fromstring(feed_bytes)
    assert root.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated"):
        assert len(root.findall(f"{ATOM}{required}")) == 1, required
    assert root.find(f"{ATOM}author/{ATOM}name") is not None
    rels = {link.get("rel"): link.get("href") for link in root.findall(f"{ATOM}link")}
    assert rels == {"self": f"{BASE}/feed.xml", "alternate": f"{BASE}/articles"}
    latest = max(a.updated for a in kb.articles.values())
    assert root.findtext(f"{ATOM}updated", "").startswith(latest.isoformat())
    ids = []
    for entry in root.findall(f"{ATOM}entry"):
        for required in ("id", "title", "updated", "summary"):
            assert entry.findtext(f"{ATOM}{required}"), required
        # RFC 4287 4.2.7.2: a link without rel is the alternate (feedgen 1.0 omits rel there)
        alternates = [
            x for x in entry.findall(f"{ATOM}link") if x.get("rel", "alternate") == "alternate"
        ]
        assert [x.get("href") for x in alternates] == [entry.findtext(f"{ATOM}id")]
        content = entry.find(f"{ATOM}content")
        assert content is not None and content.get("type") == "html"
        ids.append(entry.findtext(f"{ATOM}id"))
    assert len(ids) == len(set(ids)) == len(kb.articles)


def test_feed_content_has_the_body_and_numbered_sources(kb: KnowledgeBase) -> None:
    article = kb.articles["tip-numbing-cream-safely"]
    parsed = feedparser.parse(atom(kb, [article], base_url=BASE))
    html = parsed.entries[0].content[0].value
    url = f"{BASE}/articles/{article.slug}"
    assert f'href="{url}#ref-s41"' in html  # citation marks point back to the page
    assert "<h2>Sources</h2>" in html
    assert kb.references["s41"].title.split(":")[0] in html
    assert "[@s41]" not in html


def test_feed_is_deterministic_and_handles_no_articles(kb: KnowledgeBase) -> None:
    assert atom(kb, kb.articles.values(), base_url=BASE) == atom(
        kb, list(kb.articles.values())[::-1], base_url=BASE
    )
    empty = feedparser.parse(atom(kb, [], base_url=BASE))
    assert empty.bozo == 0 and empty.entries == []
    assert empty.feed.updated.startswith(FALLBACK_UPDATED.date().isoformat())


# --- sitemap and robots -----------------------------------------------------------------


def test_sitemap_lists_each_path_once_with_dates() -> None:
    entries = [
        Entry("/"),
        Entry("/articles/a", dt.date(2026, 5, 1)),
        Entry("/search?q=a&b"),
        Entry("/"),
    ]
    root = ElementTree.fromstring(sitemap_xml(entries, base_url=BASE + "/"))
    ns = f"{{{SITEMAP_NS}}}"
    urls = root.findall(f"{ns}url")
    assert [u.findtext(f"{ns}loc") for u in urls] == [
        f"{BASE}/",
        f"{BASE}/articles/a",
        f"{BASE}/search?q=a&b",  # escaped in the XML, read back unescaped
    ]
    assert [u.findtext(f"{ns}lastmod") for u in urls] == [None, "2026-05-01", None]


def test_sitemap_refuses_relative_paths() -> None:
    with pytest.raises(ValueError, match="path: must start with '/'"):
        sitemap_xml([Entry("articles")], base_url=BASE)


def test_robots() -> None:
    assert robots_txt(base_url=BASE) == f"User-agent: *\nDisallow:\n\nSitemap: {BASE}/sitemap.xml\n"
    text = robots_txt(base_url=BASE, disallow=["/api/", "/search"])
    assert "Disallow: /api/\nDisallow: /search\n" in text


# --- article page ---------------------------------------------------------------------


def _article(body: str) -> Article:
    return Article.model_validate(
        {
            "title": "T",
            "slug": "tt",
            "summary": "A summary that is long enough for the schema.",
            "kind": "news",
            "author": "Treatwise editorial team",
            "medical_reviewer": "Review pending",
            "disclosure": "Treatwise takes no money from anyone.",
            "published": "2026-01-01",
            "updated": "2026-01-02",
            "tags": ["tt"],
            "treatments": ["microneedling", "unknown-one"],
            "concerns": ["acne-scars"],
            "references": ["s03", "s09"],
            "body": body,
        }
    )


def test_body_numbers_citations_in_reading_order(kb: KnowledgeBase) -> None:
    notes = Footnotes(kb.references)
    html = body_html(_article("One [@s09]. Two [@s03; @s09].\n\n## Head\n\nThree [@s03]."), notes)
    assert html.count('href="#ref-s09" aria-label="Source 1">[1]') == 2
    assert html.count('href="#ref-s03" aria-label="Source 2">[2]') == 2
    assert "One<sup" in html  # no space before the mark
    assert "<h2>Head</h2>" in html
    assert [n.reference.id for n in notes.entries] == ["s09", "s03"]


def test_body_escapes_raw_html(kb: KnowledgeBase) -> None:
    html = body_html(
        _article("<script>alert(1)</script> [x](javascript:alert(1)) [@s03]"),
        Footnotes(kb.references),
    )
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert 'href="javascript' not in html


def test_jsonld_is_a_medical_web_page_about_a_news_article(kb: KnowledgeBase) -> None:
    url = f"{BASE}/articles/tt"
    data = jsonld(kb, _article("Body [@s03] [@s09]."), url=url, base_url=BASE)
    page, story = data["@graph"]
    assert data["@context"] == "https://schema.org"
    assert page["@type"] == "MedicalWebPage" and page["mainEntity"] == {"@id": f"{url}#article"}
    assert [a["name"] for a in page["about"]] == [
        kb.treatments["microneedling"].name,
        kb.concerns["acne-scars"].name,
    ]
    assert story["@type"] == "NewsArticle"
    assert story["datePublished"] == "2026-01-01" and story["dateModified"] == "2026-01-02"
    assert story["author"] == {"@type": "Organization", "name": "Treatwise editorial team"}
    assert [c["name"] for c in story["citation"]] == [
        kb.references["s03"].title,
        kb.references["s09"].title,
    ]
    assert all("url" in c for c in story["citation"])


def test_reading_minutes() -> None:
    assert reading_minutes(_article("word " * 10)) == 1
    assert reading_minutes(_article("word " * 1000)) == 5
