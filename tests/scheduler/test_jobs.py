"""The job service with a fake clock: due times, restarts, deleted people, failing jobs."""

from __future__ import annotations

import logging
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest

from companion.scheduler import UnknownJobError
from companion.scheduler.errors import PreferenceError
from companion.scheduler.runtime import MAX_ATTEMPTS, backoff
from tests.scheduler.conftest import T0, make_jobs


def ids(jobs, user="ana"):
    return sorted(j.id for j in jobs.list_jobs(user))


def test_nothing_is_scheduled_before_a_person_is_seen(jobs):
    assert jobs.list_jobs("ana") == []
    assert jobs.run_due(T0 + timedelta(days=30)) == []


def test_a_turn_enrols_the_person_with_upkeep_only(jobs):
    jobs.note_activity("ana", T0)
    assert ids(jobs) == [
        "consolidate-nightly:ana",
        "consolidate-quiet:ana",
        "relationship-state:ana",
    ]
    prefs = jobs.prefs("ana")
    assert not (prefs.reflection or prefs.checkins or prefs.proactive)
    assert all(not j.sends_you_something for j in jobs.list_jobs("ana"))
    assert all(j.why for j in jobs.list_jobs("ana"))


def test_quiet_consolidation_waits_for_the_conversation_to_go_quiet(jobs, memory, clock):
    jobs.note_activity("ana", T0)
    jobs.note_activity("ana", T0 + timedelta(minutes=20))  # still talking: pushed back
    [quiet] = [j for j in jobs.list_jobs("ana") if j.kind == "consolidate-quiet"]
    assert quiet.next_run == T0 + timedelta(minutes=55)
    assert jobs.run_due(T0 + timedelta(minutes=50)) == []
    [run] = jobs.run_due(T0 + timedelta(minutes=56))
    assert run.job_id == "consolidate-quiet:ana" and "episodes=1" in run.outcome
    assert memory.calls == [("ana", T0 + timedelta(minutes=56))]
    assert "consolidate-quiet:ana" not in ids(jobs)  # one-shot: gone after running


def test_nightly_jobs_run_at_night_in_the_persons_zone(jobs):
    jobs.opt_in("ana", "reflection", timezone="Asia/Tokyo", now=T0)
    by_kind = {j.kind: j for j in jobs.list_jobs("ana")}
    tokyo = ZoneInfo("Asia/Tokyo")
    nightly = by_kind["consolidate-nightly"].next_run.astimezone(tokyo)
    assert nightly.hour == 3 and nightly > T0
    assert nightly - T0.astimezone(tokyo) <= timedelta(days=1)
    weekly = by_kind["reflection"].next_run.astimezone(tokyo)
    assert (weekly.weekday(), weekly.hour, weekly.minute) == (6, 18, 0)


def test_each_due_time_runs_once_and_the_schedule_moves_on(jobs, memory):
    jobs.ensure_user("ana", T0)
    [nightly] = [j for j in jobs.list_jobs("ana") if j.kind == "consolidate-nightly"]
    first = nightly.next_run
    runs = jobs.run_due(first)
    assert [r.job_id for r in runs] == ["consolidate-nightly:ana"]
    assert jobs.run_due(first) == []  # same moment again: nothing due
    [moved] = [j for j in jobs.list_jobs("ana") if j.kind == "consolidate-nightly"]
    assert moved.next_run == first + timedelta(days=1)
    assert len(memory.calls) == 1


def test_missed_runs_coalesce_into_one(jobs, memory):
    jobs.ensure_user("ana", T0)
    [nightly] = [j for j in jobs.list_jobs("ana") if j.kind == "consolidate-nightly"]
    # Down for three nights, back up one hour after the third night's due time.
    late = nightly.next_run + timedelta(days=2, hours=1)
    runs = [r for r in jobs.run_due(late) if r.job_id == "consolidate-nightly:ana"]
    assert len(runs) == 1 and runs[0].due == nightly.next_run + timedelta(days=2)
    assert len(memory.calls) == 1


def test_a_run_past_its_grace_time_is_skipped_not_run_late(jobs, memory):
    jobs.ensure_user("ana", T0)
    [nightly] = [j for j in jobs.list_jobs("ana") if j.kind == "consolidate-nightly"]
    [run] = [
        r
        for r in jobs.run_due(nightly.next_run + timedelta(hours=7))
        if r.job_id == "consolidate-nightly:ana"
    ]
    assert run.outcome.startswith("missed")
    assert memory.calls == []


def test_jobs_survive_a_restart(jobs_db, ledger, memory, guard, clock):
    first = make_jobs(jobs_db, ledger, memory, guard, clock)
    first.opt_in("ana", "proactive", max_per_week=3, now=T0)
    before = {j.id: j.next_run for j in first.list_jobs("ana")}
    first.shutdown()
    second = make_jobs(jobs_db, ledger, memory, guard, clock)
    try:
        assert {j.id: j.next_run for j in second.list_jobs("ana")} == before
        assert second.prefs("ana").max_per_week == 3
    finally:
        second.shutdown()


