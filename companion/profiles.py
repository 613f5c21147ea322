"""Each person's own settings in the app: model, persona, time zone, locale, minor.

They override the deployment's settings for that person only. The store is one small
SQLite table keyed by user id; it is also a ``UserDataStore`` (export, forget, import), so a
person's export and "forget everything" cover it.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field, ValidationError

from companion.config import Settings

_SCHEMA = "CREATE TABLE IF NOT EXISTS profiles (user_id TEXT PRIMARY KEY, data TEXT NOT NULL)"
MAX_PERSONA_CHARS = 4000


class ProfileError(ValueError):
    """A setting the person chose cannot be used; the message says which and why."""


class Profile(BaseModel):
    """What a person changed; None means "as the deployment is configured"."""

    model: str | None = None
    persona: str | None = None  # a shipped persona name, or "own" for ``own_persona``
    own_persona: str | None = Field(None, max_length=MAX_PERSONA_CHARS)
    timezone: str | None = None
    locale: str | None = None
    minor: bool | None = None


class ProfileStore:
    name = "ui_profile"

    def __init__(self, data_dir: Path) -> None:
        self.dir = Path(data_dir) / "ui"
        self.dir.mkdir(parents=True, exist_ok=True)
        self.path = self.dir / "profiles.sqlite3"
        self._lock = threading.Lock()
        with self._connect() as conn:
            conn.execute(_SCHEMA)

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self.path, timeout=10)

    def persona_file(self, user_id: str) -> Path:
        return self.dir / "personas" / f"{user_id}.md"

    def get(self, user_id: str) -> Profile:
        with self._connect() as conn:
            row = conn.execute("SELECT data FROM profiles WHERE user_id = ?", (user_id,)).fetchone()
        return Profile.model_validate_json(row[0]) if row else Profile()

    def save(self, user_id: str, profile: Profile) -> None:
        with self._lock, self._connect() as conn:
            conn.execute(
                "INSERT OR REPLACE INTO profiles VALUES (?, ?)",
                (user_id, profile.model_dump_json()),
            )
        if profile.own_persona:
            path = self.persona_file(user_id)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(profile.own_persona, encoding="utf-8")

    def settings_for(self, base: Settings, user_id: str) -> Settings:
        """The deployment's settings with this person's choices applied (and validated)."""
        return apply_profile(base, user_id, self.get(user_id), self.persona_file(user_id))

    # -- UserDataStore ---------------------------------------------------------------------

    def export_user(self, user_id: str) -> dict[str, Any]:
        return json.loads(self.get(user_id).model_dump_json())

    def forget_user(self, user_id: str) -> int:
        with self._lock, self._connect() as conn:
            n = conn.execute("DELETE FROM profiles WHERE user_id = ?", (user_id,)).rowcount
        self.persona_file(user_id).unlink(missing_ok=True)
        return n

    def import_user(self, user_id: str, data: Any) -> int:
        try:
            profile = Profile.model_validate(data or {})
        except ValidationError as exc:
            raise ProfileError(f"not a profile export: {exc}") from exc
        self.save(user_id, profile)
        return 1


def apply_profile(base: Settings, user_id: str, profile: Profile, persona_file: Path) -> Settings:
    update: dict[str, Any] = {"user_id": user_id}
    for key in ("model", "timezone", "locale", "minor"):
        value = getattr(profile, key)
        if value is not None:
            update[key] = value
    if profile.persona == "own" and profile.own_persona:
        update["persona"] = str(persona_file)
    elif profile.persona:
        update["persona"] = profile.persona
    try:
        return type(base).model_validate({**base.model_dump(), **update})
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        raise ProfileError(f"these settings cannot be used: {problems}") from exc
