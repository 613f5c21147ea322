"""Every message the companion leaves on its own passes the output guard first.

If the guard flags a note, the offending sentences are dropped; if what is left is not a
real part of the original note (the guard fell back to a stock reply) or still fails, the
companion stays silent instead. An unprompted message never needs to go out.
"""

from __future__ import annotations

import re
from typing import Any, Protocol


class TextGuard(Protocol):
    """The part of ``alignment.guard.Guard`` used here."""

    def check(self, reply: str, context: str | None = None) -> Any: ...

    def repair(self, reply: str, result: Any = None, context: str | None = None) -> str: ...


_SENTENCE = re.compile(r"[^.!?]+[.!?]*")


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE.findall(text) if s.strip()]


def vet(guard: TextGuard, text: str) -> tuple[str | None, list[str]]:
    """(text to send or None to stay silent, violations found in the first draft)."""
    result = guard.check(text)
    violations = list(result.violations)
    if not violations:
        return text, []
    repaired = (guard.repair(text, result) or "").strip()
    original = set(_sentences(text))
    if not repaired or not set(_sentences(repaired)) <= original:
        return None, violations
    if guard.check(repaired).violations:
        return None, violations
    return repaired, violations
