"""``treatwise decide``: file, stdin and interactive input; exit 2 on bad input; nothing kept."""

from __future__ import annotations

import json
import logging
import time
from pathlib import Path
from typing import Any

import pytest
from support.privacy import written_with
from typer.testing import CliRunner

from treatwise.cli import app
from treatwise.domain.decide import assess, parse_intake, questions
from treatwise.knowledge import KnowledgeBase

runner = CliRunner()
INTAKE: dict[str, Any] = {
    "age": 34,
    "sex": "female",
    "fitzpatrick": 4,
    "concerns": ["acne-scars"],
    "conditions": ["isotretinoin-recent"],
}


def write(tmp_path: Path, data: Any, name: str = "intake.json") -> Path:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return path


def test_json_output_is_the_assessment(tmp_path: Path, kb: KnowledgeBase) -> None:
    result = runner.invoke(
        app, ["decide", "--intake", str(write(tmp_path, INTAKE)), "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    expected = assess(kb, parse_intake(kb, INTAKE)).model_dump_json(indent=2)
    assert result.stdout.strip() == expected


def test_text_output_puts_red_flags_first(tmp_path: Path, kb: KnowledgeBase) -> None:
    result = runner.invoke(app, ["decide", "--intake", str(write(tmp_path, INTAKE))])
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert out.index("SEE A DOCTOR FIRST") < out.index("Red flags:") < out.index("Options")
    assert "Microneedling" in out and "[s28" in out
    assert " ".join(kb.rules.disclaimer.split()[:6]) in " ".join(out.split())


def test_reads_standard_input(kb: KnowledgeBase) -> None:
    result = runner.invoke(
        app, ["decide", "--intake", "-", "--format", "json"], input=json.dumps(INTAKE)
    )
    assert result.exit_code == 0
    assert json.loads(result.stdout)["see_doctor_first"] is True


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (
            {"age": 34, "concerns": ["wrinkly-elbows"]},
            "concerns[0]: unknown concern id; valid values: acne-scars",
        ),
        ({"age": "34", "concerns": ["scars"]}, "age: a whole number of years"),
        ({"concerns": ["scars"]}, "age: required"),
        (
            {"age": 30, "concerns": ["scars"], "setting": "spa"},
            "valid values: medical, salon, home",
        ),
        ("{not json", "--intake: not valid JSON"),
        ("[1, 2]", "intake: expected a JSON object"),
    ],
)
def test_bad_input_exits_2_naming_the_field(tmp_path: Path, content: Any, expected: str) -> None:
    result = runner.invoke(app, ["decide", "--intake", str(write(tmp_path, content))])
    assert result.exit_code == 2
    assert expected in result.stderr
    assert "Traceback" not in result.output


def test_missing_file_exits_2(tmp_path: Path) -> None:
    result = runner.invoke(app, ["decide", "--intake", str(tmp_path / "nope.json")])
    assert result.exit_code == 2
    assert "--intake: cannot read the file" in result.stderr


def test_a_broken_knowledge_base_exits_1_without_a_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TREATWISE_DATA_DIR", str(tmp_path / "empty"))
    result = runner.invoke(app, ["decide", "--intake", str(write(tmp_path, INTAKE))])
    assert result.exit_code == 1
    assert "treatwise kb validate" in result.stderr and "Traceback" not in result.output


def test_unknown_format_exits_2(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["decide", "--intake", str(write(tmp_path, INTAKE)), "--format", "xml"]
    )
    assert result.exit_code == 2


def _answers(
    kb: KnowledgeBase, *, yes: set[str], unsure: set[str] = frozenset(), considering: str = ""
) -> str:
    concerns = sorted(kb.concerns)
    lines = ["29", "male", "5", str(concerns.index("acne-scars") + 1)]
    asked = questions(kb, sex="male", concerns=["acne-scars"])
    lines += ["y" if c.id in yes else "" if c.id in unsure else "n" for c in asked]
    lines += ["medical", "n", "n", "", "300", "", considering]
    return "\n".join(lines) + "\n"


def _same_as_assess(kb: KnowledgeBase, stdout: str, extra: dict[str, Any]) -> dict[str, Any]:
    """The JSON the interactive run printed equals assess() of the answers given by _answers."""
    data: dict[str, Any] = json.loads(stdout[stdout.index("{\n") :])
    intake = {"age": 29, "sex": "male", "fitzpatrick": 5, "concerns": ["acne-scars"], **extra}
    intake["preferences"] = {"budget_per_session_usd": 300.0}
    assert data == json.loads(assess(kb, parse_intake(kb, intake)).model_dump_json())
    return data


def test_interactive_unanswered_is_not_sure_and_asks_only_relevant_questions(
    kb: KnowledgeBase,
) -> None:
    names = sorted(kb.treatments.values(), key=lambda t: t.name)
    number = str([t.id for t in names].index("microneedling") + 1)
    unsure = {"active-cold-sore", "anticoagulants"}
    answers = _answers(kb, yes=set(), unsure=unsure, considering=number)
    result = runner.invoke(app, ["decide", "--format", "json"], input=answers)
    assert result.exit_code == 0, result.output
    assert "Are you trying to become pregnant" not in result.stdout  # ask_if: not for men
    assert "Are you pregnant" not in result.stdout
    extra = {"unsure": ["active-cold-sore", "anticoagulants"], "considering": "microneedling"}
    data = _same_as_assess(kb, result.stdout, extra)
    assert data["considered"]["treatment"] == "microneedling"


