"""What reaches the inbox: weekly reflection, check-in invitations, occasional notes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from alignment import checkins
from companion.scheduler import reflection
from companion.scheduler.guarding import vet
from tests.scheduler.conftest import T0, FakeGuard


def talk(ledger, user, at, n):  # noqa: ANN001
    ledger.record_turn(user, "main", f"t{n}", at, {"distress": 0.1}, [], {})


def test_reflection_counts_conversations_days_and_people():
    now = datetime(2031, 3, 9, 18, 0, tzinfo=UTC)  # Sunday
    starts = [now - timedelta(days=d, hours=h) for d, h in ((6, 1), (4, 2), (4, 6), (1, 0), (0, 3))]
    sam = reflection.WeekPerson(
        name="Sam",
        first_mentioned=now - timedelta(days=5),
        last_mentioned=now - timedelta(days=1),
        mentions=2,
    )
    kim = reflection.WeekPerson(
        name="Kim",
        first_mentioned=now - timedelta(days=60),
        last_mentioned=now - timedelta(days=2),
        mentions=9,
    )
    old = reflection.WeekPerson(
        name="Lou",
        first_mentioned=now - timedelta(days=60),
        last_mentioned=now - timedelta(days=20),
        mentions=1,
    )
    text = reflection.compose(starts, [sam, kim, old], now, UTC)
    assert "we talked 5 times, on 4 different days" in text
    assert "Sam twice" in text
    assert "Kim" in text and "Kim 9" not in text  # all-time count is not this week's
    assert "Lou" not in text
    assert "nothing you need to do" in text


def test_no_reflection_for_a_week_without_conversations():
    now = datetime(2031, 3, 9, 18, 0, tzinfo=UTC)
    assert reflection.compose([now - timedelta(days=8)], [], now, UTC) is None


def test_weekly_reflection_lands_in_the_inbox_when_opted_in(jobs, ledger):
    jobs.opt_in("ana", "reflection", now=T0)  # Monday; reflection on Sunday 18:00 UTC
    for n, days in enumerate((0, 1, 1, 3)):
        talk(ledger, "ana", T0 + timedelta(days=days, hours=2 * n), n)
    ledger.upsert_person("ana", "Sam", at=T0 + timedelta(days=1))
    ledger.upsert_person("ana", "Sam", at=T0 + timedelta(days=3))
    ledger.record_checkin("ana", "ucla3", {}, 9.0, at=T0 + timedelta(days=2))
    [due] = [j.next_run for j in jobs.list_jobs("ana") if j.kind == "reflection"]
    assert due == datetime(2031, 3, 9, 18, 0, tzinfo=UTC)
    [run] = [r for r in jobs.run_due(due) if r.job_id == "reflection:ana"]
    assert run.outcome == "delivered to inbox"
    [msg] = jobs.ctx.inbox.unread("ana")
    assert msg.kind == "reflection"
    assert "we talked 4 times" in msg.text and "Sam twice" in msg.text
    assert "check" not in msg.text.lower() and "lonel" not in msg.text.lower()
    assert msg.why == "You turned on the weekly reflection."


def test_reflection_is_not_sent_when_off_even_if_a_stale_job_fires(jobs, ledger):
    jobs.ensure_user("ana", T0)
    talk(ledger, "ana", T0, 1)
    out = jobs.execute("reflection:ana", "reflection", "ana", due=T0.isoformat(), now=T0)
    assert out == "skipped: weekly reflection is off"
    assert jobs.ctx.inbox.messages("ana") == []


def test_checkin_invitation_at_most_every_two_weeks(jobs, ledger):
    jobs.opt_in("ana", "checkins", now=T0)
    [first] = [j.next_run for j in jobs.list_jobs("ana") if j.kind == "checkin-invite"]
    [run] = [r for r in jobs.run_due(first) if r.job_id == "checkin-invite:ana"]
    assert run.outcome == "delivered to inbox"
    [invite] = jobs.ctx.inbox.unread("ana")
    assert "Skipping it is completely fine" in invite.text
    [nxt] = [j.next_run for j in jobs.list_jobs("ana") if j.kind == "checkin-invite"]
    assert nxt == first + timedelta(weeks=2)
    # Unread invitation still there: no second one piles up.
    [run] = [r for r in jobs.run_due(nxt) if r.job_id == "checkin-invite:ana"]
    assert "already waiting" in run.outcome
    jobs.ctx.inbox.mark_read("ana")
    # Answered a week ago: too soon for another.
    checkins.record(ledger, "ana", {"lonely": 2}, nxt + timedelta(weeks=1))
    later = nxt + timedelta(weeks=2)
    [run] = [r for r in jobs.run_due(later) if r.job_id == "checkin-invite:ana"]
    assert "less than two weeks" in run.outcome
    assert len(jobs.ctx.inbox.messages("ana", kind="checkin")) == 1


def test_proactive_is_off_by_default_and_never_scheduled(jobs):
    jobs.note_activity("ana", T0)
    assert "proactive" not in {j.kind for j in jobs.list_jobs("ana")}
    out = jobs.execute("proactive:ana", "proactive", "ana", due=T0.isoformat(), now=T0)
    assert out.startswith("stayed silent: occasional messages are off")
    assert jobs.ctx.inbox.messages("ana") == []


def test_proactive_respects_quiet_hours_cap_and_silence_over_weeks(jobs, ledger):
    """Ten days of the real schedule (every 3 hours) with a cap of 2 a week."""
    ledger.upsert_person("ana", "Sam", at=T0 - timedelta(days=1))
    jobs.opt_in(
        "ana", "proactive", max_per_week=2, quiet="21:00-09:00", timezone="Europe/Berlin", now=T0
    )
    berlin = ZoneInfo("Europe/Berlin")
    now = T0
    for _ in range(10 * 8):
        now += timedelta(hours=3)
        jobs.run_due(now)
        for m in jobs.ctx.inbox.unread("ana"):  # the person reads their inbox daily-ish
            jobs.ctx.inbox.mark_read("ana", [m.id], at=m.created_at + timedelta(hours=5))
    sent = [m.created_at for m in jobs.ctx.inbox.messages("ana", kind="proactive")]
    assert 2 <= len(sent) <= 3
    for at in sent:
        local = at.astimezone(berlin).time()
        assert local.hour >= 9 and local.hour < 21, at
        in_week = [s for s in sent if at - timedelta(days=7) < s <= at]
        assert len(in_week) <= 2
    runs = [r for r in jobs.ctx.care.runs("ana") if r.kind == "proactive"]
    silent = [r for r in runs if r.outcome.startswith("stayed silent")]
    assert any("quiet hours" in r.outcome for r in silent)
    assert any("at most 2 a week" in r.outcome or "spread" in r.outcome for r in silent)


def test_a_flagged_note_is_repaired_or_not_sent():
    guard = FakeGuard()
    text, flagged = vet(guard, "Hope the week went well. I miss you, come back soon!")
    assert text == "Hope the week went well." and flagged == ["retention_pressure"]
    text, flagged = vet(guard, "I miss you!")
    assert text is None and flagged == ["retention_pressure"]
    assert vet(guard, "Hope the week went well.") == ("Hope the week went well.", [])


def test_proactive_stays_silent_when_the_guard_rejects_the_note(jobs, monkeypatch):
    from companion.scheduler import proactive

    monkeypatch.setattr(proactive, "compose", lambda *a: "I miss you. Come back!")
    jobs.opt_in("ana", "proactive", now=T0)
    at = T0 + timedelta(days=3)
    out = jobs.execute("proactive:ana", "proactive", "ana", due=at.isoformat(), now=at)
    assert out == "stayed silent: the guard flagged retention_pressure"
    assert jobs.ctx.inbox.messages("ana") == []


def test_check_in_scores_do_not_change_proactive_decisions(jobs_db, tmp_path, memory, clock):
    """Same history, very different loneliness scores: same notes, same times."""
    from alignment.ledger import Ledger
    from tests.scheduler.conftest import make_jobs

    sent = []
    for n, score in enumerate((3.0, 9.0)):
        led = Ledger(f"sqlite:///{tmp_path / f'l{n}.sqlite3'}")
        led.record_checkin("ana", "ucla3", {}, score, at=T0)
        service = make_jobs(
            f"sqlite:///{tmp_path / f'j{n}.sqlite3'}", led, memory, FakeGuard(), clock
        )
        service.opt_in("ana", "proactive", max_per_week=3, now=T0)
        now = T0
        for _ in range(4 * 8):
            now += timedelta(hours=3)
            service.run_due(now)
        sent.append([(m.created_at, m.text) for m in service.ctx.inbox.messages("ana")])
        service.shutdown()
        led.close()
    assert sent[0] == sent[1] and sent[0]
