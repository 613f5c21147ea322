"""What the app does, one method per action, always for an explicit ``user_id``.

The Gradio layer (``ui.app``) resolves ``user_id`` from the sign-in session and calls these;
nothing here trusts an id that came from the browser except as a name *within* that person's
own data (a thread id, a memory id), so another person's ids simply find nothing.
"""

from __future__ import annotations

import atexit
import hashlib
import json
import shutil
import tempfile
import threading
from collections import OrderedDict
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

from alignment.ledger import LedgerError
from alignment.safety import crisis_resources
from companion.config import SWITCHABLE_MODULES
from companion.profiles import Profile, ProfileError, apply_profile
from companion.text import InputProblem, validate_message
from memory.errors import MemoryStoreError
from ui import views
from ui.dashboard import DashboardData
from ui.pool import Busy, CompanionPool


class UserFacingError(Exception):
    """Something the person should read (shown as a warning, never a traceback)."""


class ChatUpdate(BaseModel):
    """One step of a streamed turn, as the chat screen needs it."""

    chat: list[dict[str, Any]]
    ids: list[str | None]
    done: bool = False
    trace: dict[str, Any] = Field(default_factory=dict)
    turn_id: str | None = None
    crisis: bool = False
    warning: str = ""
    keep_text: bool = False  # the message was not sent: leave it in the box


class TraceCache:
    """Traces of turns answered by this process, with the module switches at the time."""

    def __init__(self, size: int = 2000) -> None:
        self._items: OrderedDict[tuple[str, str], dict[str, Any]] = OrderedDict()
        self._size = size
        self._lock = threading.Lock()

    def put(self, user_id: str, turn_id: str, trace: dict[str, Any]) -> None:
        with self._lock:
            self._items[(user_id, turn_id)] = trace
            self._items.move_to_end((user_id, turn_id))
            while len(self._items) > self._size:
                self._items.popitem(last=False)

    def get(self, user_id: str, turn_id: str) -> dict[str, Any] | None:
        with self._lock:
            return self._items.get((user_id, turn_id))

    def drop_user(self, user_id: str) -> None:
        with self._lock:
            for key in [k for k in self._items if k[0] == user_id]:
                del self._items[key]


