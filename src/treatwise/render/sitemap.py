"""``sitemap.xml`` (sitemaps.org 0.9) and ``robots.txt``.

The web layer decides which paths exist; this module only writes them out,
with absolute URLs and an optional last-modified date per page.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"


@dataclass(frozen=True)
class Entry:
    """One page: its path (starting with ``/``) and when its content last changed."""

    path: str
    lastmod: dt.date | None = None


def sitemap_xml(entries: Iterable[Entry], *, base_url: str) -> bytes:
    """The sitemap, one ``<url>`` per distinct path, in the given order."""
    base = base_url.rstrip("/")
    seen: set[str] = set()
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', f'<urlset xmlns="{SITEMAP_NS}">']
    for entry in entries:
        if not entry.path.startswith("/"):
            raise ValueError(f"path: must start with '/': {entry.path!r}")
        if entry.path in seen:
            continue
        seen.add(entry.path)
        lastmod = f"<lastmod>{entry.lastmod.isoformat()}</lastmod>" if entry.lastmod else ""
        lines.append(f"  <url><loc>{escape(base + entry.path)}</loc>{lastmod}</url>")
    lines.append("</urlset>")
    return ("\n".join(lines) + "\n").encode("utf-8")


def robots_txt(*, base_url: str, disallow: Sequence[str] = ()) -> str:
    """Allow everything except ``disallow`` paths, and point to the sitemap."""
    lines = ["User-agent: *"]
    lines += [f"Disallow: {path}" for path in disallow] or ["Disallow:"]
    lines += ["", f"Sitemap: {base_url.rstrip('/')}/sitemap.xml"]
    return "\n".join(lines) + "\n"


__all__ = ["SITEMAP_NS", "Entry", "robots_txt", "sitemap_xml"]
