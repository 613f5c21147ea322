"""Small pure helpers that turn stored data into what the screens show."""

from __future__ import annotations

import html
import re
import secrets
from datetime import UTC, datetime
from typing import Any

from companion.state import Message

THREAD_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
NEW_LABEL = "✳️ New conversation"


class BadThread(ValueError):
    """A conversation id that the app never makes (typed or forged in a request)."""


def check_thread(thread_id: str | None) -> str:
    thread_id = (thread_id or "").strip()
    if not THREAD_ID.match(thread_id):
        raise BadThread("That conversation could not be found. Start a new one?")
    return thread_id


def new_thread_id(now: datetime | None = None) -> str:
    now = now or datetime.now(UTC)
    return f"c-{now:%Y%m%d-%H%M%S}-{secrets.token_hex(2)}"


def snippet(text: str, limit: int = 42) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _when(iso: str | None) -> str:
    if not iso:
        return ""
    try:
        at = datetime.fromisoformat(iso)
    except ValueError:
        return ""
    return f"{at:%d %b}"


def thread_label(thread_id: str, messages: list[Message]) -> str:
    first = next((m["content"] for m in messages if m["role"] == "user"), "")
    when = _when(messages[-1].get("at")) if messages else ""
    title = snippet(first) if first else "(empty conversation)"
    return f"{title} · {when}" if when else title


def chat_messages(history: list[Message]) -> tuple[list[dict[str, Any]], list[str | None]]:
    """Chatbot messages and, aligned with them, the turn id of each (for "why this reply")."""
    shown = [{"role": m["role"], "content": m["content"]} for m in history]
    return shown, [m.get("id") for m in history]


def reply_choices(chat: list[dict[str, Any]], ids: list[str | None]) -> list[tuple[str, str]]:
    """Dropdown choices for "why this reply": each assistant reply that has a turn id."""
    out = []
    n = 0
    for message, turn_id in zip(chat, ids, strict=False):
        if message.get("role") == "assistant" and turn_id:
            n += 1
            content = message.get("content")
            text = content if isinstance(content, str) else ""
            text = re.sub(r"^> ℹ️.*?\n\n", "", text, flags=re.S)
            out.append((f"Reply {n}: {snippet(text, 48)}", turn_id))
    return out


def crisis_banner(block: str, country: str) -> str:
    """A calm banner with the crisis resources for the person's locale."""
    items = []
    for line in block.splitlines()[1:]:
        items.append(f"<li>{html.escape(line.lstrip('- ').strip())}</li>")
    return (
        '<div class="crisis-banner" role="alert">'
        "<strong>You don't have to carry this alone.</strong> "
        f"If you might not be safe, please reach out now ({html.escape(country)}):"
        f"<ul>{''.join(items)}</ul>"
        "<span>I'm an AI and can't call anyone for you, but these people can help, any time.</span>"
        "</div>"
    )
