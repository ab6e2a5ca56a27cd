"""Flesch–Kincaid grade level of a Markdown body, with a heuristic syllable counter.

grade = 0.39 × (words / sentences) + 11.8 × (syllables / words) − 15.59

What counts: the text of paragraphs and list items. Headings, code and inline
citations (``[@s03]``) are left out; link text stays. Each paragraph or list
item ends a sentence even without a full stop. Words are runs of letters
(hyphenated and apostrophe words count once); bare numbers are not words.
Pure: no I/O.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from markdown_it import MarkdownIt
from markdown_it.token import Token

_WORD = re.compile(r"[A-Za-z]+(?:['’-][A-Za-z]+)*")
_SENTENCE_END = re.compile(r"[.!?]+(?=[\s\"'’”)\]]|$)")
_VOWEL_GROUPS = re.compile(r"[aeiouy]+")
_CITATION = re.compile(r"\[@[^\]]*\]")
# Vowel pairs usually spoken as two syllables ("tri-al", "pe-ri-od", "ac-tu-al").
_SPLIT_PAIRS = re.compile(r"(?<![ct])ia|(?<![cgstx])io|(?<!q)ua|(?<!q)uo|iet")
# "-es"/"-ed" endings are usually silent ("makes", "used") except after these ("uses", "needed").
_SILENT_ENDING = re.compile(r"[^aeiouy](?:es|ed)$")
_SPOKEN_ENDING = re.compile(r"(?:[szcgx]|sh|ch)es$|[td]ed$|[^aeiouyl]l(?:es|ed)$")
_EXCEPTIONS = {
    "area": 3,
    "areas": 3,
    "being": 2,
    "created": 3,
    "every": 3,
    "idea": 3,
    "ideas": 3,
    "people": 2,
    "business": 2,
    "evening": 2,
    "isotretinoin": 6,
    "doctor": 2,
    "doctors": 2,
    "science": 2,
    "quiet": 2,
    "video": 3,
    "videos": 3,
    "create": 2,
    "react": 2,
    "reaction": 3,
    "reactions": 3,
    "prescription": 3,
}


@cache
def count_syllables(word: str) -> int:
    """Syllables in one English word (a heuristic; exact for common words, ±1 otherwise)."""
    parts = [p for p in re.split(r"['’-]", word.lower()) if p]
    if len(parts) > 1:
        return sum(count_syllables(p) for p in parts)
    w = re.sub(r"[^a-z]", "", word.lower())
    if not w:
        return 0
    if w in _EXCEPTIONS:
        return _EXCEPTIONS[w]
    if len(w) <= 3:
        return 1
    count = len(_VOWEL_GROUPS.findall(w))
    silent_e = w.endswith("e") and not w.endswith(("le", "ee", "ie", "ye", "oe"))
    silent_ending = bool(_SILENT_ENDING.search(w)) and not _SPOKEN_ENDING.search(w)
    if count > 1 and (silent_e or silent_ending):
        count -= 1
    count += len(_SPLIT_PAIRS.findall(w))
    return max(1, count)


@dataclass(frozen=True)
class Readability:
    """Counts and the grade for one text."""

    sentences: int
    words: int
    syllables: int

    @property
    def grade(self) -> float:
        """Flesch–Kincaid grade level (0 for an empty text)."""
        if not self.words or not self.sentences:
            return 0.0
        return round(
            0.39 * self.words / self.sentences + 11.8 * self.syllables / self.words - 15.59, 2
        )


_MD = MarkdownIt("commonmark", {"html": False})


def prose_blocks(markdown: str) -> list[str]:
    """The plain text of each paragraph (headings and code left out)."""
    blocks: list[str] = []
    in_heading = False
    for token in _MD.parse(markdown):
        if token.type == "heading_open":
            in_heading = True
        elif token.type == "heading_close":
            in_heading = False
        elif token.type == "inline" and not in_heading:
            text = _inline_text(token.children or [])
            if text.strip():
                blocks.append(_CITATION.sub("", text).strip())
    return blocks


def _inline_text(children: list[Token]) -> str:
    parts: list[str] = []
    for child in children:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
    return "".join(parts)


def measure(markdown: str) -> Readability:
    """Sentence, word and syllable counts of a Markdown body."""
    sentences = words = syllables = 0
    for block in prose_blocks(markdown):
        block_words = _WORD.findall(block)
        if not block_words:
            continue
        ends = len(_SENTENCE_END.findall(block))
        trailing = 0 if re.search(r"[.!?][\"'’”)\]]*\s*$", block) else 1
        sentences += max(1, ends + trailing)
        words += len(block_words)
        syllables += sum(count_syllables(w) for w in block_words)
    return Readability(sentences, words, syllables)


def grade(markdown: str) -> float:
    """The Flesch–Kincaid grade of a Markdown body."""
    return measure(markdown).grade


__all__ = ["Readability", "count_syllables", "grade", "measure", "prose_blocks"]
