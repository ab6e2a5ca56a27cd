"""Site search over treatments (name, aliases, summary) and articles (title, summary, body).

An in-memory inverted index, built once per knowledge base (:func:`index_for`).
A query word matches an indexed word exactly, as a prefix (3+ letters), or with
one typo (words of 4+ letters: one letter missing, added, changed, or two
letters swapped), found through a table of one-letter deletions (the SymSpell idea) and
confirmed by the edit distance. Every query word must match for a document to
rank first; documents matching only some words follow. Pure: no I/O.
"""

from __future__ import annotations

import math
import re
import unicodedata
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Literal

from treatwise.knowledge import KnowledgeBase

HitKind = Literal["treatment", "article", "tip", "news"]
MAX_QUERY_CHARS = 200
MAX_QUERY_WORDS = 12
EXACT, PREFIX, TYPO = 1.0, 0.75, 0.6
NAME_BONUS = 10.0
FIELD_WEIGHTS = {"name": 10.0, "alias": 8.0, "title": 6.0, "summary": 3.0, "body": 1.0}
_STOP_TEXT = """a an and are as at be by can do for from has have how i in is it its of on or so
that the their this to was what when where which who why will with you your"""
STOP_WORDS = frozenset(_STOP_TEXT.split())
_TOKEN = re.compile(r"[a-z0-9]+")
_LINK_TARGET = re.compile(r"\]\([^)]*\)")
_CITATION = re.compile(r"\[@[^\]]*\]")


