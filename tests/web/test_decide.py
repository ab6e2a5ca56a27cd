"""The decision aid pages: form, result, 422 with field errors, PDF; nothing stored or logged."""

from __future__ import annotations

import dataclasses
import logging
import re
import shutil
import subprocess
import time
from pathlib import Path
from types import MappingProxyType

import pytest
from fastapi.testclient import TestClient
from support.privacy import written_with
from support.require import require

from treatwise.knowledge import KnowledgeBase
from treatwise.web.intake_form import STEP_FIELDS

INTAKE = {
    "concerns": ["acne-scars"],
    "age": "34",
    "sex": "female",
    "fitzpatrick": "4",
    "setting": "medical",
    "cond-suspicious-lesion": "yes",
    "cond-pregnant": "no",
    "max_downtime_days": "3",
    "matters": "evidence",
}


def test_step_1_asks_about_you_and_your_concerns(client: TestClient, fake: KnowledgeBase) -> None:
    html = client.get("/decide").text
    assert "Step 1 of 3: About you and your concerns" in html
    for concern in fake.concerns.values():
        assert f'name="concerns" value="{concern.id}"' in html and concern.name in html
    for n in range(1, 7):
        assert f'name="fitzpatrick" value="{n}"' in html
    assert "always burns, never tans" in html and "never burns" in html
    assert 'name="age"' in html and 'name="sex"' in html
    assert 'name="go" value="health"' in html
    for condition in fake.conditions.values():  # health questions come in step 2
        assert condition.question not in html
    assert 'method="post" action="/decide"' in html
    assert "not stored" in html


def test_step_2_asks_each_relevant_question_yes_no_or_not_sure(
    client: TestClient, fake: KnowledgeBase
) -> None:
    about = {"concerns": ["acne-scars"], "age": "34", "sex": "female", "go": "health"}
    r = client.post("/decide", data=about)
    assert r.status_code == 200 and r.headers["cache-control"] == "no-store"
    html = r.text
    assert "Step 2 of 3: Your health" in html
    for condition in fake.conditions.values():
        assert condition.question in html
        for value in ("yes", "no", "unsure"):
            assert f'name="cond-{condition.id}" value="{value}"' in html
    assert "counts as “possibly yes”, never as “no”" in html
    # step 1's answers travel in hidden fields, never in the URL
    assert '<input type="hidden" name="age" value="34">' in html
    assert '<input type="hidden" name="concerns" value="acne-scars">' in html
    assert "?age=" not in html


def test_step_3_asks_preferences_and_the_treatment_considered(client: TestClient) -> None:
    data = {"concerns": ["acne-scars"], "age": "34", "cond-pregnant": "unsure", "go": "preferences"}
    html = client.post("/decide", data=data).text
    assert "Step 3 of 3: Your preferences" in html
    for name in STEP_FIELDS["preferences"]:  # every field of the step is on the page
        assert f'name="{name}"' in html
    assert '<select id="considering" name="considering">' in html
    assert '<option value="mesotherapy">Mesotherapy</option>' in html
    assert '<input type="hidden" name="cond-pregnant" value="unsure">' in html


def test_step_1_errors_stop_at_step_1(client: TestClient) -> None:
    r = client.post("/decide", data={"age": "thirty", "go": "health"})
    assert r.status_code == 422
    assert "Step 1 of 3" in r.text
    assert "Choose at least one concern from the list." in r.text
    assert 'value="thirty"' in r.text


def test_ask_if_decides_which_questions_are_asked(client: TestClient, fake: KnowledgeBase) -> None:
    """Fixture data: pregnancy asked only of women and others; keloids only about acne scars."""
    from treatwise.knowledge.schema import AskIf

    conditions = dict(fake.conditions)
    conditions["pregnant"] = conditions["pregnant"].model_copy(
        update={"ask_if": AskIf(sex=("female", "other"))}
    )
    conditions["keloid-tendency"] = conditions["keloid-tendency"].model_copy(
        update={"ask_if": AskIf(concerns_any=("acne-scars",))}
    )
    kb = dataclasses.replace(fake, conditions=MappingProxyType(conditions))
    app = client.app
    app.state.kb = kb  # type: ignore[attr-defined]
    try:
        men = client.post(
            "/decide", data={"concerns": ["melasma"], "age": "40", "sex": "male", "go": "health"}
        ).text
        assert conditions["pregnant"].question not in men
        assert conditions["keloid-tendency"].question not in men
        assert conditions["suspicious-lesion"].question in men
        women = client.post(
            "/decide",
            data={"concerns": ["acne-scars"], "age": "40", "sex": "female", "go": "health"},
        ).text
        assert conditions["pregnant"].question in women
        assert conditions["keloid-tendency"].question in women
        # a question not asked is not sent as unsure: the man's result has no "not sure" box
        result = client.post(
            "/decide",
            data={
                "concerns": ["melasma"],
                "age": "40",
                "sex": "male",
                "cond-suspicious-lesion": "no",
            },
        ).text
        assert "You were not sure" not in result
    finally:
        app.state.kb = fake  # type: ignore[attr-defined]


