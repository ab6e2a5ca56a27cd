"""Load the YAML knowledge base, validate its shape and cross-check every id.

``load(path)`` returns a :class:`KnowledgeBase` or raises :class:`KnowledgeBaseError`
listing every problem found (file, field, message), not just the first one.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from treatwise.knowledge.articles import Article, ArticleError, Catalog, gate, link_issues, parse
from treatwise.knowledge.grading import GRADED, above, grade
from treatwise.knowledge.next_steps import FILE as NEXT_STEPS_FILE
from treatwise.knowledge.next_steps import NextSteps
from treatwise.knowledge.next_steps import check as check_next_steps
from treatwise.knowledge.schema import (
    SETTINGS,
    Concern,
    Condition,
    Reference,
    Rules,
    Treatment,
)
from treatwise.knowledge.vocabulary import CONCERN_IDS, CONDITION_IDS, TREATMENT_IDS

M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class Problem:
    """One thing wrong in the data: where it is and what is wrong."""

    file: str
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}: {self.field}" if self.field else self.file
        return f"{where}: {self.message}"


class KnowledgeBaseError(Exception):
    """The knowledge base has problems; ``problems`` lists them all."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


@dataclass(frozen=True)
class KnowledgeBase:
    """The validated knowledge base: read-only mappings by id, and a content version."""

    treatments: Mapping[str, Treatment]
    concerns: Mapping[str, Concern]
    conditions: Mapping[str, Condition]
    references: Mapping[str, Reference]
    rules: Rules
    version: str
    extras: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))
    articles: Mapping[str, Article] = field(default_factory=lambda: MappingProxyType({}))
    next_steps: NextSteps = field(default_factory=NextSteps)

    def treatment(self, treatment_id: str) -> Treatment:
        """The treatment with this id; KeyError names the valid ids."""
        try:
            return self.treatments[treatment_id]
        except KeyError:
            valid = ", ".join(sorted(self.treatments))
            raise KeyError(f"unknown treatment {treatment_id!r}; valid: {valid}") from None


def default_data_dir() -> Path:
    """The data folder shipped inside the package."""
    return Path(str(resources.files("treatwise.knowledge") / "data"))


_CACHE: dict[Path, KnowledgeBase] = {}


def load(data_dir: Path | None = None) -> KnowledgeBase:
    """Load and cross-check the knowledge base (cached per folder: the data is read-only)."""
    path = (data_dir or default_data_dir()).resolve()
    if path not in _CACHE:
        _CACHE[path] = _load(path)
    return _CACHE[path]


