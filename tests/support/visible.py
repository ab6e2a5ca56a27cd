"""What a reader sees before opening anything: a page's text outside folded parts.

Text inside a closed ``<details>`` counts only for its ``<summary>``. Nothing in
``<head>``, ``<script>``, ``<style>``, ``<template>``, ``<svg>`` (its title and
description are read by screen readers; the figure's caption shows the same
text) or a ``hidden`` element counts.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
)
SKIPPED = frozenset({"head", "script", "style", "template", "svg", "noscript"})


class _Visible(HTMLParser):
    def __init__(self, *, folds_open: bool = False) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool]] = []  # (tag, hides what it holds)
        self.parts: list[str] = []
        self.folds_open = folds_open

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in VOID:
            return
        names = {name for name, _ in attrs}
        folded = tag == "details" and "open" not in names and not self.folds_open
        self.stack.append((tag, tag in SKIPPED or "hidden" in names or folded))

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                return

    def handle_data(self, data: str) -> None:
        if self._shown():
            self.parts.append(data)

    def _shown(self) -> bool:
        for i, (tag, hides) in enumerate(self.stack):
            summary_of_this = (
                tag == "details" and i + 1 < len(self.stack) and self.stack[i + 1][0] == "summary"
            )
            if hides and not summary_of_this:
                return False
        return True


def visible_text(html: str, *, folds_open: bool = False) -> str:
    """The text a reader sees with every ``<details>`` closed (or, with ``folds_open``, opened)."""
    parser = _Visible(folds_open=folds_open)
    parser.feed(html)
    return re.sub(r"\s+", " ", " ".join(parser.parts)).strip()


def visible_words(html: str) -> int:
    """How many words that text holds (a word: a run of letters, digits, hyphens)."""
    return len(re.findall(r"[\w’'-]+", visible_text(html)))
