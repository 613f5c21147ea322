"""Behavioural signals from timestamps only, with a fake clock and explicit zones."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest

from alignment.behaviour import behaviour_signals, current_session, is_late_night, resolve_zone

NOW = datetime(2026, 3, 20, 12, 0, tzinfo=UTC)  # London is on GMT until 29 March
M = timedelta(minutes=1)


def visit(start: datetime, minutes: int, every: int = 5) -> list[datetime]:
    return [start + k * M for k in range(0, minutes + 1, every)]


def test_current_session_length_and_gap_before_it():
    times = visit(NOW - 4 * timedelta(hours=1), 20) + visit(NOW - 45 * M, 40)
    b = behaviour_signals(times, NOW, "UTC")
    assert b.in_session and b.session_minutes == pytest.approx(45)
    gap_hours = (NOW - 45 * M - (NOW - 4 * timedelta(hours=1) + 20 * M)).total_seconds() / 3600
    assert b.hours_since_previous_visit == pytest.approx(gap_hours)
    assert current_session(times, NOW).start == NOW - 45 * M


def test_no_session_after_thirty_quiet_minutes():
    times = visit(NOW - 2 * timedelta(hours=1), 30)
    b = behaviour_signals(times, NOW, "UTC")
    assert not b.in_session and b.session_minutes == 0
    assert b.hours_since_previous_visit == pytest.approx(1.5)
    assert current_session(times, NOW) is None


def test_turn_like_objects_work_as_well_as_datetimes():
    turns = [SimpleNamespace(at=t) for t in visit(NOW - 10 * M, 10)]
    assert behaviour_signals(turns, NOW, "UTC").session_minutes == pytest.approx(10)


def test_late_night_follows_the_persons_zone():
    # 23:30 in Tokyo is 14:30 UTC: late for the person, mid-afternoon for the server.
    now = datetime(2026, 3, 20, 14, 40, tzinfo=UTC)
    times = visit(now - 10 * M, 10)
    tokyo = behaviour_signals(times, now, "Asia/Tokyo")
    utc = behaviour_signals(times, now, "UTC")
    assert tokyo.late_night_now and tokyo.late_night_days_7 == 1
    assert tokyo.usual_time_of_day == "night"
    assert not utc.late_night_now and utc.late_night_days_7 == 0
    assert utc.usual_time_of_day == "afternoon"


def test_late_nights_are_counted_per_night_not_per_calendar_day():
    # 23:50 and 00:20 the same night (London = UTC in March) are one late night.
    night = datetime(2026, 3, 17, 23, 50, tzinfo=UTC)
    times = visit(night, 30, every=10) + visit(night + timedelta(days=1, hours=1), 10)
    b = behaviour_signals(times, NOW, "Europe/London")
    assert b.late_night_days_7 == 2
    # A message at 01:00 six days ago belongs to a night outside the week.
    edge = datetime(2026, 3, 14, 1, 0, tzinfo=UTC)
    assert behaviour_signals([edge], NOW, "Europe/London").late_night_days_7 == 0
    assert is_late_night(night, UTC) and not is_late_night(night - 2 * timedelta(hours=1), UTC)


@pytest.mark.parametrize("zone", ["Not/AZone", "../../etc/passwd", "", None, 42])
def test_missing_or_bad_zone_does_not_crash(zone, caplog):
    with caplog.at_level(logging.WARNING):
        b = behaviour_signals(visit(NOW - 10 * M, 10), NOW, zone)  # type: ignore[arg-type]
    assert b.in_session
    if zone in ("", None):
        assert b.zone_source == "system"
    else:
        assert b.zone_source == "utc_fallback" and b.timezone == "UTC"
        assert "unknown time zone" in caplog.text


def test_resolve_zone_accepts_real_zones():
    zone, name, source = resolve_zone("America/New_York")
    assert name == "America/New_York" and source == "given"
    assert datetime(2026, 7, 1, tzinfo=UTC).astimezone(zone).utcoffset() == -4 * timedelta(hours=1)


def daily(minutes_for_day, days: int = 30) -> list[datetime]:
    """One session a day at 10:00 UTC, ``minutes_for_day(days_ago)`` long."""
    times = []
    for ago in range(days):
        length = minutes_for_day(ago)
        if length:
            times += visit(NOW.replace(hour=10) - ago * timedelta(days=1), length, every=1)
    return times


def test_daily_minutes_and_rising_trend():
    b = behaviour_signals(daily(lambda ago: 60 if ago < 7 else 10), NOW, "UTC")
    # Each session is its span plus one minute: 61 and 11 minutes.
    assert b.minutes_today == pytest.approx(61)
    assert b.minutes_per_day_7 == pytest.approx(61)
    assert b.minutes_per_day_30 == pytest.approx((7 * 61 + 23 * 11) / 30)
    assert b.usage_ratio == pytest.approx(61 / 11)
    assert b.trend == "rising" and b.trend_30 > 0
    assert b.days_active_7 == 7 and b.days_active_30 == 30 and b.visits_7 == 7


def test_falling_trend():
    b = behaviour_signals(daily(lambda ago: 5 if ago < 7 else 45), NOW, "UTC")
    assert b.trend == "falling" and b.trend_30 < 0 and b.usage_ratio < 0.5


def test_steady_use_is_steady_and_flat():
    b = behaviour_signals(daily(lambda ago: 20), NOW, "UTC")
    assert b.trend == "steady" and b.trend_7 == 0 and b.trend_30 == 0


def test_seven_day_slope_sees_a_ramp():
    b = behaviour_signals(daily(lambda ago: 10 * (7 - ago) if ago < 7 else 0, 7), NOW, "UTC")
    assert b.trend_7 == pytest.approx(10)  # ten more minutes each day


def test_a_new_person_has_a_new_trend_not_a_rising_one():
    b = behaviour_signals(daily(lambda ago: 30, days=5), NOW, "UTC")
    assert b.trend == "new"
    old = behaviour_signals(
        daily(lambda ago: 30, days=5), NOW, "UTC", first_seen=NOW - 60 * 24 * 60 * M
    )
    assert old.trend == "rising"


def test_nothing_at_all():
    b = behaviour_signals([], NOW, "UTC")
    assert b.trend == "none" and not b.in_session and b.minutes_per_day_30 == 0
    assert b.hours_since_previous_visit is None and b.usual_time_of_day is None


def test_future_times_are_ignored():
    b = behaviour_signals([NOW + timedelta(hours=2)], NOW, "UTC")
    assert b.trend == "none" and not b.in_session


def test_median_gap_between_visits():
    times = daily(lambda ago: 10, days=4)
    b = behaviour_signals(times, NOW, "UTC")
    assert b.median_gap_hours_30 == pytest.approx(24 - 10 / 60)
