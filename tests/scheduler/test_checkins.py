"""Check-ins: validated answers, skippable items, two-week spacing, a trend, and no escalation."""

from __future__ import annotations

from datetime import timedelta

import pytest

from alignment import checkins
from tests.scheduler.conftest import T0


def test_ucla3_total_is_the_sum_of_the_three_items_and_direct_is_separate():
    scored = checkins.score({"lack_companionship": 3, "left_out": 2, "isolated": 1, "lonely": 4})
    by = {s.instrument: s for s in scored}
    assert by["ucla3"].score == 6.0
    assert by["ucla3"].answers == {"lack_companionship": 3.0, "left_out": 2.0, "isolated": 1.0}
    assert by["loneliness_direct"].score == 4.0


def test_extremes_of_the_scale_are_3_and_9():
    low = checkins.score({"lack_companionship": 1, "left_out": 1, "isolated": 1})
    high = checkins.score({"lack_companionship": 3, "left_out": 3, "isolated": 3})
    assert [s.score for s in low] == [3.0]
    assert [s.score for s in high] == [9.0]


def test_a_skipped_ucla_item_stores_no_partial_total():
    scored = checkins.score({"lack_companionship": 3, "left_out": None, "isolated": 3, "lonely": 2})
    assert [s.instrument for s in scored] == ["loneliness_direct"]


def test_everything_skipped_scores_nothing():
    assert checkins.score({q.key: None for q in checkins.QUESTIONS}) == []


@pytest.mark.parametrize(
    "answers",
    [{"left_out": 4}, {"left_out": 0}, {"lonely": 6}, {"left_out": "2"}, {"isolated": True}],
)
def test_out_of_range_or_non_integer_answers_are_refused(answers):
    with pytest.raises(checkins.CheckinError, match="must be one of"):
        checkins.score(answers)


def test_unknown_question_is_refused():
    with pytest.raises(checkins.CheckinError, match="unknown check-in question"):
        checkins.score({"happiness": 2})


def test_record_stores_in_the_ledger_and_refuses_a_second_within_two_weeks(ledger):
    answers = {"lack_companionship": 2, "left_out": 2, "isolated": 1, "lonely": 3}
    stored = checkins.record(ledger, "ana", answers, T0)
    assert sorted(r.instrument for r in stored) == ["loneliness_direct", "ucla3"]
    assert [c.score for c in ledger.checkins("ana", instrument="ucla3")] == [5.0]
    with pytest.raises(checkins.CheckinTooSoon) as err:
        checkins.record(ledger, "ana", answers, T0 + timedelta(days=13, hours=23))
    assert err.value.available_at == T0 + timedelta(days=14)
    again = checkins.record(ledger, "ana", answers, T0 + timedelta(days=14))
    assert len(again) == 2


def test_spacing_is_per_person(ledger):
    answers = {"lonely": 2}
    checkins.record(ledger, "ana", answers, T0)
    assert checkins.record(ledger, "ben", answers, T0 + timedelta(hours=1))


def test_trend_is_the_persons_series_oldest_first_with_the_scale_range(ledger):
    for weeks, total in ((4, 9), (0, 7), (2, 8)):
        at = T0 + timedelta(weeks=weeks)
        items = {"lack_companionship": 3, "left_out": 3, "isolated": total - 6}
        ledger.record_checkin("ana", "ucla3", items, total, at=at)
    ledger.record_checkin("ben", "ucla3", {}, 3, at=T0)
    series = checkins.trend(ledger, "ana")
    assert [(p.at, p.score) for p in series] == [
        (T0, 7.0),
        (T0 + timedelta(weeks=2), 8.0),
        (T0 + timedelta(weeks=4), 9.0),
    ]
    assert {(p.low, p.high) for p in series} == {(3.0, 9.0)}
    with pytest.raises(checkins.CheckinError):
        checkins.trend(ledger, "ana", "phq9")


def test_a_high_score_escalates_nothing(jobs, ledger):
    """Only crisis signals escalate: a worst-case score adds no nudge and no inbox message."""
    worst = {"lack_companionship": 3, "left_out": 3, "isolated": 3, "lonely": 5}
    checkins.record(ledger, "ana", worst, T0)
    assert ledger.nudges("ana") == []
    assert jobs.ctx.inbox.messages("ana") == []
    assert jobs.list_jobs("ana") == []
