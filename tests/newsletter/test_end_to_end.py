"""Every flow end to end through the web app, delivered by real SMTP (aiosmtpd) and by Maildir."""

from __future__ import annotations

import asyncio
import json
import mailbox
import re
from collections.abc import Callable
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from support.nlkit import token_in

from treatwise.newsletter import campaigns
from treatwise.newsletter.addresses import suppression_hash
from treatwise.newsletter.context import Newsletter
from treatwise.newsletter.mailers import MaildirMailer, Mailer, SmtpMailer
from treatwise.newsletter.worker import Worker, WorkerOptions
from treatwise.store import subscribers, suppressions

Inbox = Callable[[], list[EmailMessage]]


@pytest.fixture(params=["smtp", "maildir"])
def delivery(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[Callable[[], Mailer], Inbox]:
    """A way to make the mailer, and a way to read what was delivered."""
    if request.param == "smtp":
        sink, url = request.getfixturevalue("smtp_sink")
        return (lambda: SmtpMailer(url)), (lambda: list(sink.messages))
    folder = tmp_path / "mail"
    printed: list[str] = []

    def read() -> list[EmailMessage]:
        box = mailbox.Maildir(folder, create=False)
        found = [
            message_from_bytes(box.get_bytes(k), policy=policy.default)
            for k in list(box.iterkeys())
        ]
        return sorted(found, key=_outbox_id)  # type: ignore[arg-type]

    return (lambda: MaildirMailer(folder, echo=printed.append)), read


def _outbox_id(message: EmailMessage) -> int:
    return int(str(message["Message-ID"]).split(".")[1].split("@")[0])


def send_due(nl: Newsletter, make: Callable[[], Mailer]) -> None:
    asyncio.run(Worker(nl, make(), WorkerOptions(until_empty=True, rate=0)).run())


def csrf(client: TestClient, url: str) -> str:
    page = client.get(url)
    assert page.status_code == 200, page.text
    found = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert found
    return found.group(1)


def test_the_whole_journey(
    client: TestClient, nl: Newsletter, delivery: tuple[Callable[[], Mailer], Inbox]
) -> None:
    make, inbox = delivery
    token = csrf(client, "/newsletter?email=ada%40example.org")
    form = {"csrf_token": token, "email": "Ada@Example.org", "interests": ["melasma"]}
    page = client.post("/newsletter", data=form)
    assert page.status_code == 200 and "Check your inbox" in page.text
    send_due(nl, make)
    [confirm_mail] = inbox()
    assert confirm_mail["To"] == "ada@example.org"
    confirm_token = token_in(confirm_mail, "/newsletter/confirm")

    page = client.get("/newsletter/confirm", params={"token": confirm_token})
    assert "Confirm my subscription" in page.text  # a GET changes nothing
    page = client.post("/newsletter/confirm", params={"token": confirm_token})
    assert page.status_code == 200 and "You are subscribed" in page.text
    send_due(nl, make)
    assert [m["X-Treatwise-Kind"] for m in inbox()] == ["confirm", "welcome"]

    created = campaigns.create(nl, subject="Microneedling, explained", body_markdown="# Hi\n\nNew.")
    assert campaigns.queue(nl, campaign_id=created.id) == 1
    send_due(nl, make)
    news = inbox()[-1]
    assert news["Subject"] == "Microneedling, explained"
    _check_newsletter_headers(news, nl)

    manage = token_in(news, "/newsletter/preferences")
    csrf_token = csrf(client, f"/newsletter/preferences?token={manage}")
    saved = client.post(
        "/newsletter/preferences",
        data={"csrf_token": csrf_token, "token": manage, "interests": ["acne-scars", "hair-loss"]},
    )
    assert saved.status_code == 200 and "Your topics are saved" in saved.text
    refused = client.post(  # a forwarded newsletter's link cannot reach the data
        "/newsletter/preferences/export", data={"csrf_token": csrf_token, "token": manage}
    )
    assert refused.status_code == 400 and "does not work" in refused.text
    assert "works for one hour" in saved.text
    asked = client.post(
        "/newsletter/preferences/data-link", data={"csrf_token": csrf_token, "token": manage}
    )
    assert asked.status_code == 200 and "We have emailed you a link" in asked.text
    send_due(nl, make)
    data_mail = inbox()[-1]
    assert data_mail["X-Treatwise-Kind"] == "data-link" and data_mail["To"] == "ada@example.org"
    assert "works for one hour" in str(data_mail.get_body(("plain",)).get_content())  # type: ignore[union-attr]
    data_token = token_in(data_mail, "/newsletter/data")
    page = client.get("/newsletter/data", params={"token": data_token})
    assert page.status_code == 200 and "Download my data" in page.text
    exported = client.post(
        "/newsletter/preferences/export", data={"csrf_token": csrf_token, "token": data_token}
    )
    data = json.loads(exported.text)
    assert data["email"] == "ada@example.org" and data["interests"] == ["acne-scars", "hair-loss"]
    assert [c["event"] for c in data["consents"]] == ["subscribe", "confirm", "preferences"]

    one_click = str(news["List-Unsubscribe"]).split("<")[1].split(">")[0]
    for _ in range(2):  # RFC 8058 POST, no cookie, no CSRF token; the replay is harmless
        answer = TestClient(client.app).post(one_click, data={"List-Unsubscribe": "One-Click"})
        assert answer.status_code == 200 and "You are unsubscribed" in answer.text
    with nl.db.begin() as tx:
        row = subscribers.get_by_email(tx, "ada@example.org")
    assert row is not None and row.status == "unsubscribed"

    gone = client.post(
        "/newsletter/preferences/forget",
        data={"csrf_token": csrf_token, "token": data_token, "confirm": "yes"},
    )
    assert gone.status_code == 200 and "Your data is deleted" in gone.text
    with nl.db.begin() as tx:
        assert subscribers.get_by_email(tx, "ada@example.org") is None
        assert suppressions.contains(tx, suppression_hash(nl.secret, "ada@example.org"))
    assert client.get(f"/newsletter/preferences?token={manage}").status_code == 400


def _check_newsletter_headers(message: EmailMessage, nl: Newsletter) -> None:
    header = str(message["List-Unsubscribe"])
    assert re.fullmatch(
        r"<https://treatwise\.test/newsletter/unsubscribe\?token=[^>]+>, "
        r"<mailto:newsletter@treatwise\.test\?subject=unsubscribe>",
        header,
    )
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    text = message.get_body(("plain",))
    html = message.get_body(("html",))
    assert text is not None and html is not None
    for part in (text.get_content(), html.get_content()):
        assert nl.postal_address in part
        assert "/newsletter/unsubscribe?token=" in part
        assert "/newsletter/preferences?token=" in part
    assert "<h1>Hi</h1>" in html.get_content()
