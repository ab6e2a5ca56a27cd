"""HTML → PDF with WeasyPrint (imported lazily: it takes a second or two to load)."""

from __future__ import annotations


def html_to_pdf(html: str, *, css: str = "") -> bytes:
    """A PDF of ``html`` with ``css``; no network access (only inline content is used)."""
    from weasyprint import CSS, HTML

    def no_fetch(url: str) -> dict[str, object]:
        raise ValueError(f"external resource refused: {url}")

    stylesheets = [CSS(string=css)] if css else []
    document = HTML(string=html, url_fetcher=no_fetch)
    pdf: bytes = document.write_pdf(stylesheets=stylesheets)
    return pdf
