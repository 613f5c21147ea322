"""One companion per signed-in person, over the deployment's shared stores.

The user id always comes from the server side (the sign-in session, or the laptop's own
user in local mode), never from anything the browser sends, so a person can only ever
reach their own threads, memories and ledger rows.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from companion.config import Settings
from companion.profiles import ProfileStore
from companion.service import Companion


class Busy(RuntimeError):
    """This conversation is already answering a message (double submit, or a second tab)."""


class CompanionPool:
    def __init__(self, base: Companion, profiles: ProfileStore) -> None:
        self.base = base
        self.profiles = profiles
        self._companions: dict[str, Companion] = {}
        self._lock = threading.Lock()
        self._busy: set[tuple[str, str]] = set()

    @property
    def stores(self):
        return self.base.stores

    def settings_for(self, user_id: str) -> Settings:
        return self.profiles.settings_for(self.base.settings, user_id)

    def get(self, user_id: str) -> Companion:
        with self._lock:
            found = self._companions.get(user_id)
            if found is not None:
                return found
        settings = self.settings_for(user_id)
        same = (
            settings.model_dump()
            == self.base.settings.model_copy(update={"user_id": user_id}).model_dump()
        )
        companion = (
            self.base.for_user(user_id)
            if same
            else Companion(settings, stores=self.base.stores)  # own model/persona/zone
        )
        with self._lock:
            return self._companions.setdefault(user_id, companion)

    def refresh(self, user_id: str) -> None:
        """Forget the cached companion so the next turn uses the person's new settings."""
        with self._lock:
            self._companions.pop(user_id, None)

    @contextmanager
    def turn(self, user_id: str, thread_id: str) -> Iterator[None]:
        """Hold the conversation while one message is answered; a second one gets ``Busy``."""
        key = (user_id, thread_id)
        with self._lock:
            if key in self._busy:
                raise Busy("I'm still answering your last message here. One moment, please.")
            self._busy.add(key)
        try:
            yield
        finally:
            with self._lock:
                self._busy.discard(key)
