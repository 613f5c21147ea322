from datetime import UTC, datetime, timedelta

from apscheduler.schedulers.background import BackgroundScheduler

from memory import MemoryKind, MemoryStatus, MemoryStore
from memory.consolidation import consolidate_all, schedule

T0 = datetime(2026, 3, 2, 18, 0, tzinfo=UTC)


def test_episode_summary_per_session_once(store, clock):
    session = [
        "I started a new job at the city library.",
        "My manager Ines seems kind and patient.",
        "The commute takes forty minutes by tram.",
    ]
    for i, text in enumerate(session):
        store.remember_turn("ana", text, f"s1-{i}", T0 + timedelta(minutes=i))
    store.remember_turn(
        "ana", "I booked a dentist appointment for Friday.", "s2-0", T0 + timedelta(days=2)
    )
    clock.now = T0 + timedelta(days=3)
    assert store.consolidate("ana")["episodes"] == 1  # the second session is too small
    episodes = store.list("ana", kind=MemoryKind.episode)
    assert len(episodes) == 1
    assert episodes[0].text.startswith("Conversation on 2026-03-02:")
    assert set(episodes[0].source_turn_ids) == {"s1-0", "s1-1", "s1-2"}
    assert "Ines" in episodes[0].people
    assert store.consolidate("ana")["episodes"] == 0  # idempotent


def test_ongoing_session_is_not_summarised(store, clock):
    for i in range(3):
        store.remember_turn("ana", f"I painted wall number {i} in the kitchen blue.", f"t{i}", T0)
    clock.now = T0 + timedelta(minutes=10)
    assert store.consolidate("ana")["episodes"] == 0


def test_merge_and_decay(fake_embedder, clock, tmp_path, monkeypatch):
    import memory.store as store_module

    monkeypatch.setattr(store_module, "DUPLICATE_SIMILARITY", 1.01)  # let duplicates in
    store = MemoryStore(tmp_path, fake_embedder, clock=clock)
    old = store.remember_turn("ana", "I like green tea in the morning.", "t1", T0)[0]
    new = store.remember_turn(
        "ana", "I like green tea in the morning!", "t2", T0 + timedelta(days=1)
    )[0]
    trivia = store.remember_turn("ana", "The bus was late twice.", "t3", T0 - timedelta(days=400))[
        0
    ]
    clock.now = T0 + timedelta(days=2)
    result = store.consolidate("ana")
    assert result["merged"] == 1 and result["faded"] == 1
    assert store.get("ana", old.id).status == MemoryStatus.merged
    assert store.get("ana", new.id).source_turn_ids == ["t1", "t2"]
    assert store.get("ana", trivia.id).status == MemoryStatus.faded
    assert {r.record.id for r in store.retrieve("ana", "green tea bus", k=10)} == {new.id}


def test_schedule_adds_one_job_and_it_runs_for_every_user(store, clock):
    for user in ("ana", "bo"):
        for i in range(3):
            store.remember_turn(user, f"I repaired bicycle number {i} for the club.", f"t{i}", T0)
    clock.now = T0 + timedelta(days=1)
    scheduler = BackgroundScheduler()
    scheduler.start(paused=True)
    try:
        job = schedule(scheduler, store, hours=12)
        schedule(scheduler, store, hours=12)  # re-adding replaces, no duplicate
        assert [j.id for j in scheduler.get_jobs()] == [job.id]
        job.func()
    finally:
        scheduler.shutdown(wait=False)
    assert all(len(store.list(u, kind=MemoryKind.episode)) == 1 for u in ("ana", "bo"))
    assert set(consolidate_all(store)) == {"ana", "bo"}