def test_result_leads_with_what_to_do_now_then_folds_the_options(client: TestClient) -> None:
    r = client.post("/decide", data=INTAKE)
    assert r.status_code == 200
    assert r.headers["cache-control"] == "no-store"
    html = r.text
    assert "<h1" in html and "See a doctor before any treatment</h1>" in html
    now = html.index("What to do now")
    options = html.index("Options to discuss with your doctor")
    assert now < options
    assert "Have the spot checked by a doctor first." in html
    assert '<details class="later">' in html  # folded: never presented as a recommendation
    assert 'class="card pick"' not in html
    assert html.index("Microneedling</a>") < html.index("Mesotherapy</a>")  # ranked
    assert '<span class="rank">1.</span>' in html and '<span class="rank">2.</span>' in html
    assert ">Suitable<" not in html
    assert "Safety for you" in html and "Strength of evidence" in html
    assert "Mesotherapy + Microneedling" in html  # combination
    assert "SURE check" in html and html.count('name="sure-') == 8
    assert "Questions to ask your clinician" in html
    assert "The strongest evidence that it works" in html  # what matters most, reflected
    assert "formaction" not in html and 'action="/decide.pdf"' in html
    # the PDF form and "Change my answers" carry the same answers
    assert html.count('<input type="hidden" name="cond-suspicious-lesion" value="yes">') >= 2
    assert html.count('<input type="hidden" name="age" value="34">') >= 2
    assert 'name="go" value="about"' in html and "Change my answers" in html
    assert "Test disclaimer: see a clinician." in html
    assert re.search(r'<sup class="ref">\[<a href="#ref-[a-z0-9-]+">1</a>', html)


def test_unanswered_questions_are_not_sure_never_no(client: TestClient) -> None:
    data = {"concerns": ["acne-scars"], "age": "34", "cond-suspicious-lesion": "no"}
    html = client.post("/decide", data=data).text
    assert "You were not sure about 2 questions; settle them first" in html
    assert "Are you pregnant or trying to become pregnant?" in html
    assert "Have you ever had raised, thick scars (keloids)?" in html
    assert "Doctor must assess first" in html  # the "not sure" answers hold options back
    answered = {
        **data,
        "cond-pregnant": "no",
        "cond-keloid-tendency": "no",
        "considering": "microneedling",
    }
    html = client.post("/decide", data=answered).text
    assert "You were not sure" not in html
    assert "You can choose: one pick for each concern</h1>" in html
    assert 'Acne scars: <a href="/treatments/microneedling">Microneedling</a>' in html
    assert 'href="/plan/microneedling"' in html  # the plan is one link away
    assert "About Microneedling, which you asked about" in html


def test_change_my_answers_returns_to_the_filled_form(client: TestClient) -> None:
    data = {**INTAKE, "cond-pregnant": "unsure", "go": "about"}
    html = client.post("/decide", data=data).text
    assert "Step 1 of 3" in html
    assert 'name="concerns" value="acne-scars" checked' in html
    assert 'value="34"' in html and 'name="sex" value="female" checked' in html
    assert '<input type="hidden" name="cond-pregnant" value="unsure">' in html
    assert '<input type="hidden" name="max_downtime_days" value="3">' in html
    health = client.post("/decide", data={**data, "go": "health"}).text
    assert 'name="cond-pregnant" value="unsure" checked' in health
    assert 'name="cond-suspicious-lesion" value="yes" checked' in health


