"""The safety matrix: for every treatment and condition, what the decision aid decides, and why.

:func:`build_matrix` is pure: it reads the knowledge base only. For one
(treatment, condition) pair it gathers

- the treatment's contraindication rows for the condition (a ``none`` row
  decides "no known restriction" and says why), each for its settings;
- the rules of ``rules.yaml`` triggered by the condition whose effect selects
  the treatment and sets a status. A rule triggered by the condition alone (or
  with a setting) counts towards the status; one that also needs something
  else (a concern, a sex, an age) is listed with a ``when`` in plain words and
  does not change the cell's status, since it holds only for some people;

and decides a status per setting: the strictest that applies there, ``suitable``
("no known restriction") when only ``none`` rows decide it, ``undecided`` when no
row covers that setting. The decision aid applies the same rows and rules
(``domain/decide/screening.py``); the matrix shows them to clinicians.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from treatwise.domain.decide.screening import LEVEL_STATUS, STRICTNESS, Status, selects
from treatwise.knowledge import KnowledgeBase
from treatwise.knowledge.schema import SETTINGS, Rule, RuleTrigger, Setting, Treatment

CellStatus = Status | Literal["undecided"]
CELL_STATUSES: tuple[CellStatus, ...] = (
    "not_suitable",
    "wait",
    "doctor_review",
    "caution",
    "suitable",
    "undecided",
)
"""Strictest first; ``suitable`` here means "no known restriction"."""

SETTING_LABELS: dict[str, str] = {"medical": "clinic", "salon": "salon", "home": "home"}


@dataclass(frozen=True)
class Entry:
    """One row or rule effect that decides (part of) a cell."""

    status: Status
    """``suitable`` for a ``none`` row (decided: no known restriction)."""
    settings: tuple[Setting, ...]
    text: str
    references: tuple[str, ...]
    source: Literal["row", "rule"]
    rule: str | None = None
    """The R01–R32 id, for maintainers; never shown to readers."""
    when: str | None = None
    """For a rule that also needs something besides the condition: that, in plain words."""


@dataclass(frozen=True)
class Cell:
    """The decision for one (treatment, condition) pair, per setting."""

    treatment: str
    condition: str
    by_setting: tuple[tuple[Setting, CellStatus], ...]
    entries: tuple[Entry, ...]

    @property
    def status(self) -> CellStatus:
        """The strictest status over the settings (``undecided`` only when every setting is)."""
        statuses = [status for _, status in self.by_setting]
        decided = [s for s in statuses if s != "undecided"]
        if not decided:
            return "undecided"
        return max(decided, key=lambda s: STRICTNESS[s])

    @property
    def uniform(self) -> bool:
        """Whether every setting has the same status."""
        return len({status for _, status in self.by_setting}) == 1

    @property
    def references(self) -> tuple[str, ...]:
        """Every reference of the cell's entries, in order, once."""
        return tuple(dict.fromkeys(r for e in self.entries for r in e.references))

    def groups(self) -> tuple[tuple[CellStatus, tuple[Setting, ...]], ...]:
        """The settings grouped by status, strictest first (one group when uniform)."""
        out: dict[CellStatus, list[Setting]] = {}
        for setting, status in self.by_setting:
            out.setdefault(status, []).append(setting)
        order = {s: i for i, s in enumerate(CELL_STATUSES)}
        return tuple((s, tuple(out[s])) for s in sorted(out, key=order.__getitem__))


@dataclass(frozen=True)
class Matrix:
    """Every treatment × condition cell, treatments by name, conditions in data order."""

    treatments: tuple[str, ...]
    conditions: tuple[str, ...]
    cells: dict[tuple[str, str], Cell]

    def cell(self, treatment: str, condition: str) -> Cell:
        return self.cells[(treatment, condition)]

    def row(self, treatment: str) -> tuple[Cell, ...]:
        """One treatment's cells, in condition order."""
        return tuple(self.cells[(treatment, c)] for c in self.conditions)

    def undecided(self) -> tuple[Cell, ...]:
        """Cells with a setting that no row decides."""
        return tuple(
            c for c in self.cells.values() if any(s == "undecided" for _, s in c.by_setting)
        )


def build_matrix(kb: KnowledgeBase) -> Matrix:
    """The decided status, text and references of every (treatment, condition) pair."""
    treatments = tuple(sorted(kb.treatments, key=lambda t: (kb.treatments[t].name.lower(), t)))
    conditions = tuple(kb.conditions)
    cells = {
        (t, c): _cell(kb, kb.treatments[t], c, kb.rules.rules)
        for t in treatments
        for c in conditions
    }
    return Matrix(treatments=treatments, conditions=conditions, cells=cells)


def _cell(kb: KnowledgeBase, treatment: Treatment, condition: str, rules: Iterable[Rule]) -> Cell:
    entries = [
        Entry(
            status="suitable" if row.level == "none" else LEVEL_STATUS[row.level],
            settings=row.settings,
            text=row.text,
            references=row.references,
            source="row",
            rule=row.rule,
        )
        for row in treatment.contraindications
        if row.condition == condition
    ]
    entries += _rule_entries(kb, treatment, condition, rules)
    by_setting = tuple((s, _decide(s, entries)) for s in SETTINGS)
    return Cell(treatment.id, condition, by_setting, tuple(entries))


def _rule_entries(
    kb: KnowledgeBase, treatment: Treatment, condition: str, rules: Iterable[Rule]
) -> list[Entry]:
    out = []
    for rule in rules:
        if condition not in rule.when.conditions_any:
            continue
        for effect in rule.effects:
            if effect.status is None or not selects(effect.treatments, treatment):
                continue
            out.append(
                Entry(
                    status=effect.status,
                    settings=rule.when.settings or SETTINGS,
                    text=effect.text,
                    references=effect.references or rule.references,
                    source="rule",
                    rule=rule.id,
                    when=_when(kb, rule.when),
                )
            )
    return out


def _decide(setting: Setting, entries: list[Entry]) -> CellStatus:
    here = [e.status for e in entries if setting in e.settings and e.when is None]
    if not here:
        return "undecided"
    return max(here, key=lambda s: STRICTNESS[s])


_ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV", 5: "V", 6: "VI"}


def _when(kb: KnowledgeBase, trigger: RuleTrigger) -> str | None:
    """What else a rule needs besides its condition and setting, in plain words; None: nothing."""
    parts = []
    if trigger.concerns_any:
        names = [
            kb.concerns[c].name.lower() if c in kb.concerns else c for c in trigger.concerns_any
        ]
        parts.append("for " + " or ".join(names))
    if trigger.sex:
        parts.append(
            "in " + " or ".join({"female": "women", "male": "men"}.get(s, s) for s in trigger.sex)
        )
    if trigger.age_below is not None:
        parts.append(f"under {trigger.age_below}")
    if trigger.fitzpatrick_at_least is not None:
        parts.append(f"for skin type {_ROMAN[trigger.fitzpatrick_at_least]} or darker")
    if trigger.conditions_none:
        names = [
            kb.conditions[c].name.lower() for c in trigger.conditions_none if c in kb.conditions
        ]
        parts.append("without " + " or ".join(names))
    if trigger.avoid_needles is not None or trigger.avoid_injections is not None:
        parts.append("depending on the person's preferences")
    return ", ".join(parts) or None


__all__ = [
    "CELL_STATUSES",
    "SETTING_LABELS",
    "Cell",
    "CellStatus",
    "Entry",
    "Matrix",
    "build_matrix",
]