def test_text_output_leads_with_the_next_step(tmp_path: Path) -> None:
    body = {**INTAKE, "conditions": [], "unsure": ["pregnant"], "considering": "mesotherapy"}
    result = runner.invoke(app, ["decide", "--intake", str(write(tmp_path, body))])
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert out.index("WHAT TO DO NOW") < out.index("Options")
    assert "You were not sure about 1 question; settle it first" in out
    assert "Are you pregnant" in out
    assert "About Mesotherapy, which you asked about" in out


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ({"unsure": ["nope"]}, "unsure[0]: unknown condition id"),
        ({"considering": "botox"}, "considering: unknown treatment id"),
        ({"conditions": ["pregnant"], "unsure": ["pregnant"]}, "unsure[0]: also listed"),
    ],
)
def test_bad_v2_fields_exit_2(tmp_path: Path, body: dict[str, Any], expected: str) -> None:
    data = {"age": 30, "concerns": ["acne-scars"], **body}
    result = runner.invoke(app, ["decide", "--intake", str(write(tmp_path, data))])
    assert result.exit_code == 2
    assert expected in result.stderr
    assert "botox" not in result.stderr


def test_interactive_questions(kb: KnowledgeBase) -> None:
    answers = _answers(kb, yes={"keloid-tendency"})
    result = runner.invoke(app, ["decide", "--format", "json"], input=answers)
    assert result.exit_code == 0, result.output
    assert "Are you pregnant" not in result.stdout  # ask_if in conditions.yaml: not for men
    assert "Are you trying to become pregnant" not in result.stdout
    assert kb.conditions["keloid-tendency"].question in result.stdout
    _same_as_assess(kb, result.stdout, {"conditions": ["keloid-tendency"]})


def test_interactive_asks_again_after_an_unclear_answer(kb: KnowledgeBase) -> None:
    answers = _answers(kb, yes=set()).replace("29\nmale\n5\n", "29\nmaybe\nmale\n5\nnone\n0,1\n")
    result = runner.invoke(app, ["decide", "--format", "json"], input=answers)
    assert result.exit_code == 0, result.output
    assert "Please answer one of: female, male, other, skip" in result.stdout
    assert "Please give numbers from 1 to" in result.stdout
    assert result.stdout.count("Please give numbers") == 2


def test_interactive_rejects_a_non_number(kb: KnowledgeBase) -> None:
    answers = _answers(kb, yes=set()).replace("\n300\n", "\nlots\n")
    result = runner.invoke(app, ["decide"], input=answers)
    assert result.exit_code == 2
    assert "preferences.budget_per_session_usd" in result.stderr


def test_the_intake_is_never_logged_or_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    marker = "4817.2391"  # a budget no one would type by chance
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    caplog.set_level(logging.DEBUG)
    good = {
        **INTAKE,
        "preferences": {"budget_per_session_usd": float(marker)},
        "unsure": ["pregnant"],
        "considering": "microneedling",
    }
    source = write(tmp_path, good, "good.json")
    bad = write(tmp_path, {**INTAKE, "concerns": [f"x-{marker}"], "age": marker}, "bad.json")
    start = time.time()
    for args in (["--format", "json"], ["--format", "text"]):
        result = runner.invoke(app, ["decide", "--intake", str(source), *args])
        assert result.exit_code == 0
        assert marker not in result.stderr
    result = runner.invoke(app, ["decide", "--intake", str(bad)])
    assert result.exit_code == 2 and marker not in result.output
    assert marker not in caplog.text
    written = written_with(marker, work, since=start)
    assert set(written) <= {source, bad}, written


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("[" * 100_000, "--intake: not valid JSON"),  # too deep to decode: was a traceback
        ('{"age": 34, "age": 35, "concerns": ["scars"]}', "age: given more than once"),
        ('{"age": NaN, "concerns": ["scars"]}', "--intake: not valid JSON"),
        ('{"age": 34.0, "concerns": ["scars"]}', "age: a whole number of years"),
        ('{"age": 34, "concerns": ["scars", "scars"]}', "concerns[1]: listed more than once"),
        ('{"age": 34, "concerns": ["scars"], "fitzpatrick": 7}', "valid values: 1, 2, 3"),
        ('{"age": 34, "concerns": ["scars"], "preferences": {"x": 1}}', "preferences.x: unknown"),
        ('{"age": 34, "concerns": []}', "concerns: give at least one concern id"),
    ],
)
def test_edge_input_exits_2_without_a_traceback(
    tmp_path: Path, content: str, expected: str
) -> None:
    result = runner.invoke(app, ["decide", "--intake", str(write(tmp_path, content))])
    assert result.exit_code == 2, result.output
    assert expected in result.stderr
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_a_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(INTAKE).encode())
    result = runner.invoke(app, ["decide", "--intake", str(path), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["see_doctor_first"] is True
