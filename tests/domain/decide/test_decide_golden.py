"""Golden cases (golden_cases*.yaml): intake → statuses, best, red flags; from the sources."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from treatwise.domain.decide import Assessment

CASES: list[dict[str, Any]] = [
    case
    for path in sorted(Path(__file__).parent.glob("golden_cases*.yaml"))
    for case in yaml.safe_load(path.read_text(encoding="utf-8"))["cases"]
]
EVERY_RULE = {f"R{n:02d}" for n in range(1, 33)}

Decide = Callable[[dict[str, Any]], Assessment]


def test_there_are_at_least_40_cases_with_unique_ids() -> None:
    ids = [case["id"] for case in CASES]
    assert len(ids) >= 40
    assert len(set(ids)) == len(ids)


def test_cases_cover_every_rule_r01_to_r32() -> None:
    covered = {rule[:3] for case in CASES for rule in case["rules"]}
    assert covered >= EVERY_RULE, f"no golden case for {sorted(EVERY_RULE - covered)}"


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_golden_case(case: dict[str, Any], decide: Decide) -> None:
    result = decide(case["intake"])
    options = {option.treatment: option for option in result.options}
    for treatment, expected in case.get("statuses", {}).items():
        allowed = expected if isinstance(expected, list) else [expected]
        assert options[treatment].status in allowed, f"{treatment}: {options[treatment].status}"
    if "best" in case:
        assert result.best == case["best"]
    if "red_flags" in case:
        got = {(flag.condition, flag.action) for flag in result.red_flags}
        assert got == {tuple(pair) for pair in case["red_flags"]}
    if "see_doctor_first" in case:
        assert result.see_doctor_first is case["see_doctor_first"]
    _check_extras(case, result)


def _check_extras(case: dict[str, Any], result: Assessment) -> None:
    options = {option.treatment: option for option in result.options}
    for treatment, refs in case.get("cites", {}).items():
        cited = {ref for reason in options[treatment].reasons for ref in reason.references}
        assert set(refs) <= cited, f"{treatment} does not cite {set(refs) - cited}"
    for above, below in case.get("ranked_before", []):
        assert options[above].rank < options[below].rank, f"{above} should rank above {below}"
    if "combinations" in case:
        got = {combo.treatments for combo in result.combinations}
        assert got == {tuple(pair) for pair in case["combinations"]}
    for treatment in case.get("preference_reason", []):
        kinds = {reason.kind for reason in options[treatment].reasons}
        assert "preference" in kinds, f"{treatment} has no preference reason"
    _check_v2(case, result)


def _check_v2(case: dict[str, Any], result: Assessment) -> None:
    """Contract v2 keys: next_step, best_by_concern, not_picked, considered, unsure."""
    options = {option.treatment: option for option in result.options}
    if "next_step" in case:
        assert result.next_step == case["next_step"]
    for concern, pick in case.get("best_by_concern", {}).items():
        assert result.best_by_concern[concern] == pick, concern
    picked = set(result.best_by_concern.values())
    for treatment in case.get("not_picked", []):
        assert treatment not in picked, f"{treatment} is a pick"
    if "considered" in case:
        expected = case["considered"]
        got = result.considered
        assert (got is None) == (expected is None)
        if got is not None:
            assert (got.treatment, got.status) == (expected["treatment"], expected["status"])
            assert got.rank == options[got.treatment].rank
    for treatment in case.get("unsure_reason", []):
        kinds = {reason.kind for reason in options[treatment].reasons}
        assert "unsure" in kinds, f"{treatment} has no unsure reason"
    for treatment in case.get("at_least_review", []):
        assert options[treatment].status in ("doctor_review", "wait", "not_suitable"), treatment
