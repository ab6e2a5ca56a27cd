"""``/plan/{treatment}``: the page and its form, field errors (422), the .ics file and the PDF."""

from __future__ import annotations

import datetime as dt
import html
import re
import shutil
import subprocess
import warnings
from pathlib import Path
from urllib.parse import urlencode

import pytest
from icalendar import Calendar
from support.require import require

from treatwise.domain.plan import Plan, plan
from treatwise.knowledge import KnowledgeBase, load
from treatwise.render.plan import format_date

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

TODAY = dt.date.today()
START = TODAY + dt.timedelta(days=40)
TREATMENTS = sorted(load().treatments)


def _text(page: str) -> str:
    """The visible words of a page, one space apart."""
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def _field_errors(page: str) -> dict[str, str]:
    return {
        m.group(1): html.unescape(m.group(2))
        for m in re.finditer(r'<span class="field-error" id="err-([a-z_]+)">([^<]*)</span>', page)
    }


def test_default_plan_starts_today(web: TestClient, kb: KnowledgeBase) -> None:
    r = web.get("/plan/microneedling")
    assert r.status_code == 200
    assert r.headers["cache-control"] == "no-store"
    expected = plan(kb, "microneedling", start=TODAY)
    words = _text(r.text)
    for session in expected.sessions:
        assert format_date(session.date) in words
    assert f'value="{TODAY.isoformat()}"' in r.text
    query = urlencode({"start": TODAY.isoformat(), "sessions": "4", "interval_weeks": "4"})
    assert f'href="/plan/microneedling.pdf?{html.escape(query)}"' in r.text
    assert f'href="/plan/microneedling.ics?{html.escape(query)}"' in r.text
    assert "Download PDF" in words and "Add to calendar (.ics)" in words


def _expected_words(result: Plan) -> list[str]:
    out = [format_date(s.date) for s in result.sessions]
    out += [format_date(c.date) for c in result.check_ins]
    out += [format_date(r.date) for r in result.reviews]
    out += [a.title for a in result.aftercare] + [a.text for a in result.aftercare]
    out += [w.text for w in result.warning_signs] + [c.text for c in result.preparation]
    return [" ".join(s.split()) for s in out]


@pytest.mark.parametrize("treatment", TREATMENTS)
def test_every_treatment_has_a_plan_page(
    web: TestClient, kb: KnowledgeBase, treatment: str
) -> None:
    r = web.get(f"/plan/{treatment}", params={"start": START.isoformat()})
    assert r.status_code == 200, _field_errors(r.text)
    result = plan(kb, treatment, start=START)
    words = _text(r.text)
    for fragment in _expected_words(result):
        assert fragment in words, fragment
    for ref_id in result.references:  # every cited source is in the numbered list
        assert f'id="ref-{ref_id}"' in r.text
    assert kb.rules.disclaimer in words


def test_chosen_sessions_and_interval(web: TestClient) -> None:
    r = web.get(
        "/plan/mesotherapy",
        params={"start": START.isoformat(), "sessions": "5", "interval_weeks": "2"},
    )
    assert r.status_code == 200
    words = _text(r.text)
    for n in range(5):
        assert f"{n + 1} of 5 {format_date(START + dt.timedelta(weeks=2 * n))}" in words
    assert '<option value="5" selected>' in r.text
    assert '<option value="2" selected>' in r.text


def test_daily_topical_page_has_months_and_no_interval(web: TestClient) -> None:
    r = web.get("/plan/topical-retinoid", params={"start": START.isoformat(), "sessions": "7"})
    assert r.status_code == 200
    words = _text(r.text)
    assert "Months of daily use" in words and 'name="interval_weeks"' not in r.text
    assert "Daily use and check-ins" in words and "If irritation or other problems occur" in words
    assert "No sourced price is available for this treatment." in words


def test_past_start_is_a_field_error(web: TestClient) -> None:
    past = TODAY - dt.timedelta(days=1)
    r = web.get("/plan/microneedling", params={"start": past.isoformat()})
    assert r.status_code == 422
    assert r.headers["cache-control"] == "no-store"
    errors = _field_errors(r.text)
    assert errors["start"].startswith("Is in the past")
    assert f"Choose {TODAY.isoformat()} or later." in errors["start"]
    assert 'aria-invalid="true" aria-describedby="err-start"' in r.text
    assert 'href="#field-start"' in r.text
    assert f'value="{past.isoformat()}"' in r.text  # shown again to correct
    assert "Download PDF" not in r.text


