"""`companion jobs`, `companion worker`, `companion checkin` and `companion inbox`.

Register in ``companion/cli.py``::

    from companion.commands import jobs as jobs_cmd
    app.add_typer(jobs_cmd.app, name="jobs")
    app.command("worker")(jobs_cmd.worker_command)
    app.command("checkin")(jobs_cmd.checkin_command)
    app.command("inbox")(jobs_cmd.inbox_command)

Every command works on the configured user (``companion --user ID ...``) and prints a
readable line with exit code 1 on bad input, never a traceback.
"""

from __future__ import annotations

import json
import logging
import signal
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Annotated, Any

import sqlalchemy as sa
import typer

from alignment import checkins
from alignment.behaviour import resolve_zone
from alignment.ledger import LedgerError
from companion.commands.common import fail, settings_or_exit
from companion.config import Settings
from companion.inbox import InboxError
from companion.scheduler import FEATURES, OPT_INS, Jobs, SchedulerError, open_jobs
from companion.scheduler.setup import enrol_known_users
from memory import MemoryStoreError

log = logging.getLogger(__name__)

app = typer.Typer(
    help="What runs in the background for you, why, and your choices about it.",
    invoke_without_command=True,
)

JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON.")]
DAYS = {"mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6}


@contextmanager
def _friendly() -> Iterator[None]:
    try:
        yield
    except (SchedulerError, InboxError, LedgerError, checkins.CheckinError, OSError) as exc:
        raise fail(str(exc)) from None
    except MemoryStoreError as exc:
        raise fail(f"memory store: {exc}") from None
    except sa.exc.SQLAlchemyError as exc:  # e.g. the job database's server is down
        raise fail(f"job database unavailable: {type(exc).__name__}") from None


@contextmanager
def _jobs(settings: Settings, **stores: Any) -> Iterator[Jobs]:
    """The job service over this deployment's job store, paused (nothing runs here)."""
    with _friendly():
        service = open_jobs(settings, **stores).start(paused=True)
    try:
        with _friendly():
            yield service
    finally:
        service.shutdown(wait=False)


def _local(at: datetime | None, settings: Settings, tz: str | None) -> str:
    if at is None:
        return "paused"
    zone, _, _ = resolve_zone(tz or settings.timezone, warn=False)
    return at.astimezone(zone).strftime("%a %d %b %H:%M %Z")


# -- companion jobs ---------------------------------------------------------------------------


def _print_jobs(service: Jobs, settings: Settings, as_json: bool) -> None:
    user = settings.user_id
    listed = service.list_jobs(user)
    if as_json:
        typer.echo(json.dumps([j.model_dump(mode="json") for j in listed], indent=2))
        return
    if not listed:
        typer.echo("Nothing is scheduled for you.")
    tz = service.prefs(user).timezone
    for j in listed:
        sends = "writes to your inbox" if j.sends_you_something else "sends you nothing"
        typer.echo(f"{j.id}\n  {j.title}; next: {_local(j.next_run, settings, tz)}; {sends}")
        typer.echo(f"  Why: {j.why}")
    off = [f for f in OPT_INS if not getattr(service.prefs(user), f)]
    if off:
        typer.echo(f"\nOff (turn on with `companion jobs optin ...`): {', '.join(off)}.")
    if listed:
        typer.echo("Cancel any of these with `companion jobs cancel <id>`.")
    waiting = service.ctx.inbox.unread_count(user)
    if waiting:
        typer.echo(f"{waiting} message(s) wait in your inbox: `companion inbox`.")


@app.callback()
def jobs_main(ctx: typer.Context) -> None:
    """List what is scheduled for you, why, and let you cancel it."""
    if ctx.invoked_subcommand is None:
        settings = settings_or_exit()
        with _jobs(settings) as service:
            _print_jobs(service, settings, as_json=False)


@app.command("list")
def list_command(as_json: JsonOpt = False) -> None:
    """What is scheduled for you, when it next runs, and why."""
    settings = settings_or_exit()
    with _jobs(settings) as service:
        _print_jobs(service, settings, as_json)


@app.command("cancel")
def cancel_command(
    which: Annotated[str, typer.Argument(help="A job id from `companion jobs`, or its kind.")],
) -> None:
    """Cancel a job; the feature behind it is switched off so it does not come back."""
    settings = settings_or_exit()
    with _jobs(settings) as service:
        gone = service.cancel(settings.user_id, which)
    typer.echo(f"Cancelled: {', '.join(j.title for j in gone)}.")
    typer.echo(f"Turn it back on with `companion jobs optin {gone[0].feature}`.")


@app.command("runs")
def runs_command(as_json: JsonOpt = False) -> None:
    """What past runs did for you (including when I decided to stay silent, and why)."""
    settings = settings_or_exit()
    with _jobs(settings) as service:
        runs = service.ctx.care.runs(settings.user_id)
    if as_json:
        typer.echo(json.dumps([r.model_dump(mode="json") for r in runs], indent=2))
        return
    if not runs:
        typer.echo("No job has run for you yet.")
    for r in runs:
        typer.echo(f"{r.due:%Y-%m-%d %H:%M} UTC  {r.job_id}  {r.status}: {r.outcome or ''}")


@app.command("run-due")
def run_due_command() -> None:
    """Run, once and now, every job that is due (for cron-style setups and for checking)."""
    settings = settings_or_exit()
    with _friendly():
        from companion.stores import open_stores

        stores = open_stores(settings)
    try:
        with _jobs(settings, ledger=stores.ledger, memory=stores.memory) as service:
            results = service.run_due()
    finally:
        stores.close()
    if not results:
        typer.echo("Nothing was due.")
    for r in results:
        typer.echo(f"{r.job_id}: {r.outcome}")


def _weekday(day: str | None) -> int | None:
    if day is None:
        return None
    key = day.strip().lower()[:3]
    if key not in DAYS:
        raise fail(f"--day must be a weekday name like sun or monday, got {day!r}")
    return DAYS[key]


@app.command("optin")
def optin_command(
    feature: Annotated[str, typer.Argument(help=f"One of: {', '.join(FEATURES)}.")],
    max_per_week: Annotated[
        int | None, typer.Option(help="Occasional notes: at most this many a week (1-7).")
    ] = None,
    quiet: Annotated[
        str | None, typer.Option(help="Quiet hours in your time zone, e.g. 22:00-08:00.")
    ] = None,
    timezone: Annotated[str | None, typer.Option(help="Your IANA time zone.")] = None,
    day: Annotated[str | None, typer.Option(help="Weekly reflection day, e.g. sun.")] = None,
    at: Annotated[str | None, typer.Option(help="Weekly reflection time, e.g. 18:00.")] = None,
) -> None:
    """Turn on the weekly reflection, check-ins or occasional notes (all off by default)."""
    settings = settings_or_exit()
    weekday = _weekday(day)
    with _jobs(settings) as service:
        prefs = service.opt_in(
            settings.user_id,
            feature,
            max_per_week=max_per_week,
            quiet=quiet,
            timezone=timezone,
            weekday=weekday,
            at=at,
        )
    typer.echo(f"{feature} is on.")
    if feature == "proactive":
        typer.echo(
            f"At most {prefs.max_per_week} a week, never between "
            f"{prefs.quiet_start:%H:%M} and {prefs.quiet_end:%H:%M}; often none at all. "
            "Notes wait in your inbox; nothing is sent outside the app."
        )
    typer.echo(f"Turn it off any time with `companion jobs optout {feature}`.")


@app.command("optout")
def optout_command(
    feature: Annotated[str, typer.Argument(help=f"One of: {', '.join(FEATURES)}.")],
) -> None:
    """Turn a feature off and remove its jobs."""
    settings = settings_or_exit()
    with _jobs(settings) as service:
        service.opt_out(settings.user_id, feature)
    typer.echo(f"{feature} is off.")


@app.command("prefs")
def prefs_command(as_json: JsonOpt = False) -> None:
    """Your current choices about background jobs and messages."""
    settings = settings_or_exit()
    with _jobs(settings) as service:
        prefs = service.prefs(settings.user_id)
    data = prefs.model_dump(mode="json")
    if as_json:
        typer.echo(json.dumps(data, indent=2))
        return
    for key, value in data.items():
        typer.echo(f"{key}: {value}")


# -- companion worker -------------------------------------------------------------------------


def worker_command(
    stop_after: Annotated[
        float | None, typer.Option(hidden=True, help="Stop after this many seconds (tests).")
    ] = None,
) -> None:
    """Run the background scheduler in the foreground (one per deployment). Ctrl-C stops it."""
    settings = settings_or_exit()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    with _friendly():
        from companion.stores import open_stores

        stores = open_stores(settings)
        service = open_jobs(settings, ledger=stores.ledger, memory=stores.memory)
        service.start()
        people = enrol_known_users(service)
    stopping = False

    def _stop(*_: object) -> None:
        nonlocal stopping
        stopping = True

    previous = signal.signal(signal.SIGTERM, _stop)
    typer.echo(f"Worker running for {people} people. Press Ctrl-C to stop.")
    started = time.monotonic()
    try:
        while not stopping:
            if stop_after is not None and time.monotonic() - started >= stop_after:
                break
            time.sleep(0.2)
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
        typer.echo("Stopping: waiting for running jobs to finish...")
        service.shutdown(wait=True)
        stores.close()
        typer.echo("Worker stopped.")


# -- companion checkin ------------------------------------------------------------------------


def _ask(question: checkins.Question) -> int | None | str:
    """One question; returns the value, None when skipped, or 'stop'."""
    typer.echo(f"\n{question.text}")
    for value, label in question.choices:
        typer.echo(f"  {value}) {label}")
    allowed = {str(v) for v in question.values}
    while True:
        raw = typer.prompt(
            "Your answer (Enter to skip, q to stop)", default="", show_default=False
        ).strip()
        if raw == "":
            return None
        if raw.lower() in ("q", "quit", "stop"):
            return "stop"
        if raw in allowed:
            return int(raw)
        typer.echo(f"Please type one of {', '.join(sorted(allowed))}, or press Enter to skip.")


def _show_trend(settings: Settings, ledger: Any) -> None:
    shown = False
    for instrument, label in (
        (checkins.UCLA3, "Loneliness scale (3-9)"),
        (checkins.DIRECT, "How often lonely (1-5)"),
    ):
        points = checkins.trend(ledger, settings.user_id, instrument)
        if not points:
            continue
        shown = True
        typer.echo(f"{label}, lower means less lonely:")
        for p in points:
            typer.echo(f"  {p.at:%Y-%m-%d}  {p.score:g}")
    if not shown:
        typer.echo("No check-ins yet.")


def checkin_command(
    trend: Annotated[bool, typer.Option("--trend", help="Show your past results instead.")] = False,
) -> None:
    """A short, skippable loneliness check-in (at most every two weeks), just for you."""
    from alignment.ledger import Ledger
    from alignment.ledger import default_url as ledger_url

    settings = settings_or_exit()
    with _friendly():
        ledger = Ledger(getattr(settings, "ledger_url", None) or ledger_url(settings.data_dir))
    try:
        with _friendly():
            if trend:
                _show_trend(settings, ledger)
                return
            now = datetime.now(UTC)
            start = checkins.available_from(checkins.last_checkin_at(ledger, settings.user_id))
            if start is not None and now < start:
                typer.echo(
                    "Check-ins are spaced at least two weeks apart; the next one is available "
                    f"from {start:%Y-%m-%d}. `companion checkin --trend` shows your results."
                )
                return
            typer.echo(
                "Four short questions about how connected you have been feeling lately. "
                "Skip any of them, or stop at any point. Your answers are only shown to you."
            )
            answers: dict[str, int | None] = {}
            for question in checkins.QUESTIONS:
                value = _ask(question)
                if value == "stop":
                    break
                answers[question.key] = value  # type: ignore[assignment]
            stored = checkins.record(ledger, settings.user_id, answers, now)
            _close_invitations(settings)
        if stored:
            typer.echo("\nThank you. Saved; `companion checkin --trend` shows how it changes.")
        else:
            typer.echo("\nNothing saved; that is completely fine.")
    finally:
        ledger.close()


def _close_invitations(settings: Settings) -> None:
    from companion.inbox import Inbox
    from companion.scheduler import jobs_url

    inbox = Inbox(jobs_url(settings))
    try:
        ids = [m.id for m in inbox.messages(settings.user_id, unread_only=True, kind="checkin")]
        if ids:
            inbox.mark_read(settings.user_id, ids)
    finally:
        inbox.close()


# -- companion inbox --------------------------------------------------------------------------


def inbox_command(
    show_all: Annotated[
        bool, typer.Option("--all", help="Also show messages already read.")
    ] = False,
    keep_unread: Annotated[bool, typer.Option(help="Do not mark them read.")] = False,
    as_json: JsonOpt = False,
) -> None:
    """Messages I left for you (reflections, check-in invitations, notes you turned on)."""
    from companion.inbox import Inbox
    from companion.scheduler import jobs_url

    settings = settings_or_exit()
    with _friendly():
        inbox = Inbox(jobs_url(settings))
        try:
            shown = inbox.messages(settings.user_id, unread_only=not show_all)
            if not keep_unread:
                inbox.mark_read(settings.user_id, [m.id for m in shown if m.unread])
        finally:
            inbox.close()
    if as_json:
        typer.echo(json.dumps([m.model_dump(mode="json") for m in shown], indent=2))
        return
    if not shown:
        typer.echo("Your inbox is empty." if show_all else "No new messages.")
        return
    for m in shown:
        new = "new" if m.unread else "read"
        typer.echo(f"[{_local(m.created_at, settings, None)}, {m.kind}, {new}]")
        typer.echo(m.text)
        typer.echo(f"(Why: {m.why})\n")
