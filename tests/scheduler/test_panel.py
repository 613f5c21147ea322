"""The UI's functions, and export / forget of jobs and inbox through the privacy layer."""

from __future__ import annotations

from datetime import timedelta

import pytest

from alignment import checkins
from companion.privacy import UserDataStore, export_user, forget_user
from companion.scheduler import UnknownJobError, panel
from companion.scheduler.errors import PreferenceError
from tests.scheduler.conftest import T0


def test_job_rows_and_cancel(jobs):
    jobs.opt_in("ana", "proactive", max_per_week=1, timezone="Europe/Lisbon", now=T0)
    rows = panel.job_rows(jobs, "ana")
    assert all(len(r) == len(panel.JOB_COLUMNS) for r in rows)
    by_id = {r[0]: r for r in rows}
    assert by_id["proactive:ana"][3] == "yes" and "at most 1 a week" in by_id["proactive:ana"][4]
    assert by_id["consolidate-nightly:ana"][3] == "no"
    assert "03:" in by_id["consolidate-nightly:ana"][2]  # local night time in Lisbon
    assert "Cancelled: Occasional note" in panel.cancel_job(jobs, "ana", "proactive:ana")
    with pytest.raises(UnknownJobError):
        panel.cancel_job(jobs, "ana", "proactive:ana")


def test_settings_round_trip(jobs):
    assert panel.care_settings(jobs, "ana")["proactive"] is False
    panel.update_care_settings(jobs, "ana", proactive=True, quiet_hours="23:00-07:30")
    got = panel.care_settings(jobs, "ana")
    assert got["proactive"] and got["quiet_hours"] == "23:00-07:30"
    assert "proactive:ana" in {r[0] for r in panel.job_rows(jobs, "ana")}
    with pytest.raises(PreferenceError):
        panel.update_care_settings(jobs, "ana", quiet_hours="soon")


def test_checkin_panel(ledger):
    qs = panel.checkin_questions()
    assert [q["key"] for q in qs] == ["lack_companionship", "left_out", "isolated", "lonely"]
    assert [c["value"] for c in qs[0]["choices"]] == [1, 2, 3]
    answers = {"lack_companionship": 1, "left_out": 2, "isolated": 2, "lonely": None}
    assert "Saved" in panel.submit_checkin(ledger, "ana", answers, T0)
    with pytest.raises(checkins.CheckinTooSoon):
        panel.submit_checkin(ledger, "ana", answers, T0 + timedelta(days=3))
    series = panel.checkin_series(ledger, "ana")
    assert [p["score"] for p in series["ucla3"]] == [5.0]
    assert series["loneliness_direct"] == []


def test_inbox_items_mark_read(jobs):
    jobs.ctx.inbox.post("ana", "reflection", "Your week: we talked twice.", "weekly", at=T0)
    [item] = panel.inbox_items(jobs, "ana")
    assert item["text"] == "Your week: we talked twice."
    assert panel.inbox_items(jobs, "ana") == []


def test_jobs_and_inbox_are_user_data_stores_for_export_and_forget(jobs):
    stores = [jobs, jobs.ctx.inbox]
    assert all(isinstance(s, UserDataStore) for s in stores)
    jobs.opt_in("ana", "reflection", now=T0)
    jobs.ensure_user("ben", T0)
    jobs.ctx.inbox.post("ana", "reflection", "Your week: we talked twice.", "weekly", at=T0)
    exported = export_user(stores, "ana")["stores"]
    assert {j["kind"] for j in exported["jobs"]["jobs"]} >= {"reflection"}
    assert exported["inbox"]["messages"][0]["text"] == "Your week: we talked twice."
    counts = forget_user(stores, "ana")
    assert counts["jobs"] > 0 and counts["inbox"] == 1
    after = export_user(stores, "ana")["stores"]
    assert after["jobs"]["jobs"] == [] and after["inbox"]["messages"] == []
    assert not after["jobs"]["enrolled"]
    assert jobs.list_jobs("ben")
