"""``treatwise db`` and ``treatwise newsletter`` commands, end to end with the Maildir mailer."""

from __future__ import annotations

import json
import mailbox
import os
import re
import stat
from pathlib import Path

import pytest
from support.nlkit import Clock, purge_pending_scenario
from typer.testing import CliRunner

from treatwise.cli import app
from treatwise.newsletter import subscriptions
from treatwise.newsletter.context import Newsletter
from treatwise.newsletter.subscriptions import Visit
from treatwise.store import consents, outbox, subscribers

runner = CliRunner()


@pytest.fixture
def env(db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point the CLI at the test database and a Maildir under tmp_path."""
    monkeypatch.setenv("TREATWISE_DATABASE_URL", db_url)
    monkeypatch.setenv("TREATWISE_MAILDIR", str(tmp_path / "mail"))
    monkeypatch.setenv("TREATWISE_SECRET_KEY", "test-secret")
    monkeypatch.setenv("TREATWISE_BASE_URL", "https://treatwise.test")
    monkeypatch.delenv("TREATWISE_SMTP_URL", raising=False)
    return tmp_path / "mail"


def invoke(*args: str, input: str | None = None) -> tuple[int, str]:
    result = runner.invoke(app, list(args), input=input)
    return result.exit_code, result.output


def test_db_upgrade_creates_a_new_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TREATWISE_DATABASE_URL", f"sqlite:///{tmp_path / 'fresh.db'}")
    old = os.umask(0o022)  # a usual umask: files are world-readable unless made otherwise
    try:
        code, out = invoke("newsletter", "stats")
        assert code == 1 and "treatwise db upgrade" in out
        code, out = invoke("db", "upgrade")
        assert code == 0 and "revision 0003" in out
        assert invoke("db", "upgrade")[0] == 0  # again: nothing to do
        assert invoke("newsletter", "stats")[0] == 0
    finally:
        os.umask(old)
    files = sorted(p.name for p in tmp_path.glob("fresh.db*"))
    assert "fresh.db" in files
    for name in files:  # personal data, its -wal and -shm files too: the owner's alone
        assert stat.S_IMODE((tmp_path / name).stat().st_mode) == 0o600, name


def test_the_worker_refuses_the_development_key_nobody_chose(
    env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("TREATWISE_SECRET_KEY")
    monkeypatch.delenv("TREATWISE_ENV", raising=False)
    code, out = invoke("newsletter", "worker", "--until-empty")
    assert code == 2 and "TREATWISE_SECRET_KEY" in out
    monkeypatch.setenv("TREATWISE_ENV", "development")  # make run's explicit choice
    assert invoke("newsletter", "worker", "--until-empty", "--rate", "0")[0] == 0


def test_campaign_send_worker_and_stats(env: Path, nl: Newsletter, tmp_path: Path) -> None:
    subscriptions.subscribe(nl, email="cli@example.org", interests=[], visit=Visit("/t"))
    code, out = invoke("newsletter", "worker", "--until-empty", "--rate", "0")
    assert code == 0 and "sent 1" in out
    assert re.search(
        r"Confirmation link .*: https://treatwise\.test/newsletter/confirm\?token=", out
    )
    assert len(mailbox.Maildir(env, create=False)) == 1
    with nl.db.begin() as tx:
        row = subscribers.get_by_email(tx, "cli@example.org")
        assert row is not None
        subscribers.set_status(tx, row.id, status="active", now=nl.now())

    body = tmp_path / "issue.md"
    body.write_text("# Issue 1\n\nHello.", encoding="utf-8")
    code, out = invoke(
        "newsletter", "campaign", "create", "--subject", "Issue 1", "--body", str(body)
    )
    assert code == 0
    campaign_id = out.strip()
    assert (
        invoke("newsletter", "send", campaign_id)[1].strip()
        == f"campaign {campaign_id}: 1 message(s) queued"
    )
    assert "0 message(s) queued" in invoke("newsletter", "send", campaign_id)[1]
    assert "sent 1" in invoke("newsletter", "worker", "--until-empty", "--rate", "0")[1]
    code, out = invoke("newsletter", "stats")
    assert code == 0 and f"campaign {campaign_id}" in out and "active" in out


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("newsletter", "send", "999"), "no campaign with id 999"),
        (("newsletter", "send", "x"), "Invalid value"),
        (("newsletter", "subscribers", "list", "--status", "gone"), "valid: pending"),
        (("newsletter", "subscribers", "export", "nobody@example.org"), "no subscriber"),
        (("newsletter", "subscribers", "forget", "not-an-address", "--yes"), "email:"),
    ],
)
def test_bad_input_exits_2_with_a_message(env: Path, args: tuple[str, ...], words: str) -> None:
    code, out = invoke(*args)
    assert code == 2 and words in out


def test_campaign_with_unknown_interest_or_bad_file(env: Path, tmp_path: Path) -> None:
    body = tmp_path / "b.md"
    body.write_text("Hi", encoding="utf-8")
    code, out = invoke(
        "newsletter",
        "campaign",
        "create",
        "--subject",
        "S",
        "--body",
        str(body),
        "--interest",
        "botox",
    )
    assert code == 2 and "interest" in out and "valid:" in out
    body.write_bytes(b"\xff\xfe\x00bad")
    code, out = invoke("newsletter", "campaign", "create", "--subject", "S", "--body", str(body))
    assert code == 2 and "not UTF-8" in out
    code, out = invoke(
        "newsletter", "campaign", "create", "--subject", "S", "--body", str(tmp_path / "none.md")
    )
    assert code == 2


def test_subscribers_list_export_forget(env: Path, nl: Newsletter, tmp_path: Path) -> None:
    for email in ("one@example.org", "two@example.org"):
        subscriptions.subscribe(
            nl, email=email, interests=["melasma"], visit=Visit("/t", "192.0.2.9")
        )
    code, out = invoke("newsletter", "subscribers", "list")
    assert code == 0 and "one@example.org\tpending\tmelasma" in out
    code, out = invoke("newsletter", "subscribers", "export", "ONE@example.org")
    assert code == 0 and json.loads(out)["consents"][0]["ip_address"] == "192.0.2.9"
    target = tmp_path / "all.jsonl"
    target.write_text("older, world-readable\n")
    target.chmod(0o644)
    assert invoke("newsletter", "subscribers", "export", "-o", str(target))[0] == 0
    assert stat.S_IMODE(target.stat().st_mode) == 0o600  # addresses: the owner's alone
    assert [json.loads(line)["email"] for line in target.read_text().splitlines()] == [
        "one@example.org",
        "two@example.org",
    ]
    code, out = invoke("newsletter", "subscribers", "forget", "one@example.org", input="n\n")
    assert code == 1  # declined: nothing happens
    code, out = invoke("newsletter", "subscribers", "forget", "one@example.org", "--yes")
    assert code == 0 and "forgotten" in out
    code, out = invoke("newsletter", "subscribers", "list")
    assert "one@example.org" not in out and "two@example.org" in out


def test_subscribers_unsubscribe_for_a_mailto_request(env: Path, nl: Newsletter) -> None:
    subscriptions.subscribe(nl, email="stop@example.org", interests=[], visit=Visit("/t"))
    with nl.db.begin() as tx:  # a pending confirmation is in the outbox
        sub = subscribers.get_by_email(tx, "stop@example.org")
        assert sub is not None and [
            m["status"] for m in outbox.history(tx, subscriber_id=sub.id)
        ] == ["pending"]
    code, out = invoke("newsletter", "subscribers", "unsubscribe", "Stop@Example.org")
    assert code == 0 and out.strip() == "unsubscribed"
    with nl.db.begin() as tx:
        sub = subscribers.get_by_email(tx, "stop@example.org")
        assert sub is not None and sub.status == "unsubscribed"
        assert [m["status"] for m in outbox.history(tx, subscriber_id=sub.id)] == ["cancelled"]
        events = consents.for_subscriber(tx, sub.id)
        assert [e.event for e in events] == ["subscribe", "unsubscribe"]
        assert events[-1].source.startswith("operator")
    code, out = invoke("newsletter", "subscribers", "unsubscribe", "stop@example.org")
    assert code == 0 and "not subscribed" in out  # again: nothing to change
    code, out = invoke("newsletter", "subscribers", "unsubscribe", "nobody@example.org")
    assert code == 0 and "not subscribed" in out
    code, out = invoke("newsletter", "subscribers", "unsubscribe", "not-an-address")
    assert code == 2 and "email" in out and "Traceback" not in out


def test_subscribers_purge_pending(env: Path, nl: Newsletter, clock: Clock) -> None:
    purge_pending_scenario(nl, clock, invoke)


def test_digest_prints_an_id_then_has_nothing_new(env: Path) -> None:
    code, out = invoke("newsletter", "digest")
    assert code == 0
    if out.strip().splitlines()[-1].isdigit():  # articles were published in the look-back
        code, out = invoke("newsletter", "digest")
        assert code == 0
    assert "nothing to send" in out