def _load(root: Path) -> KnowledgeBase:
    problems: list[Problem] = []
    digest = hashlib.sha256()

    def read(path: Path) -> Any:
        rel = str(path.relative_to(root))
        try:
            raw = path.read_bytes()
        except OSError as exc:
            problems.append(Problem(rel, "", f"cannot read: {exc.strerror}"))
            return None
        digest.update(rel.encode() + b"\0" + raw)
        try:
            return yaml.safe_load(raw)
        except yaml.YAMLError as exc:
            problems.append(Problem(rel, "", f"invalid YAML: {exc}"))
            return None

    def parse_list(path: Path, key: str, model: type[M]) -> list[M]:
        data = read(path)
        rel = str(path.relative_to(root))
        if data is None:
            return []
        if not isinstance(data, dict) or not isinstance(data.get(key), list):
            problems.append(Problem(rel, key, f"expected a mapping with a list under {key!r}"))
            return []
        out = []
        for index, item in enumerate(data[key]):
            parsed = _validate(model, item, rel, f"{key}[{index}]", problems)
            if parsed is not None:
                out.append(parsed)
        return out

    references: list[Reference] = []
    ref_files = [root / "references.yaml", *sorted((root / "references").glob("*.yaml"))]
    for ref_file in ref_files:
        if ref_file.exists():
            references += parse_list(ref_file, "references", Reference)
    concerns = parse_list(root / "concerns.yaml", "concerns", Concern)
    conditions = parse_list(root / "conditions.yaml", "conditions", Condition)
    treatments: list[tuple[str, Treatment]] = []
    for path in sorted((root / "treatments").glob("*.yaml")):
        rel = str(path.relative_to(root))
        parsed = _validate(Treatment, read(path), rel, "", problems)
        if parsed is not None:
            if parsed.id != path.stem:
                problems.append(Problem(rel, "id", f"id {parsed.id!r} differs from file name"))
            treatments.append((rel, parsed))
    rules = _validate(Rules, read(root / "rules.yaml"), "rules.yaml", "", problems)
    articles = _read_articles(root, digest, problems)
    steps_path = root / NEXT_STEPS_FILE
    next_steps = (
        _validate(NextSteps, read(steps_path), NEXT_STEPS_FILE, "", problems)
        if steps_path.exists()
        else None
    )

    kb = KnowledgeBase(
        treatments=_index(treatments, problems),
        concerns=_index([("concerns.yaml", c) for c in concerns], problems),
        conditions=_index([("conditions.yaml", c) for c in conditions], problems),
        references=_index([("references", r) for r in references], problems),
        rules=rules or Rules(disclaimer="(missing)", rules=()),
        version=digest.hexdigest()[:12],
        articles=MappingProxyType({a.slug: a for _, a in articles}),
        next_steps=next_steps or NextSteps(),
    )
    problems += cross_check(kb, {t.id: rel for rel, t in treatments})
    problems += check_next_steps(kb, kb.next_steps) if next_steps is not None else []
    catalog = Catalog(kb.references, kb.treatments, kb.concerns)
    for rel, article in articles:
        issues = [*link_issues(article, catalog), *gate(article).errors]
        problems += [Problem(rel, where, message) for where, message in issues]
    if problems:
        raise KnowledgeBaseError(problems)
    return kb


def _read_articles(root: Path, digest: Any, problems: list[Problem]) -> list[tuple[str, Article]]:
    """Parse ``articles/*.md`` (front matter + Markdown); see ``knowledge/articles.py``."""
    out: list[tuple[str, Article]] = []
    for path in sorted((root / "articles").glob("*.md")):
        rel = str(path.relative_to(root))
        raw = path.read_bytes()
        digest.update(rel.encode() + b"\0" + raw)
        try:
            out.append((rel, parse(raw.decode("utf-8"), stem=path.stem)))
        except (ArticleError, UnicodeDecodeError) as exc:
            issues = exc.issues if isinstance(exc, ArticleError) else [("", "not UTF-8 text")]
            problems += [Problem(rel, where, message) for where, message in issues]
    return out


def _validate(
    model: type[M], data: Any, file: str, prefix: str, problems: list[Problem]
) -> M | None:
    if data is None:
        problems.append(Problem(file, prefix, "missing or empty"))
        return None
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        for error in exc.errors():
            loc = ".".join(str(part) for part in error["loc"])
            where = ".".join(part for part in (prefix, loc) if part)
            problems.append(Problem(file, where, error["msg"]))
        return None


def _index(items: list[tuple[str, M]], problems: list[Problem]) -> Mapping[str, M]:
    out: dict[str, M] = {}
    for file, item in items:
        key = item.id  # type: ignore[attr-defined]
        if key in out:
            problems.append(Problem(file, "id", f"duplicate id {key!r}"))
        out[key] = item
    return MappingProxyType(out)


def cross_check(kb: KnowledgeBase, files: Mapping[str, str]) -> list[Problem]:
    """Every id resolves, the DESIGN vocabulary is covered, every (treatment, condition) pair
    is decided, and every stated evidence grade has a basis that supports it."""
    problems: list[Problem] = []
    problems += _missing("concerns.yaml", "concern", CONCERN_IDS, kb.concerns)
    problems += _missing("conditions.yaml", "condition", CONDITION_IDS, kb.conditions)
    problems += _missing("treatments/", "treatment", TREATMENT_IDS, kb.treatments)
    checks: list[tuple[str, Mapping[str, Any]]] = [
        ("reference", kb.references),
        ("concern", kb.concerns),
        ("condition", kb.conditions),
        ("treatment", kb.treatments),
    ]
    for treatment in kb.treatments.values():
        file = files.get(treatment.id, f"treatments/{treatment.id}.yaml")
        problems += _dangling(file, treatment.model_dump(by_alias=True), checks)
        seen: set[str] = set()
        for index, indication in enumerate(treatment.indications):
            if indication.concern in seen:
                where = f"indications[{index}].concern"
                problems.append(Problem(file, where, f"duplicate concern {indication.concern!r}"))
            seen.add(indication.concern)
        problems += grading_problems(file, treatment)
        problems += undecided_pairs(file, treatment, kb.conditions)
    for condition in kb.conditions.values():
        problems += _dangling("conditions.yaml", condition.model_dump(), checks, condition.id)
    problems += _dangling("rules.yaml", kb.rules.model_dump(), checks)
    return problems


