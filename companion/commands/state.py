"""`companion state` and `companion trace`: what the companion knows, and why it did what it did.

Register with ``register(app)`` or one by one::

    app.command("state")(state_command)
    app.command("trace")(trace_command)
"""

from __future__ import annotations

import logging
from datetime import datetime, tzinfo
from typing import Annotated, Any

import typer

from alignment.behaviour import resolve_zone
from alignment.ledger import Ledger, LedgerError, TurnRecord, default_url
from alignment.state import build_state, summarise
from companion.commands.common import fail, settings_or_exit
from companion.config import Settings

log = logging.getLogger(__name__)
MAX_SCORES = 12


def ledger_url(settings: Settings) -> str:
    """The ledger database: ``settings.ledger_url`` when the lead adds it, else SQLite."""
    return getattr(settings, "ledger_url", None) or default_url(settings.data_dir)


def open_ledger(settings: Settings) -> Ledger:
    try:
        return Ledger(ledger_url(settings))
    except LedgerError as exc:
        raise fail(str(exc)) from None


def _memories(settings: Settings) -> list[str]:
    """Memory texts for the summary; the summary still works when memory is unavailable."""
    try:
        from companion.stores import memory_texts  # type: ignore[attr-defined]

        return [str(m) for m in memory_texts(settings)]
    except Exception as exc:  # missing module, no store yet, store error
        log.debug("memories unavailable for the state summary: %s", type(exc).__name__)
        return []


def state_command(
    json: Annotated[bool, typer.Option("--json", help="Print the state as JSON.")] = False,
) -> None:
    """What I remember, how we have been talking, what I noticed and suggested, and why."""
    settings = settings_or_exit()
    with open_ledger(settings) as ledger:
        try:
            state = build_state(
                ledger,
                settings.user_id,
                memories=_memories(settings),
                timezone=settings.timezone,
            )
        except LedgerError as exc:
            raise fail(str(exc)) from None
    if json:
        typer.echo(state.model_dump_json(indent=2))
    else:
        typer.echo(summarise(state))


def _local(at: datetime, zone: tzinfo) -> str:
    return at.astimezone(zone).strftime("%a %d %b %Y %H:%M %Z")


def _lines(value: Any, indent: int) -> list[str]:
    pad = "  " * indent
    if isinstance(value, dict):
        out = []
        for key, item in value.items():
            if isinstance(item, dict | list) and item:
                out.append(f"{pad}{key}:")
                out.extend(_lines(item, indent + 1))
            else:
                out.append(f"{pad}{key}: {_scalar(item)}")
        return out
    if isinstance(value, list):
        out = []
        for item in value:
            if isinstance(item, dict | list) and item:
                out.append(f"{pad}-")
                out.extend(_lines(item, indent + 1))
            else:
                out.append(f"{pad}- {_scalar(item)}")
        return out
    return [f"{pad}{_scalar(value)}"]


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:.3g}"
    if value in ({}, [], None):
        return "-"
    return str(value)


def format_turn(turn: TurnRecord, zone: tzinfo) -> str:
    """A turn's stored trace as indented plain text, scores highest first."""
    lines = [
        f"Turn {turn.turn_id} in thread {turn.thread_id}, {_local(turn.at, zone)}",
        f"Signals that fired: {', '.join(turn.fired) or 'none'}",
    ]
    top = sorted(turn.scores.items(), key=lambda kv: -kv[1])[:MAX_SCORES]
    if top:
        lines.append("Scores: " + ", ".join(f"{k} {v:.2f}" for k, v in top))
    lines.append("Trace:")
    lines.extend(_lines(turn.trace, 1) if turn.trace else ["  (empty)"])
    return "\n".join(lines)


def trace_command(
    which: Annotated[str, typer.Argument(help="'last', or the id of a turn.")] = "last",
    json: Annotated[bool, typer.Option("--json", help="Print the turn as JSON.")] = False,
) -> None:
    """Show the stored trace of a turn: which signals fired, what each module did, and why."""
    settings = settings_or_exit()
    with open_ledger(settings) as ledger:
        try:
            if which == "last":
                turn = ledger.last_turn(settings.user_id)
            else:
                turn = ledger.turn(settings.user_id, which)
        except LedgerError as exc:
            raise fail(str(exc)) from None
    if turn is None:
        if which == "last":
            typer.echo("No turns yet: nothing to show until we have talked.")
            return
        raise fail(f"no turn with id {which!r}")
    if json:
        typer.echo(turn.model_dump_json(indent=2))
        return
    zone, _, _ = resolve_zone(settings.timezone)
    typer.echo(format_turn(turn, zone))


def register(app: typer.Typer) -> None:
    """Mount ``state`` and ``trace`` on the main CLI."""
    app.command("state")(state_command)
    app.command("trace")(trace_command)