def tokens(text: str) -> list[str]:
    """Lower-case words without accents or stop words (``Méso-therapy`` → meso, therapy)."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return [t for t in _TOKEN.findall(plain) if t not in STOP_WORDS and (len(t) > 1 or t.isdigit())]


@dataclass(frozen=True)
class Document:
    """One searchable thing: a treatment or an article."""

    kind: HitKind
    key: str
    title: str
    summary: str


@dataclass(frozen=True)
class Hit:
    """One search result: the document, how many query words it matched, and its score."""

    document: Document
    matched: int
    score: float


def _deletions(word: str) -> Iterator[str]:
    for i in range(len(word)):
        yield word[:i] + word[i + 1 :]


def within_one_edit(a: str, b: str) -> bool:
    """True when ``b`` is ``a`` with at most one letter missing, added, changed or swapped."""
    if a == b:
        return True
    la, lb = len(a), len(b)
    if abs(la - lb) > 1:
        return False
    if la == lb:
        diff = [i for i in range(la) if a[i] != b[i]]
        if len(diff) == 1:
            return True
        i, j = diff[0], diff[-1]
        return len(diff) == 2 and j == i + 1 and a[i] == b[j] and a[j] == b[i]
    short, long_ = (a, b) if la < lb else (b, a)
    i = 0
    while i < len(short) and short[i] == long_[i]:
        i += 1
    return short[i:] == long_[i + 1 :]


class SearchIndex:
    """Postings per word with field weights, a sorted vocabulary and a deletion table."""

    def __init__(self, documents: Iterable[tuple[Document, Iterable[tuple[str, str]]]]) -> None:
        self.documents: list[Document] = []
        self._postings: dict[str, dict[int, float]] = defaultdict(dict)
        self._names: dict[tuple[str, ...], set[int]] = defaultdict(set)
        for document, fields in documents:
            number = len(self.documents)
            self.documents.append(document)
            best: dict[str, float] = defaultdict(float)
            counts: dict[str, int] = defaultdict(int)
            for field_name, text in fields:
                words = tokens(text)
                if field_name in ("name", "alias", "title"):
                    self._names[tuple(words)].add(number)
                for word in words:
                    best[word] = max(best[word], FIELD_WEIGHTS[field_name])
                    counts[word] += 1
            for word, weight in best.items():
                self._postings[word][number] = weight + 0.25 * math.log(counts[word])
        self._vocabulary = sorted(self._postings)
        self._deleted: dict[str, set[str]] = defaultdict(set)
        for word in self._vocabulary:
            if len(word) >= 4:
                for variant in _deletions(word):
                    self._deleted[variant].add(word)

    def expand(self, word: str) -> dict[str, float]:
        """Indexed words this query word stands for, with how good each match is."""
        found: dict[str, float] = {}
        if word in self._postings:
            found[word] = EXACT
        if len(word) >= 3:
            start = bisect_left(self._vocabulary, word)
            for other in self._vocabulary[start : start + 50]:
                if not other.startswith(word):
                    break
                found.setdefault(other, PREFIX)
        if len(word) >= 3:  # "mso" is "meso" with a letter missing
            candidates = set(self._deleted.get(word, ()))
            for variant in _deletions(word) if len(word) >= 4 else ():
                if variant in self._postings:
                    candidates.add(variant)
                candidates |= self._deleted.get(variant, set())
            for other in candidates:
                if other not in found and within_one_edit(word, other):
                    found[other] = TYPO
        return found

    def _name_bonus(self, expansions: list[dict[str, float]]) -> dict[int, float]:
        """Documents whose whole name, alias or title is the query (typos allowed)."""
        bonus: dict[int, float] = {}
        for phrase, numbers in self._names.items():
            if len(phrase) != len(expansions):
                continue
            pairs = list(zip(phrase, expansions, strict=True))
            if all(word in expanded for word, expanded in pairs):
                quality = min(expanded[word] for word, expanded in pairs)
                for number in numbers:
                    bonus[number] = max(bonus.get(number, 0.0), NAME_BONUS * quality)
        return bonus

    def search(self, query: str, *, limit: int = 20) -> list[Hit]:
        """Documents for a query, best first (all words matched, then score, then title)."""
        words = list(dict.fromkeys(tokens(query[:MAX_QUERY_CHARS])))[:MAX_QUERY_WORDS]
        if not words:
            return []
        scores: dict[int, float] = defaultdict(float)
        matched: dict[int, int] = defaultdict(int)
        expansions = [self.expand(word) for word in words]
        for expanded in expansions:
            best: dict[int, float] = {}
            for other, quality in expanded.items():
                for number, weight in self._postings[other].items():
                    best[number] = max(best.get(number, 0.0), quality * weight)
            for number, value in best.items():
                scores[number] += value
                matched[number] += 1
        for number, bonus in self._name_bonus(expansions).items():
            scores[number] += bonus
        hits = [Hit(self.documents[n], matched[n], round(s, 4)) for n, s in scores.items()]
        hits.sort(key=lambda h: (-h.matched, -h.score, h.document.title))
        return hits[:limit]


def build(kb: KnowledgeBase) -> SearchIndex:
    """Index every treatment and article of a knowledge base."""
    return SearchIndex([*_treatment_docs(kb), *_article_docs(kb)])


def _treatment_docs(kb: KnowledgeBase) -> Iterator[tuple[Document, list[tuple[str, str]]]]:
    for t in kb.treatments.values():
        fields = [("name", t.name), ("alias", t.id.replace("-", " "))]
        fields += [("alias", alias) for alias in t.aliases]
        fields.append(("summary", t.summary.text))
        yield Document("treatment", t.id, t.name, t.summary.text), fields


def _article_docs(kb: KnowledgeBase) -> Iterator[tuple[Document, list[tuple[str, str]]]]:
    for a in kb.articles.values():
        body = _CITATION.sub(" ", _LINK_TARGET.sub("]", a.body))
        fields = [("title", a.title), ("summary", a.summary), ("body", body)]
        yield Document(a.kind, a.slug, a.title, a.summary), fields


_INDEXES: dict[int, tuple[KnowledgeBase, SearchIndex]] = {}
_MAX_INDEXES = 4


def index_for(kb: KnowledgeBase) -> SearchIndex:
    """The index of this knowledge base, built on first use and kept (the KB is read-only)."""
    entry = _INDEXES.get(id(kb))
    if entry is None or entry[0] is not kb:
        if len(_INDEXES) >= _MAX_INDEXES:
            _INDEXES.pop(next(iter(_INDEXES)))
        entry = (kb, build(kb))
        _INDEXES[id(kb)] = entry
    return entry[1]


def search(kb: KnowledgeBase, query: str, *, limit: int = 20) -> list[Hit]:
    """Search treatments and articles of ``kb`` (see :class:`SearchIndex`)."""
    return index_for(kb).search(query, limit=limit)


__all__ = [
    "Document",
    "Hit",
    "SearchIndex",
    "build",
    "index_for",
    "search",
    "tokens",
    "within_one_edit",
]
