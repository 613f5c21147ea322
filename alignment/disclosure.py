"""AI disclosure: the person is told plainly, and regularly, that they are talking to an AI.

Due at the start of every session and again after every three hours of continuous use. For
minors a break reminder goes with it on the same cadence. No setting switches this off.
It is a pure function of times, so the caller decides where the text is shown.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Literal

from pydantic import BaseModel, ConfigDict

from alignment.ledger import Ledger
from alignment.ledger.models import as_utc

DISCLOSURE_INTERVAL = timedelta(hours=3)

AI_NOTICE = "Just so you know: I'm an AI, not a human. I'm a computer program, not a person."
BREAK_AT_START = "Remember to take breaks, and to spend time with the people around you too."
BREAK_AFTER_USE = (
    "We've been talking for a long while now. This is a good moment for a break: "
    "stretch, get a drink, maybe check in with someone you know."
)

Reason = Literal["session_start", "continuous_use"]


class DisclosureError(ValueError):
    """The times given to ``disclosure_due`` make no sense together."""


class Disclosure(BaseModel):
    """A notice that is due now: why, whether it carries a break reminder, and its text."""

    model_config = ConfigDict(frozen=True)

    reason: Reason
    break_reminder: bool
    text: str


def disclosure_due(
    session_start: datetime,
    last_disclosed_at: datetime | None,
    now: datetime,
    minor: bool = False,
    interval: timedelta = DISCLOSURE_INTERVAL,
) -> Disclosure | None:
    """The disclosure due at ``now``, or None when the last one still covers this session.

    ``last_disclosed_at`` is when the person was last told (None: never). A disclosure made
    before this session began does not count for it.
    """
    try:
        start = as_utc(session_start, "session_start")
        now = as_utc(now, "now")
        last = None if last_disclosed_at is None else as_utc(last_disclosed_at, "last_disclosed_at")
    except (TypeError, ValueError) as exc:
        raise DisclosureError(str(exc)) from exc
    if now < start:
        raise DisclosureError("now is before the session started")
    if interval <= timedelta(0):
        raise DisclosureError("the disclosure interval must be positive")

    if last is None or last < start:
        reason: Reason = "session_start"
    elif now - last >= interval:
        reason = "continuous_use"
    else:
        return None
    parts = [AI_NOTICE]
    if minor:
        parts.append(BREAK_AT_START if reason == "session_start" else BREAK_AFTER_USE)
    return Disclosure(reason=reason, break_reminder=minor, text=" ".join(parts))


def disclosure_for_user(
    ledger: Ledger, user_id: str, now: datetime, minor: bool = False
) -> Disclosure | None:
    """``disclosure_due`` for a person, from the ledger's session and last disclosure.

    Works before or after the current turn is recorded. Call ``ledger.record_disclosure``
    once the text has actually been shown.
    """
    session = ledger.current_session(user_id, now)
    start = session.start if session is not None else now
    return disclosure_due(start, ledger.last_disclosure(user_id), now, minor)
