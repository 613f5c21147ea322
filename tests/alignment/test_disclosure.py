"""AI disclosure cadence with a fake clock: session start, every 3 hours, minors' breaks."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from alignment.disclosure import DisclosureError, disclosure_due, disclosure_for_user
from alignment.ledger import Ledger

START = datetime(2026, 3, 2, 20, 0, tzinfo=UTC)
H = timedelta(hours=1)


def test_due_at_the_start_of_a_first_session():
    d = disclosure_due(START, None, START)
    assert d is not None and d.reason == "session_start"
    assert "AI" in d.text and "not a human" in d.text
    assert not d.break_reminder and "break" not in d.text.lower()


def test_a_disclosure_from_an_earlier_session_does_not_count():
    yesterday = START - 24 * H
    d = disclosure_due(START, yesterday, START + timedelta(minutes=1))
    assert d is not None and d.reason == "session_start"


def test_every_three_hours_of_continuous_use():
    """Simulate a fake clock ticking every 5 minutes through a 7-hour session."""
    last = None
    shown = []
    now = START
    while now <= START + 7 * H:
        d = disclosure_due(START, last, now)
        if d is not None:
            shown.append((now - START, d.reason))
            last = now
        now += timedelta(minutes=5)
    assert shown == [
        (timedelta(0), "session_start"),
        (3 * H, "continuous_use"),
        (6 * H, "continuous_use"),
    ]


def test_not_due_just_before_three_hours():
    assert disclosure_due(START, START, START + 3 * H - timedelta(seconds=1)) is None
    assert disclosure_due(START, START, START + 3 * H) is not None


def test_minors_get_a_break_reminder_on_the_same_cadence():
    first = disclosure_due(START, None, START, minor=True)
    later = disclosure_due(START, START, START + 3 * H, minor=True)
    assert first is not None and later is not None
    for d in (first, later):
        assert d.break_reminder and "AI" in d.text and "break" in d.text.lower()
    assert "long while" in later.text  # the 3-hour reminder says why it comes now
    assert disclosure_due(START, START, START + 2 * H, minor=True) is None


def test_times_in_other_zones_are_compared_as_instants():
    from zoneinfo import ZoneInfo

    berlin = START.astimezone(ZoneInfo("Europe/Berlin"))
    assert disclosure_due(berlin, START, START + 2 * H) is None


@pytest.mark.parametrize(
    ("start", "last", "now"),
    [
        (START.replace(tzinfo=None), None, START),
        (START, None, START - H),
        (START, START.replace(tzinfo=None), START),
    ],
)
def test_bad_times_give_a_readable_error(start, last, now):
    with pytest.raises(DisclosureError):
        disclosure_due(start, last, now)


def test_disclosure_for_a_person_from_the_ledger():
    """A day of use with a fake clock: the ledger supplies session starts and last notices."""
    shown = []
    with Ledger("sqlite://") as ledger:
        # 20:00-21:00 chatting, a break, then 22:00 to 02:00 without a gap over 30 minutes.
        minutes = [*range(0, 61, 10), *range(120, 361, 10)]
        for k, m in enumerate(minutes):
            now = START + timedelta(minutes=m)
            d = disclosure_for_user(ledger, "ana", now, minor=False)
            if d is not None:
                shown.append((m, d.reason))
                ledger.record_disclosure("ana", at=now)
            ledger.record_turn("ana", "main", f"t{k}", now, {}, [], {})
        assert disclosure_for_user(ledger, "bob", START) is not None  # nobody else's notice
    assert shown == [(0, "session_start"), (120, "session_start"), (300, "continuous_use")]
