"""The decision aid pages: form, result, 422 with field errors, PDF; nothing stored or logged."""

from __future__ import annotations

import logging
import re
import shutil
import subprocess

import pytest
from conftest_require import require_tool
from fastapi.testclient import TestClient

from treatwise.knowledge import KnowledgeBase

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


def test_form_asks_every_question(client: TestClient, fake: KnowledgeBase) -> None:
    html = client.get("/decide").text
    for concern in fake.concerns.values():
        assert f'name="concerns" value="{concern.id}"' in html and concern.name in html
    for condition in fake.conditions.values():
        assert condition.question in html
        assert f'name="cond-{condition.id}" value="yes"' in html
        assert f'name="cond-{condition.id}" value="no"' in html
    for n in range(1, 7):
        assert f'name="fitzpatrick" value="{n}"' in html
    assert "always burns, never tans" in html and "never burns" in html
    for setting in ("medical", "salon", "home"):
        assert f'name="setting" value="{setting}"' in html
    for name in (
        "age",
        "max_downtime_days",
        "max_sessions",
        "budget_per_session_usd",
        "avoid_needles",
        "avoid_injections",
        "matters",
    ):
        assert f'name="{name}"' in html
    assert 'method="post" action="/decide"' in html
    assert "not stored" in html


def test_result_shows_red_flags_first_then_ranked_options(client: TestClient) -> None:
    r = client.post("/decide", data=INTAKE)
    assert r.status_code == 200
    assert r.headers["cache-control"] == "no-store"
    html = r.text
    flag = html.index("See a doctor first")
    options = html.index("Every option, safest and best-fitting first")
    assert flag < options
    assert "Have the spot checked by a doctor first." in html
    assert html.index("Microneedling</a>") < html.index("Mesotherapy</a>")  # ranked
    assert '<span class="rank">1.</span>' in html and '<span class="rank">2.</span>' in html
    assert "Your best-supported option" in html
    assert "Mesotherapy + Microneedling" in html  # combination
    assert "SURE check" in html and html.count('name="sure-') == 8
    assert "Questions to ask your clinician" in html
    assert "The strongest evidence that it works" in html  # what matters most, reflected
    assert "formaction" not in html and 'action="/decide.pdf"' in html
    # the PDF form carries the same answers
    assert '<input type="hidden" name="cond-suspicious-lesion" value="yes">' in html
    assert '<input type="hidden" name="age" value="34">' in html
    assert "Test disclaimer: see a clinician." in html
    assert re.search(r'<sup class="ref">\[<a href="#ref-[a-z0-9-]+">1</a>', html)


def test_invalid_answers_show_the_form_again_with_field_errors(client: TestClient) -> None:
    r = client.post(
        "/decide",
        data={"age": "thirty", "max_sessions": "lots", "cond-pregnant": "yes", "fitzpatrick": "9"},
    )
    assert r.status_code == 422
    html = r.text
    assert "Please check these answers" in html
    assert "Choose at least one concern from the list." in html
    assert "Enter your age as a whole number of years" in html
    assert "Enter a whole number of sessions" in html
    assert "Choose a skin type from 1 to 6" in html
    assert 'id="field-age" name="age"' in html and 'aria-invalid="true"' in html
    assert 'value="thirty"' in html  # kept so the person can correct it
    assert 'name="cond-pregnant" value="yes" checked' in html
    assert "Traceback" not in html


def test_unknown_concern_names_the_valid_ones(client: TestClient) -> None:
    r = client.post("/decide", data={"age": "40", "concerns": ["wrinkles"]})
    assert r.status_code == 422
    assert "Choose at least one concern from the list." in r.text


def test_nothing_is_logged(client: TestClient, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    client.post("/decide", data={**INTAKE, "age": "57"})
    client.post("/decide", data={"age": "57x"})
    for record in caplog.records:
        message = record.getMessage()
        assert "57" not in message and "suspicious-lesion" not in message


def test_pdf_handout_from_the_posted_form(client: TestClient, tmp_path) -> None:  # type: ignore[no-untyped-def]
    require_tool(
        shutil.which("pdftotext") is not None, "pdftotext", "apt-get install poppler-utils"
    )
    r = client.post("/decide.pdf", data={**INTAKE, "sure-sure": "no"})
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
    assert "See a doctor first" in flat
    assert "Have the spot checked by a doctor first." in flat
    assert "1. Microneedling" in flat and "2. Mesotherapy" in flat
    assert "Do you feel sure about the best choice for you? No" in flat
    assert "Questions to ask your clinician" in flat
    assert "Test disclaimer: see a clinician." in flat
    assert "Are you SURE?" in flat  # the SURE source in the reference list


def test_pdf_with_bad_answers_is_the_form_again(client: TestClient) -> None:
    r = client.post("/decide.pdf", data={"age": ""})
    assert r.status_code == 422 and "Please check" in r.text
