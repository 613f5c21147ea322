"""The decision to leave an occasional note: opt-in, quiet hours, weekly cap, silence."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from companion.scheduler import CarePreferences, History, decide, in_quiet_hours
from companion.scheduler.errors import PreferenceError
from companion.scheduler.prefs import parse_quiet
from companion.scheduler.proactive import Mention, compose

ON = CarePreferences(proactive=True, max_per_week=2)
NOON = datetime(2031, 3, 5, 12, 0, tzinfo=UTC)  # a Wednesday


def test_off_by_default():
    d = decide(CarePreferences(), History(), NOON, UTC)
    assert not d.send and "off" in d.why


def test_sends_when_on_and_nothing_stands_in_the_way():
    d = decide(ON, History(), NOON, UTC)
    assert d.send and "at most 2 a week" in d.why


@pytest.mark.parametrize(
    ("local", "quiet"),
    [
        (time(23, 30), True),
        (time(2, 0), True),
        (time(7, 59), True),
        (time(8, 0), False),
        (time(21, 59), False),
        (time(22, 0), True),
    ],
)
def test_quiet_hours_across_midnight(local, quiet):
    assert in_quiet_hours(local, time(22, 0), time(8, 0)) is quiet


def test_quiet_hours_within_one_day():
    assert in_quiet_hours(time(13, 0), time(12, 0), time(14, 0))
    assert not in_quiet_hours(time(14, 0), time(12, 0), time(14, 0))


def test_quiet_hours_are_read_in_the_persons_zone():
    # 06:00 UTC is 07:00 in Berlin (quiet) but 22:00 the evening before in Los Angeles (quiet),
    # and 15:00 in Tokyo (not quiet).
    at = datetime(2031, 3, 5, 6, 0, tzinfo=UTC)
    assert not decide(ON, History(), at, ZoneInfo("Europe/Berlin")).send
    assert not decide(ON, History(), at, ZoneInfo("America/Los_Angeles")).send
    assert decide(ON, History(), at, ZoneInfo("Asia/Tokyo")).send
    assert "quiet hours (22:00-08:00)" in decide(ON, History(), at, ZoneInfo("Europe/Berlin")).why


def test_weekly_cap_counts_the_last_seven_days():
    prefs = ON.model_copy(update={"max_per_week": 2})
    two_this_week = [NOON - timedelta(days=6), NOON - timedelta(days=4)]
    d = decide(prefs, History(sent=two_this_week), NOON, UTC)
    assert not d.send and "at most 2 a week" in d.why
    one_fell_out = [NOON - timedelta(days=7, minutes=1), NOON - timedelta(days=4)]
    assert decide(prefs, History(sent=one_fell_out), NOON, UTC).send


def test_cap_of_one_allows_exactly_one_per_rolling_week():
    prefs = ON.model_copy(update={"max_per_week": 1})
    sent = [NOON - timedelta(days=6, hours=23)]
    assert not decide(prefs, History(sent=sent), NOON, UTC).send
    assert decide(prefs, History(sent=sent), NOON + timedelta(hours=2), UTC).send


def test_notes_are_spread_over_the_week():
    prefs = ON.model_copy(update={"max_per_week": 3})
    d = decide(prefs, History(sent=[NOON - timedelta(days=1)]), NOON, UTC)
    assert not d.send and "spread" in d.why
    assert decide(prefs, History(sent=[NOON - timedelta(days=2, hours=8)]), NOON, UTC).send


def test_stays_silent_when_a_note_is_unread_or_we_talked_recently():
    assert not decide(ON, History(unread_waiting=1), NOON, UTC).send
    d = decide(ON, History(last_active=NOON - timedelta(hours=30)), NOON, UTC)
    assert not d.send and "talked recently" in d.why
    assert decide(ON, History(last_active=NOON - timedelta(days=3)), NOON, UTC).send


def test_parse_quiet_hours():
    assert parse_quiet("22:00-08:00") == (time(22, 0), time(8, 0))
    assert parse_quiet(" 23:30 - 6:45 ".replace("6:45", "06:45")) == (time(23, 30), time(6, 45))
    for bad in ("22-8", "late", "22:00-22:00", "25:00-08:00"):
        with pytest.raises(PreferenceError):
            parse_quiet(bad)


def test_note_names_someone_from_this_week_but_not_a_strained_relationship():
    sam = Mention(name="Sam", last_mentioned=NOON - timedelta(days=2))
    old = Mention(name="Kim", last_mentioned=NOON - timedelta(days=20))
    tense = Mention(name="Lou", last_mentioned=NOON - timedelta(hours=3), strained=True)
    text = compose("ana", [sam, old, tense], NOON)
    assert "Sam" in text and "Kim" not in text and "Lou" not in text
    assert "No need to reply." in text
    general = compose("ana", [old, tense], NOON)
    assert not any(n in general for n in ("Sam", "Kim", "Lou"))
    assert "No need to reply." in general


@pytest.mark.parametrize("day", range(14))
def test_every_template_passes_the_real_guard(real_guard, day):
    now = NOON + timedelta(days=day)
    sam = Mention(name="Sam", last_mentioned=now - timedelta(days=1))
    for text in (compose(f"user{day}", [sam], now), compose(f"user{day}", [], now)):
        assert real_guard.check(text).violations == [], text


def test_the_real_guard_flags_what_companion_apps_say(real_guard):
    assert real_guard.check("I miss you, come back and talk to me!").violations
