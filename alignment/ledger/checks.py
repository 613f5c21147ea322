"""Input checks shared by the ledger's methods: every failure is a readable ``LedgerError``."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from alignment.ledger.errors import LedgerError
from alignment.ledger.models import as_utc
from alignment.ledger.schema import ID

LOCALE = re.compile(r"^[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})?$")


def ident(value: Any, what: str, limit: int = ID) -> str:
    """A non-empty identifier or short label, trimmed."""
    if not isinstance(value, str) or not value.strip():
        raise LedgerError(f"{what} must be a non-empty string")
    value = value.strip()
    if len(value) > limit:
        raise LedgerError(f"{what} is longer than {limit} characters")
    return value


def utc(value: datetime, what: str) -> datetime:
    """An aware datetime converted to UTC; a naive one is refused."""
    try:
        return as_utc(value, what)
    except (TypeError, ValueError) as exc:
        raise LedgerError(str(exc)) from exc


def locale(value: Any) -> str:
    """A country or language-country code, normalised to upper case with a hyphen."""
    if not isinstance(value, str) or not LOCALE.match(value.strip()):
        raise LedgerError(f"locale must look like 'US' or 'en-GB', got {value!r}")
    return value.strip().upper().replace("_", "-")