class Handlers:
    def __init__(self, pool: CompanionPool) -> None:
        self.pool = pool
        self.traces = TraceCache()
        # Exports hold personal data: kept only until the next export, a forget, or exit.
        self.export_dir = Path(tempfile.mkdtemp(prefix="companion-exports-"))
        atexit.register(shutil.rmtree, self.export_dir, True)

    @property
    def ledger(self):
        return self.pool.stores.ledger

    @property
    def memory(self):
        return self.pool.stores.memory

    # -- conversations -------------------------------------------------------------------

    def threads(self, user_id: str) -> list[tuple[str, str]]:
        """(label, thread id) of the person's conversations, most recent first."""
        companion = self.pool.get(user_id)
        found = []
        for thread in companion.threads():
            history = companion.history(thread)
            if not history:
                continue
            found.append((history[-1].get("at", ""), views.thread_label(thread, history), thread))
        found.sort(reverse=True)
        return [(label, thread) for _, label, thread in found]

    def open_thread(self, user_id: str, thread_id: str) -> tuple[list, list, bool]:
        """The thread's messages, turn ids, and whether its last turn was a crisis turn."""
        thread_id = views.check_thread(thread_id)
        companion = self.pool.get(user_id)
        chat, ids = views.chat_messages(companion.history(thread_id))
        crisis = (companion.last_trace(thread_id) or {}).get("route") == "crisis"
        return chat, ids, crisis

    def enabled_modules(self, user_id: str) -> list[str]:
        prefs = self.ledger.preferences(user_id)
        allowed = self.pool.settings_for(user_id).modules
        return [m for m in SWITCHABLE_MODULES if m in allowed and prefs.is_enabled(m)]

    def send(
        self,
        user_id: str,
        thread_id: str,
        text: str,
        chat: list[dict[str, Any]],
        ids: list[str | None],
    ) -> Iterator[ChatUpdate]:
        """Answer one message, streaming; bad input and busy threads give a warning instead."""
        chat, ids = list(chat or []), list(ids or [])
        try:
            thread_id = views.check_thread(thread_id)
        except views.BadThread as exc:
            yield ChatUpdate(chat=chat, ids=ids, warning=str(exc), keep_text=True, done=True)
            return
        companion = self.pool.get(user_id)
        try:
            clean = validate_message(text or "", companion.settings.max_message_chars)
        except InputProblem as problem:
            yield ChatUpdate(chat=chat, ids=ids, warning=str(problem), keep_text=True, done=True)
            return
        try:
            with self.pool.turn(user_id, thread_id):
                yield from self._stream(companion, user_id, thread_id, clean, chat, ids)
        except Busy as exc:
            yield ChatUpdate(chat=chat, ids=ids, warning=str(exc), keep_text=True, done=True)

    def _stream(self, companion, user_id, thread_id, text, chat, ids) -> Iterator[ChatUpdate]:
        enabled = self.enabled_modules(user_id)
        chat = [*chat, {"role": "user", "content": text}, {"role": "assistant", "content": ""}]
        ids = [*ids, None, None]
        prefix, body = "", ""

        def shown() -> str:
            return f"> ℹ️ {prefix}\n\n{body}" if prefix else body

        yield ChatUpdate(chat=chat, ids=ids)
        for event in companion.send(text, thread_id):
            if event.kind == "prefix":
                prefix = event.text
            elif event.kind == "token":
                body += event.text
            elif event.kind == "replace":
                body = event.text
            elif event.kind == "notice":
                yield ChatUpdate(
                    chat=chat[:-2], ids=ids[:-2], warning=event.text, keep_text=True, done=True
                )
                return
            elif event.kind == "error":
                chat[-1] = {"role": "assistant", "content": f"⚠️ {event.text}"}
                trace = {**event.trace, "modules_enabled": enabled}
                turn_id = trace.get("turn_id")
                ids[-2] = turn_id
                if turn_id:
                    self.traces.put(user_id, turn_id, trace)
                crisis = trace.get("route") == "crisis"
                yield ChatUpdate(chat=chat, ids=ids, done=True, trace=trace, crisis=crisis)
                return
            elif event.kind == "done":
                body = event.text or body
                trace = {
                    **event.trace,
                    "modules_enabled": event.trace.get("modules_enabled", enabled),
                }
                turn_id = trace.get("turn_id")
                chat[-1] = {"role": "assistant", "content": shown()}
                ids[-2] = ids[-1] = turn_id
                if turn_id:
                    self.traces.put(user_id, turn_id, trace)
                yield ChatUpdate(
                    chat=chat,
                    ids=ids,
                    done=True,
                    trace=trace,
                    turn_id=turn_id,
                    crisis=trace.get("route") == "crisis",
                )
                return
            chat[-1] = {"role": "assistant", "content": shown()}
            yield ChatUpdate(chat=chat, ids=ids)

    def trace(self, user_id: str, thread_id: str, turn_id: str) -> dict[str, Any] | None:
        """The trace of one of this person's replies (None when there is none to show)."""
        if not turn_id:
            return None
        cached = self.traces.get(user_id, turn_id)
        if cached is not None:
            return cached
        try:
            thread_id = views.check_thread(thread_id)
            record = self.ledger.turn(user_id, turn_id, thread_id)
        except (views.BadThread, LedgerError):
            return None
        if record is not None:
            return dict(record.trace)
        companion = self.pool.get(user_id)
        last = companion.last_trace(thread_id)
        return last if last.get("turn_id") == turn_id else None

    def crisis_html(self, user_id: str) -> str:
        resources = crisis_resources(self.pool.settings_for(user_id).locale)
        return views.crisis_banner(resources.block(), resources.country)

    # -- modules and nudges --------------------------------------------------------------

    def set_module(self, user_id: str, module: str, enabled: bool) -> str:
        if module not in SWITCHABLE_MODULES:
            raise UserFacingError(f"{module} cannot be switched here")
        self.ledger.set_module(user_id, module, bool(enabled))
        state = "on" if enabled else "off"
        return f"{module.capitalize()} is {state} from your next message."

    def set_allowed_nudges(self, user_id: str, kinds: list[str], allowed: list[str]) -> str:
        prefs = self.ledger.preferences(user_id)
        allowed_set = set(allowed or [])
        changes = []
        for kind in kinds:
            if kind in allowed_set and kind in prefs.opted_out:
                self.ledger.opt_in(user_id, kind)
                changes.append(f"{kind.replace('_', ' ')} back on")
            elif kind not in allowed_set and kind not in prefs.opted_out:
                self.ledger.opt_out(user_id, kind)
                changes.append(f"no more {kind.replace('_', ' ')}")
        return "; ".join(changes) or "No change."

    def set_frequency(self, user_id: str, frequency: str) -> str:
        try:
            self.ledger.set_nudge_frequency(user_id, frequency)
        except LedgerError as exc:
            raise UserFacingError(str(exc)) from exc
        return f"Suggestions: {frequency} frequency."

    # -- dashboard -----------------------------------------------------------------------

    def dashboard(self, user_id: str, now: datetime | None = None) -> DashboardData:
        settings = self.pool.settings_for(user_id)
        try:
            memories = [r.text for r in self.memory.list(user_id)]
            people = [p.model_dump() for p in self.memory.people(user_id)]
        except MemoryStoreError:
            memories, people = [], []
        return DashboardData(
            self.ledger, user_id, memories, people, settings.timezone, now or datetime.now(UTC)
        )

    # -- memories ------------------------------------------------------------------------

    def memories(self, user_id: str, query: str = "") -> list[list[str]]:
        """Rows of [when, kind, text, id], newest first (or best match first for a search)."""
        query = (query or "").strip()
        try:
            if query:
                records = [m.record for m in self.memory.search(user_id, query[:500], k=50)]
            else:
                records = self.memory.list(user_id)
        except MemoryStoreError as exc:
            raise UserFacingError(str(exc)) from exc
        return [[f"{r.created_at:%Y-%m-%d}", r.kind.value, r.text, r.id] for r in records]

    def memory_text(self, user_id: str, memory_id: str) -> str:
        try:
            return self.memory.get(user_id, memory_id).text
        except MemoryStoreError as exc:
            raise UserFacingError("That memory is gone or was never yours to see.") from exc

    def edit_memory(self, user_id: str, memory_id: str, text: str) -> str:
        if not (memory_id or "").strip():
            raise UserFacingError("Pick a memory in the table first.")
        try:
            self.memory.edit(user_id, memory_id, text or "")
        except MemoryStoreError as exc:
            raise UserFacingError(_memory_problem(exc)) from exc
        return "Memory updated."

    def delete_memory(self, user_id: str, memory_id: str) -> str:
        if not (memory_id or "").strip():
            raise UserFacingError("Pick a memory in the table first.")
        try:
            record = self.memory.delete(user_id, memory_id)
        except MemoryStoreError as exc:
            raise UserFacingError(_memory_problem(exc)) from exc
        return f"Forgotten: “{views.snippet(record.text, 60)}”"

    def export_file(self, user_id: str) -> Path:
        """Everything about the person as one JSON file, for download."""
        companion = self.pool.get(user_id)
        data = companion.export()  # format, user_id, exported_at, stores (app settings too)
        self._drop_exports(user_id)
        folder = self._export_folder(user_id)
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"companion-export-{user_id}-{datetime.now(UTC):%Y%m%d-%H%M%S}.json"
        path.write_text(json.dumps(data, ensure_ascii=False, indent=2, default=str), "utf-8")
        return path

    def _export_folder(self, user_id: str) -> Path:
        # A digest, not the id itself: an id such as ".." must never name a path.
        return self.export_dir / hashlib.sha256(user_id.encode()).hexdigest()[:24]

    def _drop_exports(self, user_id: str) -> None:
        shutil.rmtree(self._export_folder(user_id), ignore_errors=True)

    def forget_everything(self, user_id: str, confirmation: str) -> str:
        if (confirmation or "").strip().upper() != "FORGET":
            raise UserFacingError("Type FORGET in the box to confirm. Nothing was deleted.")
        counts = self.pool.get(user_id).forget_all()  # every store, app settings included
        self.traces.drop_user(user_id)
        self._drop_exports(user_id)
        self.pool.refresh(user_id)
        total = sum(v for v in counts.values() if isinstance(v, int))
        return f"Everything about you is deleted ({total} records). We can start fresh."

    # -- settings ------------------------------------------------------------------------

    def profile(self, user_id: str) -> Profile:
        return self.pool.profiles.get(user_id)

    def save_profile(self, user_id: str, profile: Profile) -> str:
        """Check the person's new settings, store them, and use them from the next message."""
        from alignment.behaviour import resolve_zone
        from companion.prompts import PersonaNotFound, load_persona

        if profile.persona == "own" and not (profile.own_persona or "").strip():
            raise UserFacingError("Write your own persona in the box, or pick a shipped one.")
        if profile.timezone and resolve_zone(profile.timezone, warn=False)[2] == "utc_fallback":
            raise UserFacingError(f"Unknown time zone {profile.timezone!r}.")
        store = self.pool.profiles
        try:
            settings = apply_profile(
                self.pool.base.settings, user_id, profile, store.persona_file(user_id)
            )
            if profile.persona != "own":
                load_persona(settings.persona)
        except (ProfileError, PersonaNotFound) as exc:
            raise UserFacingError(str(exc)) from exc
        previous = store.get(user_id)
        store.save(user_id, profile)
        self.pool.refresh(user_id)
        try:
            self.pool.get(user_id)
        except Exception as exc:  # a model or persona that cannot be built: put the old back
            store.save(user_id, previous)
            self.pool.refresh(user_id)
            raise UserFacingError(f"Those settings could not be used: {exc}") from exc
        return "Saved. Your next message uses these settings."


def _memory_problem(exc: Exception) -> str:
    from memory.errors import MemoryNotFound

    if isinstance(exc, MemoryNotFound):
        return "That memory is gone or was never yours to change."
    return str(exc)
