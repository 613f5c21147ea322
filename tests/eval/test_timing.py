"""Scenario time specs."""

from __future__ import annotations

from datetime import timedelta

import pytest

from companion.eval.timing import EPOCH, TimeSpecError, turn_times


def test_day_and_offsets():
    times = turn_times("day 1 23:50", [None, "+15m", None, "day 3 02:10", "+2h"])
    assert times[0] == EPOCH + timedelta(hours=23, minutes=50)
    assert times[1] - times[0] == timedelta(minutes=15)
    assert times[2] - times[1] == timedelta(minutes=1)
    assert times[3] == EPOCH + timedelta(days=2, hours=2, minutes=10)
    assert times[4] - times[3] == timedelta(hours=2)


@pytest.mark.parametrize("spec", ["tomorrow", "day 0 10:00", "day 2 25:00", "+5 weeks"])
def test_bad_specs_are_errors(spec):
    with pytest.raises(TimeSpecError):
        turn_times("day 1 10:00", [spec])


def test_time_cannot_go_backwards():
    with pytest.raises(TimeSpecError, match="earlier"):
        turn_times("day 2 10:00", [None, "day 1 10:00"])