def test_invalid_answers_show_the_step_with_the_error(client: TestClient) -> None:
    r = client.post(
        "/decide",
        data={"age": "thirty", "max_sessions": "lots", "cond-pregnant": "yes", "fitzpatrick": "9"},
    )
    assert r.status_code == 422
    html = r.text
    assert "Step 1 of 3" in html
    assert "Please check these answers" in html
    assert "Choose at least one concern from the list." in html
    assert "Enter your age as a whole number of years" in html
    assert "Choose a skin type from 1 to 6" in html
    assert 'id="field-age" name="age"' in html and 'aria-invalid="true"' in html
    assert 'value="thirty"' in html  # kept so the person can correct it
    assert '<input type="hidden" name="cond-pregnant" value="yes">' in html
    assert '<input type="hidden" name="max_sessions" value="lots">' in html
    assert "Traceback" not in html
    later = client.post(
        "/decide", data={"age": "30", "concerns": ["acne-scars"], "max_sessions": "lots"}
    )
    assert later.status_code == 422
    assert "Step 3 of 3" in later.text and "Enter a whole number of sessions" in later.text


def test_unknown_concern_names_the_valid_ones(client: TestClient) -> None:
    r = client.post("/decide", data={"age": "40", "concerns": ["wrinkles"]})
    assert r.status_code == 422
    assert "Choose at least one concern from the list." in r.text


def test_nothing_is_logged(client: TestClient, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    v2 = {"cond-pregnant": "unsure", "considering": "mesotherapy"}
    client.post("/decide", data={**INTAKE, **v2, "age": "57"})
    for step in ("about", "health", "preferences"):
        client.post("/decide", data={**INTAKE, **v2, "age": "57", "go": step})
    client.post("/decide", data={"age": "57x"})
    client.post("/decide.pdf", data={**INTAKE, **v2, "age": "57"})
    for record in caplog.records:
        message = record.getMessage()
        assert "57" not in message and "suspicious-lesion" not in message
        assert "pregnant" not in message and "mesotherapy" not in message


def test_pdf_handout_from_the_posted_form(client: TestClient, tmp_path) -> None:  # type: ignore[no-untyped-def]
    require(shutil.which("pdftotext") is not None, "pdftotext", "apt-get install poppler-utils")
    require(shutil.which("pdfinfo") is not None, "pdfinfo", "apt-get install poppler-utils")
    r = client.post("/decide.pdf", data={**INTAKE, "sure-sure": "no", "cond-pregnant": "unsure"})
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/pdf"
    assert r.headers["cache-control"] == "no-store"
    assert "attachment" in r.headers["content-disposition"]
    assert r.content.startswith(b"%PDF")
    (tmp_path / "h.pdf").write_bytes(r.content)
    text = subprocess.run(
        ["pdftotext", "-layout", str(tmp_path / "h.pdf"), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    flat = " ".join(text.split())
    assert "See a doctor before any treatment" in flat  # the next step
    assert "Have the spot checked by a doctor first." in flat
    assert re.search(r"\b\d{1,2} [A-Z][a-z]+ 20\d\d\b", flat)  # the date
    assert "Health: yes Suspicious spot" in flat
    assert "Health: not sure Keloid scars, Pregnancy" in flat
    assert "Top options per concern (to discuss with the doctor)" in flat
    assert "Microneedling" in flat
    assert "Do you feel sure about the best choice for you? No" in flat
    assert "Questions to ask" in flat
    assert "/sources" in flat  # where the sources are
    pages = subprocess.run(
        ["pdfinfo", str(tmp_path / "h.pdf")], capture_output=True, text=True, check=True
    ).stdout
    assert re.search(r"^Pages:\s+1$", pages, re.M), pages


def test_pdf_with_bad_answers_is_the_form_again(client: TestClient) -> None:
    r = client.post("/decide.pdf", data={"age": ""})
    assert r.status_code == 422 and "Please check" in r.text


def test_no_answer_of_any_step_is_logged_or_written(
    client: TestClient,
    caplog: pytest.LogCaptureFixture,
    capfd: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Every step, the result, "Change my answers" and the PDF, with the v2 answers."""
    marker = "4817.2391"  # a budget no one would type by chance
    monkeypatch.chdir(tmp_path)
    caplog.set_level(logging.DEBUG)
    start = time.time()
    answers = {
        **INTAKE,
        "budget_per_session_usd": marker,
        "cond-pregnant": "unsure",
        "considering": "mesotherapy",
    }
    for go in ("about", "health", "preferences", "result"):
        response = client.post("/decide", data={**answers, "go": go})
        assert response.status_code == 200
        assert marker not in response.headers.get("location", "")
    bad = client.post("/decide", data={**answers, "max_sessions": f"x{marker}"})
    assert bad.status_code == 422
    assert client.post("/decide.pdf", data=answers).status_code == 200
    out, err = capfd.readouterr()
    assert marker not in caplog.text + out + err
    assert not written_with(marker, tmp_path, since=start)
