"""``treatwise export-static``: the export served by ``http.server`` has no broken link.

The real export (every content page of the packaged knowledge base) is written
once, served on 127.0.0.1 by Python's ``http.server`` in a thread, and crawled
from the home page like a visitor would: every internal link must answer 200,
and every exported page must be reachable from ``/``. Paths the app keeps
(:data:`APP_ONLY`) are skipped: a proxy sends them to the app.
"""

from __future__ import annotations

import asyncio
import functools
import re
import threading
import urllib.error
import urllib.request
from collections import deque
from collections.abc import Iterator
from html.parser import HTMLParser
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urljoin, urlsplit
from xml.etree import ElementTree

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route
from typer.testing import CliRunner

from treatwise.cli import app as cli
from treatwise.cli.export_static import (
    APP_ONLY,
    export,
    internal_path,
    redirect_page,
    sitemap_paths,
    target_file,
)

BASE = "https://treatwise.example"
runner = CliRunner()


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("site")
    result = runner.invoke(cli, ["export-static", str(root), "--base-url", BASE])
    assert result.exit_code == 0, result.output
    assert "served by the app, not exported: /decide" in result.output
    return root


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def server(site: Path) -> Iterator[str]:
    handler = functools.partial(_Quiet, directory=str(site))
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(5)


