"""Relationship ledger: per-person sessions, turn signals, people, nudges, check-ins, choices.

It keeps numbers and labels, never message text, and implements the ``UserDataStore``
protocol (``export_user``, ``forget_user``, ``import_user``) structurally.
"""

from alignment.ledger.engine import default_url
from alignment.ledger.errors import LedgerError, LedgerImportError, UnknownNudgeError
from alignment.ledger.models import (
    ALWAYS_ON,
    CheckinRecord,
    CrisisReferralCount,
    FiredSignals,
    LedgerStats,
    ModulePreferences,
    NudgeFrequency,
    NudgeRecord,
    NudgeResponse,
    PersonRecord,
    SessionRecord,
    Tone,
    TurnRecord,
    UserExport,
)
from alignment.ledger.sessions import SESSION_GAP, sessions_from_times
from alignment.ledger.store import Ledger

__all__ = [
    "ALWAYS_ON",
    "SESSION_GAP",
    "CheckinRecord",
    "CrisisReferralCount",
    "FiredSignals",
    "Ledger",
    "LedgerStats",
    "LedgerError",
    "LedgerImportError",
    "ModulePreferences",
    "NudgeFrequency",
    "NudgeRecord",
    "NudgeResponse",
    "PersonRecord",
    "SessionRecord",
    "Tone",
    "TurnRecord",
    "UnknownNudgeError",
    "UserExport",
    "default_url",
    "sessions_from_times",
]