def test_restart_in_the_middle_of_a_schedule_does_not_rerun_a_finished_due_time(
    jobs_db, ledger, memory, guard, clock
):
    """The job ran and was recorded, but the process died before the store moved it on."""
    first = make_jobs(jobs_db, ledger, memory, guard, clock)
    first.ensure_user("ana", T0)
    [nightly] = [j for j in first.list_jobs("ana") if j.kind == "consolidate-nightly"]
    due = nightly.next_run
    outcome = first.execute(
        "consolidate-nightly:ana", "consolidate-nightly", "ana", due=due.isoformat(), now=due
    )
    assert "episodes=1" in outcome
    first.shutdown()  # "crash": the job store still says the job is due at `due`

    second = make_jobs(jobs_db, ledger, memory, guard, clock)
    try:
        runs = {r.job_id: r for r in second.run_due(due + timedelta(minutes=5))}
        assert runs["consolidate-nightly:ana"].outcome == "skipped: already done for this due time"
        assert len(memory.calls) == 1
        # ...and the schedule carries on with the next night.
        runs = {r.job_id: r for r in second.run_due(due + timedelta(days=1))}
        assert "episodes=1" in runs["consolidate-nightly:ana"].outcome
        assert len(memory.calls) == 2
    finally:
        second.shutdown()


def test_a_claim_held_by_another_worker_is_respected(jobs):
    jobs.ensure_user("ana", T0)
    care = jobs.ctx.care
    assert care.claim("consolidate-nightly:ana", T0, "consolidate-nightly", "ana", T0)
    assert not care.claim("consolidate-nightly:ana", T0, "consolidate-nightly", "ana", T0)
    # A claim whose worker died long ago can be taken over.
    assert care.claim(
        "consolidate-nightly:ana", T0, "consolidate-nightly", "ana", T0 + timedelta(hours=2)
    )


def test_a_failing_job_is_logged_retried_with_backoff_and_then_succeeds(jobs, memory, caplog):
    jobs.note_activity("ana", T0)
    memory.fail_times = 2
    due = T0 + timedelta(minutes=35)
    with caplog.at_level(logging.INFO):
        [run] = jobs.run_due(due)
    assert run.outcome.startswith("failed: RuntimeError; retry at")
    assert "chroma is down" not in caplog.text  # the exception message is never logged
    assert "RuntimeError" in caplog.text
    [retry] = [j for j in jobs.list_jobs("ana") if ":retry-" in j.id]
    assert retry.next_run == due + backoff(0)
    assert "retry" in retry.why.lower()

    [run] = jobs.run_due(due + backoff(0))
    assert run.outcome.startswith("failed")
    [retry] = [j for j in jobs.list_jobs("ana") if ":retry-" in j.id]
    second_retry_at = due + backoff(0) + backoff(1)
    assert retry.next_run == second_retry_at and backoff(1) > backoff(0)

    [run] = jobs.run_due(second_retry_at)
    assert "episodes=1" in run.outcome
    assert not [j for j in jobs.list_jobs("ana") if ":retry-" in j.id]
    [record] = jobs.ctx.care.runs("ana", job_id="consolidate-quiet:ana")
    assert (record.status, record.attempts, record.due) == ("done", 3, due)


def test_a_job_that_always_fails_gives_up_and_others_still_run(jobs, memory):
    jobs.note_activity("ana", T0)
    jobs.note_activity("ben", T0)
    memory.fail_times = 10**6
    at = T0 + timedelta(minutes=35)
    outcomes = []
    for _ in range(MAX_ATTEMPTS):
        runs = jobs.run_due(at)
        outcomes += [r.outcome for r in runs if r.job_id.startswith("consolidate-quiet:ana")]
        at += backoff(MAX_ATTEMPTS)
    assert outcomes[-1].endswith("gave up after retries")
    assert len(outcomes) == MAX_ATTEMPTS
    assert not [j for j in jobs.list_jobs("ana") if ":retry-" in j.id]
    memory.fail_times = 0
    # The service is fine: the next job runs normally.
    jobs.note_activity("ana", at)
    runs = jobs.run_due(at + timedelta(minutes=40))
    [run] = [r for r in runs if r.job_id == "consolidate-quiet:ana"]
    assert "episodes=1" in run.outcome


def test_backoff_grows_and_is_capped():
    waits = [backoff(n) for n in range(8)]
    assert waits == sorted(waits)
    assert waits[0] == timedelta(minutes=1) and waits[-1] == timedelta(hours=6)


