"""The loader refuses undecided (treatment, condition) pairs and evidence grades above their basis.

Fixture data: a copy of the packaged knowledge base, edited per test (``edit_yaml``).
``decided`` also fills any pair the copy leaves open with a ``none`` row, so the tests
hold whatever the packaged data decides.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from support.kbcopy import edit_yaml, problems_of
from typer.testing import CliRunner

from treatwise.cli import app
from treatwise.knowledge import KnowledgeBase, load
from treatwise.knowledge.loader import undecided_pairs
from treatwise.knowledge.schema import SETTINGS


def _conditions(data_dir: Path) -> list[str]:
    data = yaml.safe_load((data_dir / "conditions.yaml").read_text(encoding="utf-8"))
    return [c["id"] for c in data["conditions"]]


def _decide_every_pair(data_dir: Path) -> None:
    """Add a 'none' row for every setting a pair leaves undecided (fixture data only)."""
    conditions = _conditions(data_dir)
    for path in sorted((data_dir / "treatments").glob("*.yaml")):

        def fill(d: dict[str, Any]) -> None:
            rows = d.setdefault("contraindications", [])
            covered: dict[str, set[str]] = {}
            for row in rows:
                covered.setdefault(row["condition"], set()).update(row.get("settings", SETTINGS))
            for condition in conditions:
                left = [s for s in SETTINGS if s not in covered.get(condition, set())]
                if left:
                    text = "Fixture: no known restriction."
                    rows.append(
                        {"condition": condition, "level": "none", "text": text, "settings": left}
                    )

        edit_yaml(path, fill)


@pytest.fixture
def decided(data_dir: Path) -> Path:
    _decide_every_pair(data_dir)
    return data_dir


def test_a_kb_with_every_pair_decided_loads(decided: Path) -> None:
    kb = load(decided)
    for treatment in kb.treatments.values():
        assert {row.condition for row in treatment.contraindications} == set(kb.conditions)


def test_a_pair_without_any_row_is_refused_naming_it(decided: Path) -> None:
    path = decided / "treatments" / "prp.yaml"
    edit_yaml(
        path,
        lambda d: d.update(
            contraindications=[
                r for r in d["contraindications"] if r["condition"] != "heart-disease"
            ]
        ),
    )
    found = [p for p in problems_of(decided) if "undecided" in p]
    assert found == [
        "treatments/prp.yaml: contraindications: undecided pair: treatment 'prp', condition "
        "'heart-disease': no row for the settings medical, salon, home (add a row, or a "
        "'none' row saying why nothing restricts it)"
    ]


def test_a_pair_decided_for_some_settings_names_the_settings_left(decided: Path) -> None:
    path = decided / "treatments" / "microneedling.yaml"

    def narrow(d: dict[str, Any]) -> None:
        rows = [r for r in d["contraindications"] if r["condition"] != "pacemaker"]
        rows.append(
            {"condition": "pacemaker", "level": "none", "text": "x", "settings": ["medical"]}
        )
        d["contraindications"] = rows

    edit_yaml(path, narrow)
    found = [p for p in problems_of(decided) if "undecided" in p]
    assert len(found) == 1
    assert "treatment 'microneedling', condition 'pacemaker'" in found[0]
    assert found[0].endswith(
        "no row for the settings salon, home (add a row, or a 'none' row saying why nothing "
        "restricts it)"
    )


def test_rows_of_several_levels_together_decide_a_pair(decided: Path) -> None:
    path = decided / "treatments" / "chemical-peel.yaml"

    def split(d: dict[str, Any]) -> None:
        rows = [r for r in d["contraindications"] if r["condition"] != "recent-radiation"]
        rows += [
            {
                "condition": "recent-radiation",
                "level": "doctor_review",
                "text": "x",
                "settings": ["medical"],
                "references": ["s61"],
            },
            {
                "condition": "recent-radiation",
                "level": "absolute",
                "text": "y",
                "settings": ["salon", "home"],
                "references": ["s61"],
            },
        ]
        d["contraindications"] = rows

    edit_yaml(path, split)
    assert load(decided).treatment("chemical-peel")


def test_kb_validate_refuses_an_undecided_pair(decided: Path) -> None:
    path = decided / "treatments" / "topical-retinoid.yaml"
    edit_yaml(
        path,
        lambda d: d.update(
            contraindications=[r for r in d["contraindications"] if r["condition"] != "pregnant"]
        ),
    )
    result = CliRunner().invoke(app, ["kb", "validate", "--data-dir", str(decided)])
    assert result.exit_code == 1
    assert "treatment 'topical-retinoid', condition 'pregnant'" in result.output


def _set_basis(path: Path, concern: str, evidence: str, basis: dict[str, Any] | None) -> None:
    def change(d: dict[str, Any]) -> None:
        for ind in d["indications"]:
            if ind["concern"] == concern:
                ind["evidence"] = evidence
                if basis is None:
                    ind.pop("basis", None)
                else:
                    ind["basis"] = basis

    edit_yaml(path, change)


def test_a_stated_grade_above_its_basis_is_refused(data_dir: Path) -> None:
    path = data_dir / "treatments" / "cryolipolysis.yaml"
    basis = {"design": "uncontrolled", "participants": 30}  # low, one down: very_low
    _set_basis(path, "localized-fat", "moderate", basis)
    found = [p for p in problems_of(data_dir) if "above the grade" in p]
    assert len(found) == 1
    assert found[0].startswith("treatments/cryolipolysis.yaml: indications[")
    assert (
        "treatment 'cryolipolysis', concern 'localized-fat': stated 'moderate' is above the "
        "grade its basis supports ('very_low'" in found[0]
    )


def test_a_stated_grade_at_or_below_its_basis_loads(data_dir: Path) -> None:
    path = data_dir / "treatments" / "cryolipolysis.yaml"
    _set_basis(path, "localized-fat", "low", {"design": "rct", "trials": 2, "participants": 80})
    ind = next(
        i
        for i in load(data_dir).treatment("cryolipolysis").indications
        if i.concern == "localized-fat"
    )
    assert ind.basis is not None and ind.evidence == "low"


def test_a_graded_level_with_a_negative_basis_is_refused(data_dir: Path) -> None:
    path = data_dir / "treatments" / "mesotherapy.yaml"
    _set_basis(path, "cellulite", "very_low", {"design": "rct", "trials": 3, "negative": True})
    assert any(
        "'advised_against'" in p and "concern 'cellulite'" in p for p in problems_of(data_dir)
    )


def test_basis_is_required_for_graded_levels(data_dir: Path) -> None:
    path = data_dir / "treatments" / "prp.yaml"
    first: dict[str, str] = {}

    def strip(d: dict[str, Any]) -> None:
        for ind in d["indications"]:
            ind.pop("basis", None)
        first["concern"] = d["indications"][0]["concern"]

    edit_yaml(path, strip)
    found = [p for p in problems_of(data_dir) if "needs a basis" in p and "'prp'" in p]
    assert any(f"concern {first['concern']!r}" in p for p in found)
    assert all(p.startswith("treatments/prp.yaml: indications[") for p in found)


def test_not_indicated_needs_no_basis(data_dir: Path) -> None:
    path = data_dir / "treatments" / "prp.yaml"

    def only_not_indicated(d: dict[str, Any]) -> None:
        for ind in d["indications"]:
            ind.pop("basis", None)
            ind["evidence"] = "not_indicated"

    edit_yaml(path, only_not_indicated)
    prp = load(data_dir).treatment("prp")
    assert all(i.basis is None and i.evidence == "not_indicated" for i in prp.indications)


def test_the_packaged_kb_decides_every_pair(kb: KnowledgeBase) -> None:
    for treatment in kb.treatments.values():
        assert not undecided_pairs("x", treatment, kb.conditions), treatment.id
