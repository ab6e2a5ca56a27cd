"""API, CLI and web give the same v2 answer for the same intake (the packaged knowledge base).

The API and the CLI return the Assessment JSON; the web page shows it: its
heading is the next step, its picks are ``best_by_concern``, its options are
ranked in the same order, and ``considered`` appears word for word.
"""

from __future__ import annotations

import json
import re
import warnings
from html import unescape
from typing import Any

import pytest
from typer.testing import CliRunner

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from treatwise.cli import app as cli
from treatwise.config import Settings
from treatwise.knowledge import KnowledgeBase
from treatwise.knowledge.words import NEXT_STEP_HEADLINES
from treatwise.web.app import create_app

CASES: dict[str, tuple[dict[str, Any], dict[str, str]]] = {
    # name: (intake JSON, the same answers as posted by the web form)
    "hair-loss": (
        {"age": 29, "sex": "female", "concerns": ["hair-loss"]},
        {},
    ),
    "pregnant": (
        {"age": 31, "sex": "female", "concerns": ["acne-scars"], "conditions": ["pregnant"]},
        {"cond-pregnant": "yes"},
    ),
    "scars-type-3": (
        {"age": 27, "sex": "male", "fitzpatrick": 3, "concerns": ["acne-scars"]},
        {"considering": "mesotherapy"},
    ),
    "scars-and-chin": (
        {"age": 42, "sex": "female", "concerns": ["acne-scars", "double-chin"]},
        {"considering": "fractional-laser"},
    ),
}


@pytest.fixture(scope="module")
def web(kb: KnowledgeBase) -> TestClient:
    return TestClient(create_app(Settings(env="test", secret_key="k"), kb))


def _form(intake: dict[str, Any], answers: dict[str, str], kb: KnowledgeBase) -> dict[str, Any]:
    """The web form for an intake: every asked question answered "no" unless given."""
    from treatwise.domain.decide import questions

    form: dict[str, Any] = {
        "age": str(intake["age"]),
        "sex": intake["sex"],
        "concerns": intake["concerns"],
        "setting": "medical",
    }
    if "fitzpatrick" in intake:
        form["fitzpatrick"] = str(intake["fitzpatrick"])
    for condition in questions(kb, sex=intake["sex"], concerns=intake["concerns"]):
        form[f"cond-{condition.id}"] = "no"
    return {**form, **answers}


@pytest.mark.parametrize("name", CASES)
def test_api_cli_and_web_agree(
    name: str, web: TestClient, kb: KnowledgeBase, tmp_path: Any
) -> None:
    intake, answers = CASES[name]
    if "considering" in answers:
        intake = {**intake, "considering": answers["considering"]}
    api = web.post("/api/v1/assessments", json=intake).json()
    path = tmp_path / "intake.json"
    path.write_text(json.dumps(intake), encoding="utf-8")
    run = CliRunner().invoke(cli, ["decide", "--intake", str(path), "--format", "json"])
    assert run.exit_code == 0, run.output
    assert json.loads(run.stdout) == api

    html = unescape(web.post("/decide", data=_form(intake, answers, kb)).text)
    heading = re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S)
    assert heading is not None and heading.group(1).strip() == NEXT_STEP_HEADLINES[api["next_step"]]
    ranked = re.findall(r'<span class="rank">\d+\.</span> <a href="/treatments/([a-z-]+)">', html)
    assert ranked == [option["treatment"] for option in api["options"]]
    picks = re.findall(
        r'<article class="card pick">\s*<h3>[^<]*<a href="/treatments/([a-z-]+)">', html
    )
    if api["next_step"] == "choose":
        assert picks == [t for t in api["best_by_concern"].values() if t is not None]
    else:
        assert picks == []
    if api["considered"] is not None:
        assert api["considered"]["text"] in html
