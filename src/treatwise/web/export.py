"""The static export: every content page of the app as files any static server can serve.

The pages are rendered by the app itself, in process (an ASGI call per page,
no server, no network), so the export is exactly what the app would serve.
Seeds are the home page, the sitemap's pages, the feed, the sitemap and
robots.txt; from there every internal link, stylesheet and image is followed.
A page at ``/a/b`` is written to ``DIR/a/b/index.html``; files with an
extension (``/feed.xml``, ``/static/css/site.css``) keep their name.

Pages that need the app (the decision aid, plans, the newsletter, search and
the API: :data:`APP_ONLY`) are not exported: a proxy or CDN sends those paths
to the app. Any other internal link that does not answer 200 is reported as
broken. The command is ``treatwise export-static`` (``cli/export_static.py``).
"""

from __future__ import annotations

import asyncio
import posixpath
import re
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urldefrag, urlsplit
from xml.etree import ElementTree

from starlette.types import ASGIApp, Message

APP_ONLY = ("/decide", "/plan/", "/newsletter", "/search", "/api/", "/healthz", "/openapi.json")
SEEDS = ("/", "/feed.xml", "/sitemap.xml", "/robots.txt")
HOST = "export.invalid"
_CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)")
_LINK_ATTRS = {"href", "src"}


@dataclass
class Fetched:
    """One response: status, content type, body and (for redirects) where it points."""

    status: int
    content_type: str
    body: bytes
    location: str | None = None


async def fetch(app: ASGIApp, path: str) -> Fetched:
    """GET ``path`` from the ASGI app in process."""
    scope = {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.4"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "https",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", HOST.encode())],
        "client": ("127.0.0.1", 0),
        "server": (HOST, 443),
    }
    sent: list[Message] = []
    done = asyncio.Event()
    requested = False

    async def receive() -> Message:
        nonlocal requested
        if not requested:
            requested = True
            return {"type": "http.request", "body": b"", "more_body": False}
        await done.wait()  # like a client that stays until the response is complete
        return {"type": "http.disconnect"}

    async def send(message: Message) -> None:
        sent.append(message)
        if message["type"] == "http.response.body" and not message.get("more_body", False):
            done.set()

    await app(scope, receive, send)
    start = next(m for m in sent if m["type"] == "http.response.start")
    headers = {k.decode().lower(): v.decode() for k, v in start.get("headers", [])}
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    ctype = headers.get("content-type", "")
    return Fetched(start["status"], ctype, body, headers.get("location"))


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "form":
            return
        self.found += [v for k, v in attrs if k in _LINK_ATTRS and v]


def links(fetched: Fetched, page: str) -> list[str]:
    """Internal paths a page refers to (query and fragment dropped)."""
    text = fetched.body.decode("utf-8", "replace")
    if "html" in fetched.content_type:
        parser = _Links()
        parser.feed(text)
        raw = parser.found
    elif "css" in fetched.content_type:
        raw = _CSS_URL.findall(text)
    else:
        return []
    return [p for p in (internal_path(r, page) for r in raw) if p is not None]


def internal_path(ref: str, page: str) -> str | None:
    """The site path a reference points to, or None when it leaves the site."""
    ref = urldefrag(ref.strip())[0]
    parts = urlsplit(ref)
    if parts.scheme or parts.netloc:
        return None
    path = parts.path or page
    if not path.startswith("/"):
        path = posixpath.join(posixpath.dirname(page), path)
    normal = posixpath.normpath(path)
    return normal + "/" if path.endswith("/") and normal != "/" else normal


def target_file(root: Path, path: str) -> Path:
    """Where the page at ``path`` is written."""
    segments = [s for s in path.split("/") if s]
    if any(s in (".", "..") for s in segments):
        raise ValueError(f"path: refusing {path!r}")
    if not segments or path.endswith("/") or "." not in segments[-1]:
        return root.joinpath(*segments, "index.html")
    return root.joinpath(*segments)


def sitemap_paths(xml: bytes) -> list[str]:
    """Paths of the sitemap's pages."""
    namespace = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    locs = ElementTree.fromstring(xml).iter(f"{namespace}loc")
    return [urlsplit((loc.text or "").strip()).path or "/" for loc in locs]


def app_only(path: str) -> bool:
    return path.startswith(APP_ONLY)


def redirect_page(location: str) -> bytes:
    """A static stand-in for a redirect (no script: a meta refresh and a link)."""
    return (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Moved</title>'
        f'<meta http-equiv="refresh" content="0; url={location}"></head>'
        f'<body><p>This page moved to <a href="{location}">{location}</a>.</p></body></html>'
    ).encode()


@dataclass
class Export:
    """What an export wrote and found."""

    written: dict[str, Path] = field(default_factory=dict)
    bytes: int = 0
    broken: dict[str, list[str]] = field(default_factory=dict)
    app_links: set[str] = field(default_factory=set)


Progress = Callable[[str, int, int], None]
"""Told after each page: its path, how many pages are done, and how many are known so far."""


async def export(app: ASGIApp, root: Path, progress: Progress | None = None) -> Export:
    """Crawl the app from the seeds and the sitemap, writing every page under ``root``."""
    result = Export()
    sitemap = await fetch(app, "/sitemap.xml")
    seeds = [*SEEDS, *(p for p in sitemap_paths(sitemap.body) if not app_only(p))]
    queue, seen = deque(dict.fromkeys(seeds)), set(seeds)
    referrers: dict[str, list[str]] = {}
    while queue:
        path = queue.popleft()
        fetched = await fetch(app, path)
        found = _store(root, path, fetched, result, referrers)
        for link in found:
            referrers.setdefault(link, []).append(path)
            if app_only(link):
                result.app_links.add(link)
            elif link not in seen:
                seen.add(link)
                queue.append(link)
        if progress is not None:
            progress(path, len(seen) - len(queue), len(seen))
    return result


def _store(
    root: Path, path: str, fetched: Fetched, result: Export, referrers: dict[str, list[str]]
) -> list[str]:
    if fetched.status in (301, 302, 303, 307, 308) and fetched.location:
        target = internal_path(fetched.location, path)
        body = redirect_page(fetched.location)
        found = [target] if target else []
    elif fetched.status == 200:
        body, found = fetched.body, links(fetched, path)
    else:
        result.broken[path] = referrers.get(path, [])
        return []
    file = target_file(root, path)
    file.parent.mkdir(parents=True, exist_ok=True)
    file.write_bytes(body)
    result.written[path] = file
    result.bytes += len(body)
    return found


def app_prefixes(paths: Iterable[str]) -> set[str]:
    """The :data:`APP_ONLY` prefixes these paths fall under."""
    return {next(p for p in APP_ONLY if path.startswith(p)) for path in paths}
