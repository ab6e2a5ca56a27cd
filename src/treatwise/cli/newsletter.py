"""``treatwise newsletter ...``: campaigns, digests, sending, the worker, subscribers, stats.

Thin wrappers over ``treatwise.newsletter``. Progress goes to stderr (Rich), results
to stdout. Exit codes: 0 ok, 1 failure (e.g. database not migrated), 2 bad input.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import os
import signal
from pathlib import Path
from typing import Annotated, NoReturn

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from treatwise.config import Settings
from treatwise.knowledge import load
from treatwise.newsletter import campaigns, preferences, retention, subscriptions
from treatwise.newsletter import digest as digests
from treatwise.newsletter.context import SETTINGS, Newsletter, newsletter_from
from treatwise.newsletter.errors import NewsletterError
from treatwise.newsletter.mailers import MaildirMailer, Mailer, SmtpMailer
from treatwise.newsletter.worker import Worker, WorkerOptions, WorkerStats
from treatwise.store import outbox, subscribers
from treatwise.store.database import PRIVATE
from treatwise.store.migrate import is_current

app = typer.Typer(help="The newsletter: campaigns, sending and subscribers.", no_args_is_help=True)
campaign_app = typer.Typer(help="Create campaigns.", no_args_is_help=True)
subscribers_app = typer.Typer(
    help="List, export or forget subscribers; purge stale sign-ups.", no_args_is_help=True
)
app.add_typer(campaign_app, name="campaign")
app.add_typer(subscribers_app, name="subscribers")
err = Console(stderr=True)


def _fail(message: str, code: int = 2) -> NoReturn:
    err.print(f"[red]error:[/red] {message}", highlight=False)
    raise typer.Exit(code)


def context(settings: Settings | None = None) -> Newsletter:
    """The newsletter context from the settings; exits 1 if the database is not migrated."""
    s = settings or Settings()
    if not is_current(s.database_url):
        _fail("the database is missing or not migrated: run `treatwise db upgrade`", 1)
    return newsletter_from(load(s.data_dir), **s.model_dump(include=SETTINGS))


@campaign_app.command("create")
def campaign_create_command(
    subject: Annotated[str, typer.Option("--subject", help="One-line subject")],
    body: Annotated[Path, typer.Option("--body", exists=True, dir_okay=False, help="Markdown")],
    interest: Annotated[str | None, typer.Option(help="Only subscribers of this topic")] = None,
) -> None:
    """Create a campaign from a Markdown file and print its id."""
    try:
        text = body.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        _fail(f"--body: {body} is not UTF-8 text")
    try:
        created = campaigns.create(
            context(), subject=subject, body_markdown=text, interest=interest
        )
    except NewsletterError as error:
        _fail(str(error))
    typer.echo(created.id)


@app.command("digest")
def digest_command() -> None:
    """Compose a campaign from the articles published since the last digest; print its id."""
    settings = Settings()
    nl = context(settings)
    created = digests.compose(nl, load(settings.data_dir).articles.values())
    if created is None:
        err.print("no articles published since the last digest; nothing to send")
        return
    err.print(f"digest: {created.subject}", highlight=False)
    typer.echo(created.id)


@app.command("send")
def send_command(campaign_id: Annotated[int, typer.Argument(help="The campaign id")]) -> None:
    """Queue a campaign for every active subscriber (running it again adds only newcomers)."""
    nl = context()
    with err.status("queueing..."):
        try:
            added = campaigns.queue(nl, campaign_id=campaign_id)
        except NewsletterError as error:
            _fail(str(error))
    typer.echo(f"campaign {campaign_id}: {added} message(s) queued")


def _mailer(settings: Settings, connections: int) -> Mailer:
    if settings.smtp_url:
        try:
            return SmtpMailer(settings.smtp_url, connections=connections)
        except ValueError as error:
            _fail(f"TREATWISE_SMTP_URL: {error}")
    return MaildirMailer(settings.maildir, echo=typer.echo)  # plain: links must not wrap


@app.command("worker")
def worker_command(
    until_empty: Annotated[bool, typer.Option(help="Exit when nothing is due")] = False,
    rate: Annotated[float | None, typer.Option(help="Messages/second (default MAIL_RATE)")] = None,
    batch_size: Annotated[int, typer.Option(min=1, max=10_000)] = 100,
    lease: Annotated[float, typer.Option(min=1.0, help="Seconds a claim is held")] = 60.0,
    connections: Annotated[int, typer.Option(min=1, max=32, help="SMTP connections")] = 2,
    max_attempts: Annotated[
        int, typer.Option(min=1, max=100, help="Failed sends before a message is given up")
    ] = WorkerOptions().max_attempts,
) -> None:
    """Send due outbox mail; stops cleanly on SIGTERM or Ctrl-C."""
    settings = Settings()
    if settings.uses_unchosen_dev_secret:  # its links would be signed with a public key
        _fail(
            "TREATWISE_SECRET_KEY: not set; set the key the site uses, or "
            "TREATWISE_ENV=development for a run on your own machine"
        )
    nl = context(settings)
    options = WorkerOptions(
        rate=settings.mail_rate if rate is None else rate,
        batch_size=batch_size,
        lease=dt.timedelta(seconds=lease),
        until_empty=until_empty,
        senders=connections,
        max_attempts=max_attempts,
    )
    with nl.db.begin() as tx:
        due = outbox.due_count(tx, now=nl.now())
    stats = _run(Worker(nl, _mailer(settings, connections), options), total=due)
    typer.echo(
        f"sent {stats.sent}, retrying {stats.retried}, failed {stats.failed}, "
        f"bounced {stats.bounced}, cancelled {stats.cancelled}"
    )


def _run(w: Worker, *, total: int) -> WorkerStats:
    columns = (TextColumn("sending"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=err, transient=True) as progress:
        task = progress.add_task("send", total=total or None)

        def show(stats: WorkerStats) -> None:
            done = stats.sent + stats.failed + stats.bounced + stats.cancelled
            progress.update(task, completed=done)

        w.on_progress = show

        async def main() -> WorkerStats:
            loop = asyncio.get_running_loop()
            for signum in (signal.SIGTERM, signal.SIGINT):
                loop.add_signal_handler(signum, w.stop)
            return await w.run()

        return asyncio.run(main())


@subscribers_app.command("list")
def subscribers_list_command(
    status: Annotated[str | None, typer.Option(help="pending|active|unsubscribed|bounced")] = None,
) -> None:
    """One line per subscriber: id, address, status, interests, created."""
    if status is not None and status not in ("pending", "active", "unsubscribed", "bounced"):
        _fail(f"--status: unknown {status!r}; valid: pending, active, unsubscribed, bounced")
    nl = context()
    with nl.db.begin() as tx:
        for sub in subscribers.iterate(tx, status=status):
            interests = ",".join(sub.interests) or "-"
            typer.echo(
                f"{sub.id}\t{sub.email}\t{sub.status}\t{interests}\t{sub.created_at:%Y-%m-%d}"
            )


@subscribers_app.command("export")
def subscribers_export_command(
    email: Annotated[str | None, typer.Argument(help="One address (default: everyone)")] = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="File")] = None,
) -> None:
    """Everything stored about one address (JSON) or about everyone (JSON lines)."""
    nl = context()
    if email is not None:
        try:
            text = json.dumps(preferences.export_address(nl, email=email), indent=2) + "\n"
        except NewsletterError as error:
            _fail(str(error))
        _write(text, output)
        return
    lines = []
    with Progress(console=err, transient=True) as progress:
        for record in progress.track(preferences.export_all(nl), description="exporting"):
            lines.append(json.dumps(record))
    _write("".join(f"{line}\n" for line in lines), output)


def _write(text: str, output: Path | None) -> None:
    if output is None:
        typer.echo(text, nl=False)
        return
    # Personal data: the file is its owner's alone (0600), also when it existed before.
    fd = os.open(output, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE)
    os.fchmod(fd, PRIVATE)
    with os.fdopen(fd, "w", encoding="utf-8") as file:
        file.write(text)
    err.print(f"written to {output} (readable by you only)")


@subscribers_app.command("forget")
def subscribers_forget_command(
    email: Annotated[str, typer.Argument(help="The address to forget")],
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask for confirmation")] = False,
) -> None:
    """Delete every record about an address; keep only a hash so it is never mailed."""
    if not yes:
        typer.confirm(f"Delete everything about {email}?", abort=True)
    try:
        found = preferences.forget_address(context(), email=email)
    except NewsletterError as error:
        _fail(str(error))
    typer.echo("forgotten" if found else "no subscriber with that address; suppressed anyway")


@subscribers_app.command("unsubscribe")
def subscribers_unsubscribe_command(
    email: Annotated[str, typer.Argument(help="The address that asked to stop")],
) -> None:
    """Stop all newsletter mail to an address (a mailto unsubscribe request); keep its data."""
    visit = subscriptions.Visit(source="operator: treatwise newsletter subscribers unsubscribe")
    try:
        changed = subscriptions.unsubscribe_address(context(), email=email, visit=visit)
    except NewsletterError as error:
        _fail(str(error))
    typer.echo("unsubscribed" if changed else "not subscribed (nothing to change)")


@subscribers_app.command("purge-pending")
def subscribers_purge_pending_command(
    older_than_days: Annotated[
        int, typer.Option(help="Delete sign-ups unconfirmed for this many days")
    ] = retention.DEFAULT_PENDING_DAYS,
) -> None:
    """Delete never-confirmed sign-ups (with their consent events and unsent confirmation)."""
    nl = context()
    try:
        purged = retention.purge_pending(nl, older_than_days=older_than_days)
    except NewsletterError as error:
        _fail(str(error))
    finally:
        nl.db.dispose()  # a cron job: leave no pooled connection behind
    typer.echo(f"purged {purged} pending subscriber(s) unconfirmed for {older_than_days}+ days")


@app.command("stats")
def stats_command() -> None:
    """Subscribers by status and messages by campaign and status."""
    result = campaigns.stats(context())
    console = Console()
    table = Table("status", "subscribers", title="Subscribers")
    for status, count in sorted(result.subscribers.items()):
        table.add_row(status, str(count))
    console.print(table)
    messages = Table("messages", "pending", "sent", "failed", "cancelled", title="Outbox")
    for label, counts in sorted(result.messages.items()):
        cells = [str(counts.get(s, 0)) for s in ("pending", "sent", "failed", "cancelled")]
        messages.add_row(label, *cells)
    console.print(messages)
