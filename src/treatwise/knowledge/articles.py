"""Articles, tips and news: Markdown files with YAML front matter under ``data/articles/``.

A file starts with a ``---`` line, the front matter (:class:`ArticleMeta`), a
closing ``---`` line, then the Markdown body. The body cites sources inline as
``[@s03]`` or ``[@s03; @s09]``; every id cited inline must also be listed in the
front matter's ``references``.

The publication gate (:func:`gate`) applies the JAMA benchmarks (authorship,
attribution, disclosure, currency) and readability: the Flesch–Kincaid grade of
the body warns above :data:`GRADE_WARN` and fails above :data:`GRADE_FAIL`.
The loader refuses an article that fails; ``treatwise kb validate`` also prints
the warnings. Pure: parsing works on text; only the loader reads the files.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Annotated, Any, Literal

import yaml
from pydantic import Field, StringConstraints, ValidationError, model_validator

from treatwise.knowledge.readability import Readability, measure
from treatwise.knowledge.schema import Id, Model, References, Text

Kind = Literal["article", "tip", "news"]
KINDS: tuple[Kind, ...] = ("article", "tip", "news")
GRADE_WARN = 9.0
GRADE_FAIL = 12.0
MIN_DISCLOSURE_WORDS = 5
Summary = Annotated[str, StringConstraints(strip_whitespace=True, min_length=20, max_length=320)]

CITATION = re.compile(r"\[@([a-z0-9][a-z0-9-]*(?:\s*;\s*@[a-z0-9][a-z0-9-]*)*)\]")
"""An inline citation: ``[@s03]`` or ``[@s03; @s09]``."""

_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|\Z)(.*)\Z", re.DOTALL)


class ArticleMeta(Model):
    """The front matter: who wrote and checked it, when, about what, and on which sources."""

    title: Text
    slug: Id
    summary: Summary = Field(description="One or two sentences for lists, feeds and search")
    kind: Kind
    author: Text
    medical_reviewer: Text = Field(description="Who checked it medically, or why nobody has yet")
    disclosure: Text = Field(description="Ownership, funding and conflicts of interest (JAMA)")
    published: dt.date
    updated: dt.date
    tags: tuple[Id, ...] = Field(min_length=1)
    treatments: tuple[Id, ...] = ()
    concerns: tuple[Id, ...] = ()
    references: References

    @model_validator(mode="after")
    def _dates_ordered(self) -> ArticleMeta:
        if self.updated < self.published:
            raise ValueError(f"updated ({self.updated}) is before published ({self.published})")
        return self


class Article(ArticleMeta):
    """A parsed article: the front matter plus its Markdown body."""

    body: Text

    @property
    def cited(self) -> tuple[str, ...]:
        """The ids cited inline in the body, in reading order, each once."""
        return citations(self.body)


Issue = tuple[str, str]
"""(field, message): one thing wrong with an article."""


class ArticleError(ValueError):
    """The file is not a valid article; ``issues`` names each field and what is wrong."""

    def __init__(self, issues: Iterable[Issue]) -> None:
        self.issues = tuple(issues)
        super().__init__("; ".join(f"{f}: {m}" if f else m for f, m in self.issues))


def citations(body: str) -> tuple[str, ...]:
    """Ids cited inline as ``[@id]`` or ``[@a; @b]``, in order of first use."""
    seen: dict[str, None] = {}
    for match in CITATION.finditer(body):
        for part in match.group(1).split(";"):
            seen.setdefault(part.strip().lstrip("@"), None)
    return tuple(seen)


def parse(text: str, *, stem: str | None = None) -> Article:
    """Parse one article file; ``stem`` (the file name) must equal the slug when given."""
    match = _FRONT_MATTER.match(text.lstrip("\ufeff"))
    if match is None:
        raise ArticleError([("", "front matter missing: start the file with '---' lines")])
    front, body = match.groups()
    try:
        data: Any = yaml.safe_load(front)
    except yaml.YAMLError as exc:
        raise ArticleError([("", f"invalid YAML in the front matter: {exc}")]) from None
    if not isinstance(data, dict):
        raise ArticleError([("", "the front matter must be a mapping of fields")])
    if "body" in data:
        raise ArticleError([("body", "not a front-matter field; the body follows the '---'")])
    try:
        article = Article.model_validate({**data, "body": body.strip()})
    except ValidationError as exc:
        raise ArticleError(_issues(exc)) from None
    if stem is not None and article.slug != stem:
        raise ArticleError([("slug", f"slug {article.slug!r} differs from the file name")])
    return article


def _issues(exc: ValidationError) -> list[Issue]:
    out: list[Issue] = []
    for error in exc.errors():
        where = ".".join(str(part) for part in error["loc"])
        message = error["msg"]
        if error["type"] == "literal_error" and where == "kind":
            message = f"{message} (valid: {', '.join(KINDS)})"
        out.append((where, message))
    return out


@dataclass(frozen=True)
class Catalog:
    """The ids an article may point to (references, treatments, concerns)."""

    references: Mapping[str, object]
    treatments: Mapping[str, object]
    concerns: Mapping[str, object]


def link_issues(article: Article, catalog: Catalog) -> list[Issue]:
    """Every id the article names resolves, and inline citations are listed in ``references``."""
    issues: list[Issue] = []
    checks = (
        ("references", article.references, catalog.references, "reference"),
        ("treatments", article.treatments, catalog.treatments, "treatment"),
        ("concerns", article.concerns, catalog.concerns, "concern"),
    )
    for field_name, ids, known, kind in checks:
        for index, item in enumerate(ids):
            if item not in known:
                issues.append((f"{field_name}[{index}]", f"unknown {kind} id {item!r}"))
    listed = set(article.references)
    for item in article.cited:
        if item not in listed:
            issues.append(("body", f"cites [@{item}] but {item!r} is not in references"))
    return issues


@dataclass(frozen=True)
class GateResult:
    """What the publication gate found: errors block publication, warnings do not."""

    readability: Readability
    errors: tuple[Issue, ...]
    warnings: tuple[Issue, ...]

    @property
    def passed(self) -> bool:
        return not self.errors


PLACEHOLDER_AUTHORS = frozenset({"anonymous", "unknown", "tbd", "todo", "n/a", "none", "admin"})


def gate(article: Article) -> GateResult:
    """The JAMA benchmarks and the readability limits for one article."""
    errors: list[Issue] = []
    warnings: list[Issue] = []
    if article.author.strip().lower() in PLACEHOLDER_AUTHORS:
        errors.append(("author", "JAMA authorship: name the author, not a placeholder"))
    if article.medical_reviewer.strip().lower() in PLACEHOLDER_AUTHORS:
        errors.append(("medical_reviewer", "name the reviewer or say that review is pending"))
    if len(article.disclosure.split()) < MIN_DISCLOSURE_WORDS:
        errors.append(("disclosure", "JAMA disclosure: state ownership, funding and conflicts"))
    if not article.cited:
        errors.append(("body", "JAMA attribution: cite sources inline, e.g. [@s03]"))
    score = measure(article.body)
    where = "body"
    if score.grade > GRADE_FAIL:
        errors.append((where, f"Flesch–Kincaid grade {score.grade:.1f} is above {GRADE_FAIL:g}"))
    elif score.grade > GRADE_WARN:
        warnings.append((where, f"Flesch–Kincaid grade {score.grade:.1f} is above {GRADE_WARN:g}"))
    unused = [ref for ref in article.references if ref not in set(article.cited)]
    if unused:
        warnings.append(("references", f"listed but not cited in the body: {', '.join(unused)}"))
    return GateResult(score, tuple(errors), tuple(warnings))


def dated_after(article: Article, today: dt.date) -> list[Issue]:
    """Currency check the CLI runs with today's date: no date in the future."""
    return [
        (name, f"{name} date {value} is in the future (today is {today})")
        for name, value in (("published", article.published), ("updated", article.updated))
        if value > today
    ]


__all__ = [
    "GRADE_FAIL",
    "GRADE_WARN",
    "KINDS",
    "Article",
    "ArticleError",
    "ArticleMeta",
    "Catalog",
    "GateResult",
    "Kind",
    "citations",
    "dated_after",
    "gate",
    "link_issues",
    "parse",
]
