"""Export and forget across every store that holds something about a person.

Each store (conversation checkpoints, memories, relationship ledger, scheduled jobs ...)
implements ``UserDataStore``; ``export_user`` and ``forget_user`` walk all of them, so adding a
store means adding it to ``user_data_stores`` and nothing else.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, Protocol, runtime_checkable


@runtime_checkable
class UserDataStore(Protocol):
    """A store of per-user data that can hand all of it over and delete all of it."""

    name: str

    def export_user(self, user_id: str) -> Any:
        """Everything held about ``user_id``, as JSON-serialisable data."""
        ...

    def forget_user(self, user_id: str) -> int:
        """Delete everything held about ``user_id``; return how many items went."""
        ...

    def import_user(self, user_id: str, data: Any) -> int:
        """Restore what ``export_user`` produced; return how many items came in."""
        ...


def export_user(stores: list[UserDataStore], user_id: str) -> dict[str, Any]:
    return {
        "format": "companion-export/1",
        "user_id": user_id,
        "exported_at": datetime.now(UTC).isoformat(),
        "stores": {store.name: store.export_user(user_id) for store in stores},
    }


def forget_user(stores: list[UserDataStore], user_id: str) -> dict[str, int]:
    return {store.name: store.forget_user(user_id) for store in stores}


def import_user(
    stores: list[UserDataStore], user_id: str, export: dict[str, Any]
) -> dict[str, int]:
    if export.get("format") != "companion-export/1":
        raise ValueError("not a companion export file (missing format 'companion-export/1')")
    data = export.get("stores", {})
    return {s.name: s.import_user(user_id, data[s.name]) for s in stores if s.name in data}
