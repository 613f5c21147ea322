"""Errors the ledger raises, so callers (and the CLI) can show a readable message."""

from __future__ import annotations


class LedgerError(ValueError):
    """Something was asked of the ledger that it cannot do; the message says what."""


class UnknownNudgeError(LedgerError):
    """No nudge with that id exists for that person."""


class LedgerImportError(LedgerError):
    """An import payload is not something ``export_user`` produced; nothing was written."""
