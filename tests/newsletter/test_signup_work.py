"""Sign-up answers after the same work whatever the address's state (no timing oracle).

Measured as database statements run before the last byte of the answer is sent,
not as wall-clock time: the state-dependent work (look-up, insert, consent,
outbox) must all happen after the response, so a new address, a pending one and
an active subscriber cost the same before the answer.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event
from starlette.types import Receive, Scope, Send

from treatwise.newsletter import subscriptions
from treatwise.newsletter.context import Newsletter
from treatwise.store import subscribers

API = "/api/v1/subscriptions"


class Measured:
    """Counts the app's SQL statements, and how many had run when the answer was complete."""

    def __init__(self, app: Any, nl: Newsletter) -> None:
        self.app = app
        self.statements = 0
        self.at_answer: int | None = None
        event.listen(nl.db.engine, "before_cursor_execute", self._count)

    def _count(self, *_args: object) -> None:
        self.statements += 1

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def spy(message: dict[str, Any]) -> None:
            await send(message)
            if message["type"] == "http.response.body" and not message.get("more_body"):
                self.at_answer = self.statements

        await self.app(scope, receive, spy)


def _work(
    client: TestClient, nl: Newsletter, request: Callable[[httpx.AsyncClient], Any]
) -> tuple[int, int]:
    """(statements before the answer, statements in all) for one request."""
    measured = Measured(client.app, nl)
    transport = httpx.ASGITransport(app=measured)

    async def go() -> int:
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
            http.cookies.update(client.cookies)
            response = await request(http)
            return response.status_code

    try:
        status = asyncio.run(go())
    finally:
        event.remove(nl.db.engine, "before_cursor_execute", measured._count)
    assert status in (200, 202)
    assert measured.at_answer is not None
    return measured.at_answer, measured.statements


def _states(nl: Newsletter) -> None:
    visit = subscriptions.Visit("/t")
    subscriptions.subscribe(nl, email="pending@example.org", interests=[], visit=visit)
    subscriptions.subscribe(nl, email="active@example.org", interests=[], visit=visit)
    with nl.db.begin() as tx:
        row = subscribers.get_by_email(tx, "active@example.org")
        assert row is not None
        subscribers.set_status(tx, row.id, status="active", now=nl.now())


ADDRESSES = ("new@example.org", "pending@example.org", "active@example.org")


def test_the_api_answers_before_any_state_dependent_work(
    client: TestClient, nl: Newsletter
) -> None:
    _states(nl)
    work = {
        email: _work(client, nl, lambda http, e=email: http.post(API, json={"email": e}))
        for email in ADDRESSES
    }
    before = {email: w[0] for email, w in work.items()}
    assert len(set(before.values())) == 1, f"different work before the answer: {before}"
    assert work["new@example.org"][1] > work["active@example.org"][1]  # done, but afterwards
    with nl.db.begin() as tx:
        assert subscribers.get_by_email(tx, "new@example.org") is not None


def test_the_sign_up_page_answers_before_any_state_dependent_work(
    client: TestClient, nl: Newsletter
) -> None:
    _states(nl)
    found = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/newsletter").text)
    assert found
    token = found.group(1)

    def post(email: str) -> Callable[[httpx.AsyncClient], Any]:
        return lambda http: http.post("/newsletter", data={"email": email, "csrf_token": token})

    before = {email: _work(client, nl, post(email))[0] for email in ADDRESSES}
    assert len(set(before.values())) == 1, f"different work before the answer: {before}"
    with nl.db.begin() as tx:
        assert subscribers.get_by_email(tx, "new@example.org") is not None


@pytest.mark.parametrize("email", ["nope", ""])
def test_a_bad_address_is_refused_before_the_answer_and_nothing_is_recorded(
    client: TestClient, nl: Newsletter, email: str
) -> None:
    answer = client.post(API, json={"email": email})
    assert answer.status_code == 422
    with nl.db.begin() as tx:
        assert list(subscribers.iterate(tx)) == []
