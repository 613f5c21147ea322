"""The companion as the CLI and the UI use it: send a message, get streamed events back.

``Companion`` owns the settings, the turn graph and its SQLite checkpointer. It cleans and
checks the message before anything is stored, and turns every failure into a sentence for the
person, so no caller needs a try/except around a turn.
"""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Literal

from langgraph.checkpoint.sqlite import SqliteSaver
from pydantic import BaseModel, Field

from companion.config import Settings
from companion.graph import TurnServices, build_graph
from companion.state import Message
from companion.text import InputProblem, validate_message

THREAD_SEPARATOR = "::"


class TurnEvent(BaseModel):
    """One thing that happens during a turn, in order.

    kind: ``prefix`` (text shown before the reply, e.g. the AI disclosure), ``token`` (a piece
    of the reply), ``replace`` (review changed the reply: this text is authoritative),
    ``notice`` (the message was not sent, and why), ``error`` (the model failed, and what to
    fix), ``done`` (the final reply and its trace).
    """

    kind: Literal["prefix", "token", "replace", "notice", "error", "done"]
    text: str = ""
    trace: dict[str, Any] = Field(default_factory=dict)


def thread_key(user_id: str, thread_id: str) -> str:
    """The checkpointer's thread id: every thread is namespaced by its user."""
    return f"{user_id}{THREAD_SEPARATOR}{thread_id}"


def open_checkpointer(data_dir: Path) -> SqliteSaver:
    data_dir.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(data_dir / "conversations.sqlite3", check_same_thread=False)
    conn.execute("PRAGMA journal_mode=WAL")
    saver = SqliteSaver(conn)
    saver.setup()
    return saver


class Companion:
    """One person's companion (``settings.user_id``), over any number of threads."""

    def __init__(
        self,
        settings: Settings,
        services: TurnServices | None = None,
        checkpointer: SqliteSaver | None = None,
    ) -> None:
        from companion.wiring import build_services

        self.settings = settings
        self.services = services or build_services(settings)
        self.checkpointer = checkpointer or open_checkpointer(settings.data_dir)
        self.graph = build_graph(self.services, self.checkpointer)

    @property
    def user_id(self) -> str:
        return self.settings.user_id

    def _config(self, thread_id: str) -> dict[str, Any]:
        return {"configurable": {"thread_id": thread_key(self.user_id, thread_id)}}

    def send(self, raw: str | bytes, thread_id: str = "default") -> Iterator[TurnEvent]:
        """Run one turn and yield its events; never raises for bad input or model failure."""
        try:
            text = validate_message(raw, self.settings.max_message_chars)
        except InputProblem as problem:
            yield TurnEvent(kind="notice", text=str(problem))
            return
        turn_id = uuid.uuid4().hex[:12]
        now = self.services.clock().isoformat()
        user_message: Message = {"role": "user", "content": text, "id": turn_id, "at": now}
        turn_input = {
            "messages": [user_message],
            "user_id": self.user_id,
            "thread_id": thread_id,
            "turn_id": turn_id,
            "user_text": text,
        }
        final: dict[str, Any] = {}
        # durability="sync": the person's message is on disk before the model is called, so
        # a crash or Ctrl-C mid-reply leaves the thread with the message and without half a reply.
        for mode, chunk in self.graph.stream(
            turn_input, self._config(thread_id), stream_mode=["custom", "values"], durability="sync"
        ):
            if mode == "custom":
                yield TurnEvent(kind=chunk["event"], text=chunk["text"])
            else:
                final = chunk
        if final.get("error"):
            yield TurnEvent(kind="error", text=final["error"], trace=final.get("trace", {}))
        else:
            yield TurnEvent(kind="done", text=final.get("reply", ""), trace=final.get("trace", {}))

    def reply(self, raw: str | bytes, thread_id: str = "default") -> TurnEvent:
        """Run one turn and return its last event (``done``, ``error`` or ``notice``)."""
        last = TurnEvent(kind="notice")
        for event in self.send(raw, thread_id):
            if event.kind in ("done", "error", "notice"):
                last = event
        return last

    def history(self, thread_id: str = "default") -> list[Message]:
        snapshot = self.graph.get_state(self._config(thread_id))
        return list(snapshot.values.get("messages", [])) if snapshot and snapshot.values else []

    def last_trace(self, thread_id: str = "default") -> dict[str, Any]:
        snapshot = self.graph.get_state(self._config(thread_id))
        return dict(snapshot.values.get("trace", {})) if snapshot and snapshot.values else {}

    def threads(self) -> list[str]:
        return list_threads(self.checkpointer, self.user_id)

    def close(self) -> None:
        self.checkpointer.conn.close()


def list_threads(checkpointer: SqliteSaver, user_id: str) -> list[str]:
    prefix = thread_key(user_id, "")
    rows = checkpointer.conn.execute(
        "SELECT DISTINCT thread_id FROM checkpoints WHERE substr(thread_id, 1, ?) = ?",
        (len(prefix), prefix),
    ).fetchall()
    return sorted(row[0][len(prefix) :] for row in rows)