class _Refs(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.refs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag != "form":
            self.refs += [v for k, v in attrs if k in ("href", "src") and v]


def _get(url: str) -> tuple[int, str, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # follows 301 to "dir/"
            return response.status, response.headers.get_content_type(), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, "", b""


def _refs(ctype: str, body: bytes) -> list[str]:
    text = body.decode("utf-8", "replace")
    if ctype == "text/html":
        parser = _Refs()
        parser.feed(text)
        return parser.refs
    if ctype == "text/css":
        return re.findall(r"url\(\s*['\"]?([^'\")]+)", text)
    return []


def _site_path(ref: str, page_url: str, origin: str) -> str | None:
    """The path of an internal link (relative, root-relative, or on the public base URL)."""
    absolute = urljoin(page_url, ref.split("#")[0])
    parts = urlsplit(absolute)
    if f"{parts.scheme}://{parts.netloc}" not in (origin, BASE):
        return None
    return parts.path or "/"


def _key(path: str) -> str:
    return path.rstrip("/") or "/"


@pytest.fixture(scope="module")
def crawl(server: str) -> dict[str, int]:
    """Path → status of everything reachable from the home page."""
    statuses: dict[str, int] = {}
    queue = deque(["/"])
    while queue:
        path = queue.popleft()
        if _key(path) in statuses:
            continue
        status, ctype, body = _get(server + path)
        statuses[_key(path)] = status
        for ref in _refs(ctype, body):
            target = _site_path(ref, server + path, server)
            if target and not target.startswith(APP_ONLY) and _key(target) not in statuses:
                queue.append(target)
    return statuses


def _exported(site: Path) -> set[str]:
    out = set()
    for file in site.rglob("*"):
        if file.is_file():
            rel = file.relative_to(site).as_posix()
            out.add(_key("/" + rel.removesuffix("index.html")))
    return out


def test_no_broken_internal_link(crawl: dict[str, int]) -> None:
    broken = {path: status for path, status in crawl.items() if status != 200}
    assert broken == {}
    assert len(crawl) > 150


def test_every_page_is_reachable_from_home(site: Path, crawl: dict[str, int]) -> None:
    discovery = {"/robots.txt", "/sitemap.xml"}  # read by crawlers directly, not linked
    assert _exported(site) - discovery - set(crawl) == set()


def test_export_has_every_kind_of_content(site: Path, crawl: dict[str, int]) -> None:
    expected = {
        "/",
        "/treatments",
        "/treatments/microneedling",
        "/compare/microneedling-vs-mesotherapy",
        "/safety",
        "/articles",
        "/articles/preparing-for-microneedling",
        "/articles/microneedling-vs-mesotherapy",
        "/articles/tag/safety",
        "/articles/kind/tip",
        "/feed.xml",
        "/static/css/site.css",
        "/static/css/articles.css",
        "/static/css/safety.css",
        "/static/img/favicon.svg",
    }
    assert expected <= _exported(site)
    assert expected <= set(crawl)
    assert (site / "robots.txt").read_text().endswith(f"Sitemap: {BASE}/sitemap.xml\n")


def test_sitemap_pages_are_exported(site: Path) -> None:
    paths = sitemap_paths((site / "sitemap.xml").read_bytes())
    exported = _exported(site)
    missing = [p for p in paths if not p.startswith(APP_ONLY) and _key(p) not in exported]
    assert missing == []


def test_every_exported_page_is_in_the_sitemap(site: Path) -> None:
    """Pages of a pair in the other order count as their canonical twin."""
    listed = {_key(p) for p in sitemap_paths((site / "sitemap.xml").read_bytes())}
    pairs = re.compile(r"^/(compare|articles)/([a-z0-9-]+)-vs-([a-z0-9-]+)$")
    unlisted = []
    for path in _exported(site):
        if path.startswith("/static/") or path in {"/feed.xml", "/sitemap.xml", "/robots.txt"}:
            continue
        m = pairs.match(path)
        twin = f"/{m[1]}/{m[3]}-vs-{m[2]}" if m else path
        if path not in listed and twin not in listed:
            unlisted.append(path)
    assert unlisted == []


def test_the_exported_feed_is_atom(site: Path) -> None:
    root = ElementTree.fromstring((site / "feed.xml").read_bytes())
    assert root.tag == "{http://www.w3.org/2005/Atom}feed"


def test_pages_use_the_public_base_url(site: Path) -> None:
    page = (site / "articles" / "preparing-for-microneedling" / "index.html").read_text()
    assert f'<link rel="canonical" href="{BASE}/articles/preparing-for-microneedling">' in page


# --- units ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ref", "page", "expected"),
    [
        ("/articles", "/", "/articles"),
        ("/static/css/site.css?v=abc", "/", "/static/css/site.css"),
        ("#ref-s03", "/articles/x", "/articles/x"),
        ("../img/a.svg", "/static/css/site.css", "/static/img/a.svg"),
        ("https://pubmed.ncbi.nlm.nih.gov/1/", "/", None),
        ("//cdn.example/x.js", "/", None),
        ("mailto:a@example.org", "/", None),
        ("/articles/", "/", "/articles/"),
    ],
)
def test_internal_path(ref: str, page: str, expected: str | None) -> None:
    assert internal_path(ref, page) == expected


def test_target_file(tmp_path: Path) -> None:
    assert target_file(tmp_path, "/") == tmp_path / "index.html"
    assert target_file(tmp_path, "/articles") == tmp_path / "articles" / "index.html"
    assert target_file(tmp_path, "/articles/") == tmp_path / "articles" / "index.html"
    assert target_file(tmp_path, "/feed.xml") == tmp_path / "feed.xml"
    with pytest.raises(ValueError, match="refusing"):
        target_file(tmp_path, "/../etc/passwd")


def _tiny_app() -> Starlette:
    def page(body: str) -> HTMLResponse:
        return HTMLResponse(f"<!doctype html><title>t</title>{body}")

    async def home(_: Request) -> Response:
        return page('<a href="/a">a</a> <a href="/gone">gone</a> <a href="/decide">aid</a>')

    async def a(_: Request) -> Response:
        return page('<a href="/old">old</a><link rel="stylesheet" href="/s.css">')

    async def css(_: Request) -> Response:
        return Response("body{background:url('/bg.svg')}", media_type="text/css")

    async def sitemap(_: Request) -> Response:
        xml = (
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            "<url><loc>https://x.example/a</loc></url></urlset>"
        )
        return Response(xml, media_type="application/xml")

    routes = [
        Route("/", home),
        Route("/a", a),
        Route("/old", lambda _: RedirectResponse("/a", 301)),
        Route("/s.css", css),
        Route("/bg.svg", lambda _: Response("<svg/>", media_type="image/svg+xml")),
        Route("/sitemap.xml", sitemap),
        Route("/feed.xml", lambda _: Response("<feed/>", media_type="application/atom+xml")),
        Route("/robots.txt", lambda _: PlainTextResponse("User-agent: *\n")),
    ]
    return Starlette(routes=routes)


def test_export_reports_broken_links_and_follows_redirects_and_css(tmp_path: Path) -> None:
    result = asyncio.run(export(_tiny_app(), tmp_path))
    assert result.broken == {"/gone": ["/"]}
    assert result.app_links == {"/decide"}
    assert set(result.written) == {
        "/",
        "/a",
        "/old",
        "/s.css",
        "/bg.svg",
        "/sitemap.xml",
        "/feed.xml",
        "/robots.txt",
    }
    assert (tmp_path / "old" / "index.html").read_bytes() == redirect_page("/a")
    assert (tmp_path / "bg.svg").read_text() == "<svg/>"


def test_cli_rejects_a_bad_base_url(tmp_path: Path) -> None:
    result = runner.invoke(cli, ["export-static", str(tmp_path), "--base-url", "example.org"])
    assert result.exit_code == 2
    assert "--base-url: expected an absolute http(s) URL" in result.output
