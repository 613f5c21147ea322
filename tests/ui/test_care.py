"""The Care tab's actions against a real companion deployment (no browser)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import gradio as gr
import pytest

from companion.config import load_settings
from companion.profiles import ProfileStore
from companion.service import Companion
from ui.care import TREND_COLUMNS, CareHandlers
from ui.pool import CompanionPool

ALL_ANSWERS = {"lack_companionship": 2, "left_out": 1, "isolated": 3, "lonely": 4}


@pytest.fixture(scope="module")
def care(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CareHandlers]:
    data = tmp_path_factory.mktemp("care-data")
    companion = Companion(load_settings(data_dir=data, model="fake/echo"))
    yield CareHandlers(CompanionPool(companion, ProfileStore(data)))
    companion.close()


@pytest.fixture
def someone() -> str:
    return f"p{uuid.uuid4().hex[:10]}"


def opt_in_reflection(care: CareHandlers, user: str) -> str:
    return care.save_choices(user, True, False, False, 2, "22:00-08:00")


def reflection_ids(care: CareHandlers, user: str) -> list[str]:
    rows, _, _ = care.job_table(user)
    return [r[0] for r in rows if "reflection" in r[1].lower()]


def test_opting_in_to_reflection_schedules_a_job_with_a_reason(care, someone):
    assert reflection_ids(care, someone) == []
    assert opt_in_reflection(care, someone).startswith("Saved")
    rows, choices, status = care.job_table(someone)
    found = [r for r in rows if "reflection" in r[1].lower()]
    assert len(found) == 1 and found[0][4], "the job must say why it runs"
    assert found[0][3] == "yes"
    assert (f"{found[0][1]} ({found[0][0]})", found[0][0]) in choices
    assert status == ""
    assert care.choices(someone)["reflection"] is True


def test_cancelling_the_job_removes_it_and_switches_it_off(care, someone):
    opt_in_reflection(care, someone)
    (job_id,) = reflection_ids(care, someone)
    status = care.cancel(someone, job_id)
    assert status.startswith("Cancelled")
    assert reflection_ids(care, someone) == []
    assert care.choices(someone)["reflection"] is False


def test_cancel_without_a_pick_or_with_an_unknown_id_is_a_sentence(care, someone):
    assert care.cancel(someone, None) == "Pick a job to cancel first."
    message = care.cancel(someone, "no-such-job")
    assert "no-such-job" in message and "Traceback" not in message


def test_bad_quiet_hours_give_a_message_and_keep_the_old_choices(care, someone):
    opt_in_reflection(care, someone)
    message = care.save_choices(someone, True, True, True, 3, "late evening")
    assert not message.startswith("Saved")
    kept = care.choices(someone)
    assert kept["checkins"] is False and kept["quiet_hours"] == "22:00-08:00"


def test_a_checkin_is_stored_shown_in_the_trend_and_a_second_is_too_soon(care, someone):
    assert care.trend(someone).empty
    assert care.submit_checkin(someone, ALL_ANSWERS).startswith("Thank you")
    trend = care.trend(someone)
    assert list(trend.columns) == TREND_COLUMNS
    assert sorted(trend["score"]) == ["4", "6"]  # direct item 4; three UCLA items 2+1+3
    again = care.submit_checkin(someone, ALL_ANSWERS)
    assert "too soon" in again and "two weeks" in again
    assert len(care.trend(someone)) == 2, "the refused check-in must not be stored"


def test_a_fully_skipped_checkin_stores_nothing(care, someone):
    empty = dict.fromkeys(ALL_ANSWERS)
    assert care.submit_checkin(someone, empty).startswith("Nothing saved")
    assert care.trend(someone).empty


def test_inbox_shows_waiting_messages_once(care, someone):
    assert care.inbox(someone) == "Nothing new for you right now."
    care.jobs.ctx.inbox.post(someone, "notice", "Your weekly <b>summary</b>", "you asked")
    shown = care.inbox(someone)
    assert "Your weekly &lt;b&gt;summary&lt;/b&gt;" in shown and "you asked" in shown
    assert care.inbox(someone) == "Nothing new for you right now."


def test_one_person_cannot_see_or_cancel_anothers_jobs_or_inbox(care, someone):
    other = f"p{uuid.uuid4().hex[:10]}"
    opt_in_reflection(care, someone)
    (job_id,) = reflection_ids(care, someone)
    care.jobs.ctx.inbox.post(someone, "notice", "Only for the first person", "test")

    rows, choices, _ = care.job_table(other)
    assert job_id not in [r[0] for r in rows] and job_id not in [c[1] for c in choices]
    assert not care.cancel(other, job_id).startswith("Cancelled")
    assert "Only for the first person" not in care.inbox(other)

    assert reflection_ids(care, someone) == [job_id], "the owner's job must survive"
    assert "Only for the first person" in care.inbox(someone)


def test_the_app_still_builds_with_the_care_tab(tmp_path):
    from ui.app import build_app

    app = build_app(load_settings(data_dir=tmp_path, model="fake/echo"))
    try:
        assert isinstance(app.care_handlers, CareHandlers)
        labels = [b.label for b in app.blocks.values() if isinstance(b, gr.Tab)]
        assert "Care" in labels and "Memories" in labels
    finally:
        app.companion_pool.base.close()
        app.close()