def test_out_of_range_and_unreadable_values(web: TestClient) -> None:
    r = web.get(
        "/plan/microneedling",
        params={"start": "31/12/2030", "sessions": "12", "interval_weeks": "often"},
    )
    assert r.status_code == 422
    errors = _field_errors(r.text)
    assert set(errors) == {"start", "sessions", "interval_weeks"}
    assert "YYYY-MM-DD" in errors["start"]
    assert (
        "from 3 to 6" in errors["sessions"] and "Choose one of: 3, 4, 5, 6." in errors["sessions"]
    )
    assert errors["interval_weeks"] == "Enter a number of weeks."
    assert 'name="start" type="date" value=""' in r.text  # a date input holds only a valid date


def test_interval_for_a_topical_is_an_error(web: TestClient) -> None:
    r = web.get("/plan/topical-minoxidil", params={"interval_weeks": "4"})
    assert r.status_code == 422
    assert "Does not apply: Topical minoxidil is used every day" in _text(r.text)


@pytest.mark.parametrize("path", ["/plan/botox", "/plan/botox.ics", "/plan/botox.pdf"])
def test_unknown_treatment_is_404(web: TestClient, path: str) -> None:
    r = web.get(path)
    assert r.status_code == 404
    assert "There is no page at this address" in r.text


def test_ics_download(web: TestClient, kb: KnowledgeBase) -> None:
    params = {"start": START.isoformat(), "sessions": "5", "interval_weeks": "6"}
    r = web.get("/plan/microneedling.ics", params=params)
    assert r.status_code == 200
    assert r.headers["content-type"] == "text/calendar; charset=utf-8"
    assert r.headers["content-disposition"] == (
        'attachment; filename="treatwise-microneedling-plan.ics"'
    )
    events = Calendar.from_ical(r.content).walk("VEVENT")
    expected = plan(kb, "microneedling", start=START, sessions=5, interval_weeks=6)
    assert len(events) == 5 + len(expected.timeline) + len(expected.reviews)
    sessions = sorted(
        e.decoded("dtstart") for e in events if str(e["uid"]).startswith("microneedling-session-")
    )
    assert sessions == [START + dt.timedelta(weeks=6 * n) for n in range(5)]


def test_ics_with_bad_input_is_the_form_again(web: TestClient) -> None:
    r = web.get("/plan/microneedling.ics", params={"sessions": "40"})
    assert r.status_code == 422
    assert r.headers["content-type"].startswith("text/html")
    assert "sessions" in _field_errors(r.text)


def _pdf_text(content: bytes, tmp_path: Path) -> str:
    (tmp_path / "plan.pdf").write_bytes(content)
    out = subprocess.run(
        ["pdftotext", str(tmp_path / "plan.pdf"), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return _flat(out)


def _flat(text: str) -> str:
    """Whitespace folded; a line break right after a dash (48–/72) is layout, not text."""
    return re.sub(r"([–-]) ", r"\1", " ".join(text.split()))


@pytest.mark.parametrize("treatment", ["microneedling", "mesotherapy", "topical-minoxidil"])
def test_pdf_handout_has_every_date_and_the_aftercare(
    web: TestClient, kb: KnowledgeBase, tmp_path: Path, treatment: str
) -> None:
    require(shutil.which("pdftotext") is not None, "pdftotext", "apt-get install poppler-utils")
    r = web.get(f"/plan/{treatment}.pdf", params={"start": START.isoformat()})
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/pdf"
    assert r.headers["cache-control"] == "no-store"
    assert f'filename="treatwise-{treatment}-plan.pdf"' in r.headers["content-disposition"]
    text = _pdf_text(r.content, tmp_path)
    result = plan(kb, treatment, start=START)
    for session in result.sessions:
        assert format_date(session.date) in text
    for milestone in result.timeline:
        assert format_date(milestone.start) in text
    for step in result.aftercare:
        assert step.title in text
        assert _flat(step.text) in text
    for review in result.reviews:
        assert format_date(review.date) in text
    assert f"My {result.name} plan" in text
    assert "Treatwise plan · page 1 of" in text


def test_pdf_with_bad_input_is_the_form_again(web: TestClient) -> None:
    r = web.get("/plan/microneedling.pdf", params={"start": "2001-01-01"})
    assert r.status_code == 422
    assert "start" in _field_errors(r.text)