def undecided_pairs(file: str, treatment: Treatment, conditions: Iterable[str]) -> list[Problem]:
    """Every condition whose rows for this treatment do not cover all three settings."""
    covered: dict[str, set[str]] = {}
    for row in treatment.contraindications:
        covered.setdefault(row.condition, set()).update(row.settings)
    problems = []
    for condition in conditions:
        left = [s for s in SETTINGS if s not in covered.get(condition, set())]
        if left:
            problems.append(
                Problem(
                    file,
                    "contraindications",
                    f"undecided pair: treatment {treatment.id!r}, condition {condition!r}: "
                    f"no row for the settings {', '.join(left)} (add a row, or a 'none' row "
                    "saying why nothing restricts it)",
                )
            )
    return problems


def grading_problems(file: str, treatment: Treatment) -> list[Problem]:
    """Stated grades above what their ``basis`` supports; graded levels without a basis."""
    problems = []
    for index, indication in enumerate(treatment.indications):
        where = f"indications[{index}]"
        if indication.basis is None:
            if indication.evidence in GRADED:
                problems.append(
                    Problem(
                        file,
                        f"{where}.basis",
                        f"treatment {treatment.id!r}, concern {indication.concern!r}: "
                        f"evidence {indication.evidence!r} needs a basis (the studies behind it)",
                    )
                )
            continue
        computed = grade(indication.basis)
        if above(indication.evidence, computed):
            problems.append(
                Problem(
                    file,
                    f"{where}.evidence",
                    f"treatment {treatment.id!r}, concern {indication.concern!r}: stated "
                    f"{indication.evidence!r} is above the grade its basis supports "
                    f"({computed!r}; see docs/evidence-grades.md)",
                )
            )
    return problems


def _missing(
    file: str, kind: str, required: Iterable[str], have: Mapping[str, Any]
) -> list[Problem]:
    return [
        Problem(file, "", f"missing {kind} {key!r} (required by DESIGN)")
        for key in required
        if key not in have
    ]


_ID_FIELDS: dict[str, str] = {
    "references": "reference",
    "concern": "concern",
    "concerns": "concern",
    "concerns_any": "concern",
    "condition": "condition",
    "conditions_any": "condition",
    "conditions_none": "condition",
    "with": "treatment",
    "ids": "treatment",
    "indicated_for": "concern",
}


def _dangling(
    file: str,
    data: Any,
    checks: list[tuple[str, Mapping[str, Any]]],
    path: str = "",
) -> list[Problem]:
    """Walk a dumped model and report every id field whose value does not resolve."""
    known = dict(checks)
    problems: list[Problem] = []
    for where, key, value in _walk(data, path):
        kind = _ID_FIELDS.get(key)
        if kind is None:
            continue
        values = value if isinstance(value, list | tuple) else [value]
        for item in values:
            if isinstance(item, str) and item not in known[kind]:
                problems.append(Problem(file, where, f"unknown {kind} id {item!r}"))
    return problems


def _walk(data: Any, path: str) -> Iterator[tuple[str, str, Any]]:
    if isinstance(data, dict):
        for key, value in data.items():
            where = f"{path}.{key}" if path else str(key)
            yield where, str(key), value
            yield from _walk(value, where)
    elif isinstance(data, list | tuple):
        for index, value in enumerate(data):
            yield from _walk(value, f"{path}[{index}]")


__all__ = [
    "KnowledgeBase",
    "KnowledgeBaseError",
    "Problem",
    "cross_check",
    "default_data_dir",
    "grading_problems",
    "load",
    "undecided_pairs",
]
