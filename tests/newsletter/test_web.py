"""Newsletter pages and API with bad input: clear answers, never a 500, no data changed."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support.nlkit import Clock, work

from treatwise.config import Settings
from treatwise.knowledge import load
from treatwise.newsletter import subscriptions, tokens
from treatwise.newsletter.context import Newsletter
from treatwise.newsletter.mailers import MemoryMailer
from treatwise.newsletter.ratelimit import RateLimiter
from treatwise.store import consents, outbox, subscribers
from treatwise.web.app import create_app

API = "/api/v1/subscriptions"


def _csrf(client: TestClient) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/newsletter").text)
    assert found
    return found.group(1)


def _count(nl: Newsletter) -> tuple[int, int]:
    with nl.db.begin() as tx:
        return len(list(subscribers.iterate(tx))), sum(n for *_, n in outbox.counts(tx))


def test_api_accepts_new_and_known_addresses_alike(client: TestClient, nl: Newsletter) -> None:
    first = client.post(API, json={"email": "new@example.org", "interests": ["melasma"]})
    again = client.post(API, json={"email": "new@example.org"})
    assert first.status_code == again.status_code == 202
    assert (
        first.json()
        == again.json()
        == {
            "status": "pending",
            "detail": "If the address can receive mail, a confirmation link is on its way.",
        }
    )
    assert _count(nl) == (1, 1)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"email": "nope"}, "email"),
        ({"email": "a" * 300 + "@example.org"}, "email"),
        ({"email": "ok@example.org", "interests": ["botox"]}, "interests"),
        ({"email": 5}, "email"),
        ({}, "email"),
        ({"email": "ok@example.org", "extra": 1}, "extra"),
    ],
)
def test_api_names_the_bad_field(
    client: TestClient, nl: Newsletter, body: dict[str, object], field: str
) -> None:
    answer = client.post(API, json=body)
    assert answer.status_code == 422
    assert any(field in problem["loc"] for problem in answer.json()["detail"])
    assert _count(nl) == (0, 0)


def test_api_rate_limit_per_ip(client: TestClient) -> None:
    client.app.state.signup_limiter = RateLimiter(limits="2/minute")  # type: ignore[attr-defined]
    codes = [client.post(API, json={"email": f"r{i}@example.org"}).status_code for i in range(4)]
    assert codes == [202, 202, 429, 429]


def test_form_without_csrf_token_is_refused(client: TestClient, nl: Newsletter) -> None:
    answer = client.post("/newsletter", data={"email": "x@example.org"})
    assert answer.status_code == 403
    assert _count(nl) == (0, 0)


def test_form_errors_are_shown_on_the_form(client: TestClient, nl: Newsletter) -> None:
    token = _csrf(client)
    answer = client.post("/newsletter", data={"csrf_token": token, "email": "not an address"})
    assert answer.status_code == 422
    assert "Please check the form" in answer.text and 'aria-invalid="true"' in answer.text
    answer = client.post(
        "/newsletter", data={"csrf_token": token, "email": "a@example.org", "interests": "x"}
    )
    assert answer.status_code == 422 and "valid:" in answer.text
    assert _count(nl) == (0, 0)


def test_form_is_rate_limited(client: TestClient) -> None:
    client.app.state.signup_limiter = RateLimiter(limits="1/minute")  # type: ignore[attr-defined]
    token = _csrf(client)
    ok = client.post("/newsletter", data={"csrf_token": token, "email": "a@example.org"})
    busy = client.post("/newsletter", data={"csrf_token": token, "email": "b@example.org"})
    assert ok.status_code == 200 and busy.status_code == 429


@pytest.mark.parametrize("path", ["confirm", "unsubscribe", "preferences"])
@pytest.mark.parametrize("token", ["", "forged", "x" * 5000])
def test_bad_links_get_a_clear_400(client: TestClient, path: str, token: str) -> None:
    for method in ("get", "post"):
        if path == "preferences" and method == "post":
            continue
        answer = getattr(client, method)(f"/newsletter/{path}", params={"token": token})
        assert answer.status_code == 400, (method, path)
        assert "This link does not work" in answer.text


def test_expired_confirmation_link_says_so(
    client: TestClient, nl: Newsletter, mailer: MemoryMailer
) -> None:
    subscriptions.subscribe(
        nl, email="late@example.org", interests=[], visit=subscriptions.Visit("/t")
    )
    work(nl, mailer)
    with nl.db.begin() as tx:
        row = subscribers.get_by_email(tx, "late@example.org")
    assert row is not None
    old = tokens.make(nl.secret, "confirm", key=row.key, now=nl.now())
    nl.clock.advance(days=8)  # type: ignore[attr-defined]
    answer = client.post("/newsletter/confirm", params={"token": old})
    assert answer.status_code == 400 and "expired" in answer.text


def test_forget_needs_the_box_ticked(client: TestClient, nl: Newsletter) -> None:
    subscriptions.subscribe(
        nl, email="keep@example.org", interests=[], visit=subscriptions.Visit("/t")
    )
    with nl.db.begin() as tx:
        row = subscribers.get_by_email(tx, "keep@example.org")
    assert row is not None
    data = tokens.make(nl.secret, "data", key=row.key, now=nl.now())
    page = client.get("/newsletter/data", params={"token": data})
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token
    answer = client.post(
        "/newsletter/preferences/forget", data={"csrf_token": token.group(1), "token": data}
    )
    assert answer.status_code == 422 and "tick the box" in answer.text
    assert _count(nl)[0] == 1


def test_the_manage_link_cannot_export_or_delete_and_data_links_last_an_hour(
    client: TestClient, nl: Newsletter, clock: Clock
) -> None:
    subscriptions.subscribe(
        nl, email="mine@example.org", interests=[], visit=subscriptions.Visit("/t")
    )
    with nl.db.begin() as tx:
        row = subscribers.get_by_email(tx, "mine@example.org")
    assert row is not None
    manage = tokens.make(nl.secret, "manage", key=row.key, now=nl.now())
    page = client.get("/newsletter/preferences", params={"token": manage})
    found = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert found
    csrf = found.group(1)
    assert "/newsletter/preferences/export" not in page.text  # no export or delete here
    assert "/newsletter/preferences/forget" not in page.text
    for path in ("/newsletter/preferences/export", "/newsletter/preferences/forget"):
        form = {"csrf_token": csrf, "token": manage, "confirm": "yes"}
        assert client.post(path, data=form).status_code == 400
    assert client.get("/newsletter/data", params={"token": manage}).status_code == 400
    assert _count(nl)[0] == 1

    for _ in range(3):  # asking again and again queues one email per RESEND_AFTER
        form = {"csrf_token": csrf, "token": manage}
        answer = client.post("/newsletter/preferences/data-link", data=form)
        assert answer.status_code == 200 and "works for one hour" in answer.text
    with nl.db.begin() as tx:
        assert outbox.latest(tx, subscriber_id=row.id, kind="data-link") is not None
        kinds = [k for _, k, _, n in outbox.counts(tx) for _ in range(n)]
    assert kinds.count("data-link") == 1

    data = tokens.make(nl.secret, "data", key=row.key, now=nl.now())
    assert client.get("/newsletter/data", params={"token": data}).status_code == 200
    clock.advance(minutes=61)
    late = client.get("/newsletter/data", params={"token": data})
    assert late.status_code == 400 and "one hour" in late.text


def test_pages_render(client: TestClient) -> None:
    page = client.get("/newsletter?email=someone%40example.org")
    assert page.status_code == 200 and 'value="someone@example.org"' in page.text
    assert page.headers["cache-control"] == "no-store"
    assert "Acne scars" in page.text  # the interests


def test_unmigrated_database_is_a_clear_503(tmp_path: Path) -> None:
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'empty.db'}", secret_key="k")
    bare = TestClient(create_app(settings, load()))
    assert bare.get("/newsletter").status_code == 503
    answer = bare.post(API, json={"email": "a@example.org"})
    assert answer.status_code == 503 and "not set up" in answer.json()["detail"]


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    body=st.one_of(
        st.dictionaries(
            st.sampled_from(["email", "interests", "source", "x"]),
            st.one_of(st.none(), st.booleans(), st.integers(), st.text(), st.lists(st.text())),
        ),
        st.fixed_dictionaries(
            {
                "email": st.text(max_size=300),
                "interests": st.lists(st.text(max_size=20), max_size=5),
            }
        ),
    )
)
def test_api_never_fails_with_a_500(client: TestClient, body: dict[str, object]) -> None:
    answer = client.post(API, json=body)
    assert answer.status_code in (202, 422, 429)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(token=st.text(max_size=200), path=st.sampled_from(["confirm", "unsubscribe", "preferences"]))
def test_links_never_fail_with_a_500(client: TestClient, token: str, path: str) -> None:
    for method in ("get", "post"):
        answer = getattr(client, method)(f"/newsletter/{path}", params={"token": token})
        assert answer.status_code in (400, 403, 405)  # 403: a form POST without its CSRF token


def test_the_ledger_names_the_page_whose_box_was_used(client: TestClient, nl: Newsletter) -> None:
    page = client.get("/newsletter", params={"email": "from@example.org", "from": "/articles/x"})
    assert 'name="source" value="/articles/x"' in page.text
    token = _csrf(client)
    data = {"csrf_token": token, "email": "from@example.org", "source": "/articles/x"}
    assert client.post("/newsletter", data=data).status_code == 200
    with nl.db.begin() as tx:
        row = subscribers.get_by_email(tx, "from@example.org")
        assert row is not None
        [event] = consents.for_subscriber(tx, row.id)
    assert (event.source, event.ip_address) == ("/articles/x", "testclient")
