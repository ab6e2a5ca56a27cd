"""The plan page in Chromium: choose dates, download the .ics and the PDF; axe, vnu, screenshots."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from icalendar import Calendar
from support.browserkit import axe_violations, fetch, screenshots, vnu_errors

from treatwise.render.plan import format_date

pytestmark = pytest.mark.browser

START = dt.date.today() + dt.timedelta(days=21)


def _choose(page: Any, server: str, treatment: str = "microneedling") -> None:
    page.goto(f"{server}/plan/{treatment}")
    page.get_by_label("First session").fill(START.isoformat())
    page.get_by_label("Number of sessions").select_option("3")
    page.get_by_label("Weeks between sessions").select_option("6")
    page.get_by_role("button", name="Show my plan").click()
    page.wait_for_load_state()


def test_download_the_calendar_from_the_plan_page(page: Any, server: str, tmp_path: Path) -> None:
    _choose(page, server)
    dates = [START + dt.timedelta(weeks=6 * n) for n in range(3)]
    body = page.locator("main").inner_text()
    for day in dates:
        assert format_date(day) in body
    with page.expect_download() as info:
        page.get_by_role("link", name="Add to calendar (.ics)").click()
    download = info.value
    assert download.suggested_filename == "treatwise-microneedling-plan.ics"
    target = tmp_path / download.suggested_filename
    download.save_as(str(target))
    events = Calendar.from_ical(target.read_bytes()).walk("VEVENT")
    sessions = sorted(
        e.decoded("dtstart") for e in events if str(e["uid"]).startswith("microneedling-session-")
    )
    assert sessions == dates
    aftercare = [e for e in events if "-aftercare-" in str(e["uid"])]
    assert len(aftercare) == 3 * 4  # four sourced aftercare steps after each session
    reminders = [e for e in events if e.walk("VALARM")]
    assert len(reminders) == 3


def test_download_the_pdf_handout(page: Any, server: str, tmp_path: Path) -> None:
    _choose(page, server)
    with page.expect_download() as info:
        page.get_by_role("link", name="Download PDF").click()
    download = info.value
    assert download.suggested_filename == "treatwise-microneedling-plan.pdf"
    target = tmp_path / download.suggested_filename
    download.save_as(str(target))
    assert target.read_bytes().startswith(b"%PDF")


def test_topical_plan_and_field_errors_in_the_browser(page: Any, server: str) -> None:
    page.goto(f"{server}/plan/topical-minoxidil")
    assert page.get_by_label("Months of daily use").count() == 1
    assert page.get_by_label("Weeks between sessions").count() == 0
    page.get_by_label("First day of use").fill("2001-01-01")
    page.get_by_role("button", name="Show my plan").click()
    page.wait_for_load_state()
    alert = page.get_by_role("alert").inner_text()
    assert "Is in the past" in alert
    assert page.get_by_role("link", name="Download PDF").count() == 0


@pytest.mark.parametrize("name", ["plan", "plan-daily", "plan-errors"])
def test_plan_pages_are_accessible(page: Any, server: str, name: str) -> None:
    if name == "plan":
        _choose(page, server)
    elif name == "plan-daily":
        page.goto(f"{server}/plan/topical-retinoid")
    else:
        page.goto(f"{server}/plan/microneedling?start=2001-01-01&sessions=9")
    violations = axe_violations(page)
    summary = [(v["id"], v["impact"], len(v["nodes"]), v["nodes"][0]["target"]) for v in violations]
    assert not violations, summary
    for path in screenshots(page, name):
        assert path.stat().st_size > 1000


def test_plan_pages_are_valid_html(server: str, vnu: list[str], tmp_path: Path) -> None:
    pages = {
        "plan": f"/plan/mesotherapy?start={START.isoformat()}&sessions=5&interval_weeks=2",
        "plan-daily": "/plan/topical-minoxidil",
        "plan-errors": "/plan/microneedling?start=31-12-2030&sessions=9&interval_weeks=x",
    }
    fetched = {name: fetch(server + path) for name, path in pages.items()}
    errors = vnu_errors(vnu, fetched, tmp_path)
    assert not errors, errors