def test_cancel_switches_the_feature_off_so_it_does_not_come_back(jobs):
    jobs.note_activity("ana", T0)
    jobs.opt_in("ana", "reflection", now=T0)
    gone = jobs.cancel("ana", "consolidate-nightly:ana", now=T0)
    assert {j.kind for j in gone} == {"consolidate-nightly", "consolidate-quiet"}
    assert ids(jobs) == ["reflection:ana", "relationship-state:ana"]
    jobs.note_activity("ana", T0 + timedelta(hours=1))
    jobs.sync_user("ana", T0 + timedelta(hours=1))
    assert ids(jobs) == ["reflection:ana", "relationship-state:ana"]
    jobs.cancel("ana", "reflection", now=T0)
    assert not jobs.prefs("ana").reflection


def test_cancel_of_someone_elses_job_is_refused(jobs):
    jobs.ensure_user("ana", T0)
    jobs.ensure_user("ben", T0)
    with pytest.raises(UnknownJobError, match="no job"):
        jobs.cancel("ben", "consolidate-nightly:ana")
    assert "consolidate-nightly:ana" in ids(jobs, "ana")
    assert all(j.id.endswith(":ben") for j in jobs.list_jobs("ben"))


def test_bad_choices_get_readable_errors_and_change_nothing(jobs):
    jobs.ensure_user("ana", T0)
    with pytest.raises(PreferenceError, match="max_per_week"):
        jobs.opt_in("ana", "proactive", max_per_week=50)
    with pytest.raises(PreferenceError, match="time zone"):
        jobs.opt_in("ana", "proactive", timezone="Mars/Olympus")
    with pytest.raises(PreferenceError, match="unknown feature"):
        jobs.opt_in("ana", "spam")
    assert not jobs.prefs("ana").proactive


def test_forget_removes_the_persons_jobs_runs_and_choices_only(jobs, memory):
    jobs.note_activity("ana", T0)
    jobs.note_activity("ben", T0)
    jobs.opt_in("ana", "proactive", now=T0)
    jobs.run_due(T0 + timedelta(minutes=40))
    exported = jobs.export_user("ana")
    assert exported["enrolled"] and exported["preferences"]["proactive"]
    assert {j["kind"] for j in exported["jobs"]} >= {"proactive", "consolidate-nightly"}
    assert exported["runs"]
    assert jobs.forget_user("ana") > 0
    assert jobs.list_jobs("ana") == [] and jobs.ctx.care.runs("ana") == []
    assert not jobs.ctx.care.enrolled("ana")
    assert jobs.list_jobs("ben")
    assert jobs.export_user("ana")["jobs"] == []


def test_a_job_of_a_deleted_person_does_nothing_and_removes_itself(jobs, memory):
    jobs.note_activity("ana", T0)
    jobs.ctx.care.delete_rows("ana")  # e.g. forgotten by another process
    [run] = jobs.run_due(T0 + timedelta(minutes=40))
    assert run.outcome == "skipped: this person's data was deleted"
    assert memory.calls == []
    assert jobs.list_jobs("ana") == []


def test_import_restores_choices_and_jobs(jobs):
    jobs.opt_in("ana", "checkins", now=T0)
    data = jobs.export_user("ana")
    jobs.forget_user("ana")
    assert jobs.import_user("cy", data) > 0
    assert jobs.prefs("cy").checkins
    assert "checkin-invite:cy" in ids(jobs, "cy")


def test_relationship_state_job_keeps_a_snapshot_without_memory_text(jobs, ledger):
    jobs.ensure_user("ana", T0)
    ledger.record_turn("ana", "main", "t1", T0, {"loneliness": 0.9}, ["loneliness"], {})
    assert jobs.latest_state("ana") is None
    [due] = [j.next_run for j in jobs.list_jobs("ana") if j.kind == "relationship-state"]
    [run] = [r for r in jobs.run_due(due) if r.job_id == "relationship-state:ana"]
    assert run.outcome == "recomputed: 1 turns, 1 sessions"
    state = jobs.latest_state("ana")
    assert state["total_turns"] == 1 and "memories" not in state
    assert [n["signal"] for n in state["noticed"]] == ["loneliness"]


def test_switching_one_feature_leaves_other_schedules_alone(jobs):
    jobs.opt_in("ana", "proactive", now=T0)
    before = {j.id: j.next_run for j in jobs.list_jobs("ana")}
    jobs.opt_in("ana", "checkins", now=T0 + timedelta(hours=2))
    after = {j.id: j.next_run for j in jobs.list_jobs("ana")}
    assert after["proactive:ana"] == before["proactive:ana"]
    assert "checkin-invite:ana" in after
    jobs.opt_in("ana", "proactive", timezone="Asia/Tokyo", now=T0 + timedelta(hours=2))
    moved = {j.id: j.next_run for j in jobs.list_jobs("ana")}
    assert moved["consolidate-nightly:ana"] != before["consolidate-nightly:ana"]
