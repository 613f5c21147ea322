"""The companion as the CLI and the UI use it: send a message, get streamed events back.

``Companion`` owns the settings, the turn graph and its SQLite checkpointer. It cleans and
checks the message before anything is stored, and turns every failure into a sentence for the
person, so no caller needs a try/except around a turn.
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Iterator
from typing import Any, Literal

from pydantic import BaseModel, Field

from companion.config import Settings
from companion.conversations import ConversationStore, list_threads, thread_key
from companion.graph import TurnServices, build_graph
from companion.privacy import UserDataStore, export_user, forget_user, import_user
from companion.profiles import ProfileStore
from companion.state import Message
from companion.stores import Stores, open_stores
from companion.text import InputProblem, validate_message

log = logging.getLogger(__name__)


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


class Companion:
    """One person's companion (``settings.user_id``), over any number of threads.

    ``stores`` (checkpointer, ledger, memory) are shared by every user of a deployment: use
    ``for_user`` to get another person's companion over the same stores.
    """

    def __init__(
        self,
        settings: Settings,
        services: TurnServices | None = None,
        stores: Stores | None = None,
    ) -> None:
        from companion.wiring import build_services

        self.settings = settings
        self.stores = stores or open_stores(settings)
        self.services = services or build_services(settings, self.stores)
        self.graph = build_graph(self.services, self.stores.checkpointer)

    def for_user(self, user_id: str) -> Companion:
        """The companion of another person, sharing this deployment's stores and services."""
        settings = self.settings.model_copy(update={"user_id": user_id})
        type(settings).model_validate(settings.model_dump())  # same user id rules
        return Companion(settings, self.services, self.stores)

    @property
    def checkpointer(self):
        return self.stores.checkpointer

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
        try:  # the tidy-up job runs once the conversation goes quiet
            self.stores.jobs.note_activity(self.user_id, self.services.clock())
        except Exception as exc:  # scheduling is upkeep; it never fails a turn
            log.warning("could not note activity for jobs: %s", type(exc).__name__)
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

    # -- the person's choices about the alignment modules --------------------------------

    def module_states(self) -> dict[str, bool]:
        """Every module and whether it runs for this person (safety and guard always do)."""
        from alignment.registry import ALWAYS_ON, load_modules

        prefs = self.stores.ledger.preferences(self.user_id)
        states = {
            name: name in self.settings.modules and prefs.is_enabled(name)
            for name in load_modules()
        }
        return {**states, **dict.fromkeys(ALWAYS_ON, True)}

    def set_module(self, name: str, enabled: bool) -> None:
        """Switch a module on or off for this person, from the next reply on."""
        from alignment.registry import load_modules

        if name not in load_modules():
            raise ValueError(f"unknown module '{name}'")
        self.stores.ledger.set_module(self.user_id, name, enabled)

    def opt_out(self, nudge_kind: str) -> None:
        """Never offer this kind of nudge again (until the person opts back in)."""
        self.stores.ledger.opt_out(self.user_id, nudge_kind)

    def opt_in(self, nudge_kind: str) -> None:
        self.stores.ledger.opt_in(self.user_id, nudge_kind)

    # -- the person's data, across every store ------------------------------------------

    def data_stores(self) -> list[UserDataStore]:
        return [
            ConversationStore(self.checkpointer, self.graph),
            self.stores.memory,
            self.stores.ledger,
            self.stores.jobs,
            self.stores.inbox,
            ProfileStore(self.settings.data_dir),
        ]

    def export(self) -> dict[str, Any]:
        """Everything held about this person, as one JSON-serialisable document."""
        return export_user(self.data_stores(), self.user_id)

    def forget_all(self) -> dict[str, int]:
        """Delete everything held about this person, in every store."""
        return forget_user(self.data_stores(), self.user_id)

    def import_data(self, export: dict[str, Any]) -> dict[str, int]:
        return import_user(self.data_stores(), self.user_id, export)

    def warm_up(self) -> None:
        """Prepare for this person's first message (the alignment layer's reads, a memory
        search); best effort, so call it on a background thread while they type."""
        now = self.services.clock()
        try:
            self.services.alignment.warm_up(self.user_id, now)
            self.services.memory.retrieve(self.user_id, "hello")
        except Exception as exc:  # only the first turn gets slower
            log.warning("warm-up failed: %s", type(exc).__name__)

    def warm_up_in_background(self) -> None:
        """``warm_up`` on a daemon thread, for the CLI and the UI at launch."""
        threading.Thread(target=self.warm_up, name="companion-warm-up", daemon=True).start()

    def close(self) -> None:
        self.stores.close()
