from datetime import UTC, datetime, timedelta

import pytest

from memory import (
    InvalidExport,
    InvalidMemoryText,
    InvalidUserId,
    MemoryKind,
    MemoryNotFound,
    MemoryStatus,
    MemoryStore,
    MemoryUnavailable,
)

T0 = datetime(2026, 3, 2, 18, 0, tzinfo=UTC)


def test_write_then_retrieve_with_sources(store):
    written = store.remember_turn("ana", "I adopted a grey cat called Miso.", "t1", T0)
    assert [r.source_turn_ids for r in written] == [["t1"]]
    got = store.retrieve("ana", "grey cat Miso")
    assert [r.record.text for r in got] == ["I adopted a grey cat called Miso."]
    assert any(w.startswith("words:") for w in got[0].why)


def test_chatter_writes_nothing(store):
    assert store.remember_turn("ana", "Haha thanks! How are you?", "t1", T0) == []
    assert store.list("ana") == []


def test_near_duplicates_merge(store):
    store.remember_turn("ana", "I adopted a grey cat called Miso.", "t1", T0)
    store.remember_turn("ana", "I adopted a grey cat called Miso!", "t2", T0 + timedelta(days=1))
    records = store.list("ana")
    assert len(records) == 1
    assert records[0].source_turn_ids == ["t1", "t2"]


def test_newer_fact_supersedes_older(store):
    store.remember_turn("ana", "My favourite colour is blue.", "t1", T0)
    store.remember_turn("ana", "My favourite colour is green.", "t2", T0 + timedelta(days=3))
    active = store.list("ana")
    assert [r.text for r in active] == ["My favourite colour is green."]
    history = {r.text: r for r in store.list("ana", include_history=True)}
    old = history["My favourite colour is blue."]
    assert old.status == MemoryStatus.superseded
    assert old.superseded_by == active[0].id
    texts = [r.record.text for r in store.retrieve("ana", "favourite colour blue", k=10)]
    assert "My favourite colour is blue." not in texts


def test_budget_and_k_are_respected(store):
    for i in range(12):
        store.remember_turn(
            "ana", f"I planted tomato seedling number {i} in the garden.", f"t{i}", T0
        )
    got = store.retrieve("ana", "tomato garden", k=5, char_budget=10_000)
    assert len(got) == 5
    got = store.retrieve("ana", "tomato garden", k=50, char_budget=120)
    assert 0 < sum(len(r.record.text) for r in got) <= 120


def test_people_with_relation(store):
    store.remember_turn("ana", "My brother Tiago starts university in Braga.", "t1", T0)
    store.remember_turn("ana", "Tiago called me about his exams.", "t2", T0 + timedelta(days=2))
    people = store.people("ana")
    assert [(p.name, p.relation, p.mentions) for p in people] == [("Tiago", "brother", 2)]
    assert people[0].last_mentioned == T0 + timedelta(days=2)


def test_query_naming_a_person_prefers_their_memories(minilm, tmp_path):
    store = MemoryStore(tmp_path, minilm)
    store.remember_turn("ana", "My friend Joaquim is learning the cello.", "t1", T0)
    store.remember_turn("ana", "I am learning to bake sourdough bread.", "t2", T0)
    got = store.retrieve("ana", "What is Joaquim learning?", k=1)
    assert got[0].record.source_turn_ids == ["t1"]
    assert "names: Joaquim" in got[0].why


def test_real_embedder_finds_paraphrase(minilm, tmp_path):
    store = MemoryStore(tmp_path, minilm)
    store.remember_turn("ana", "I get anxious before presentations at work.", "t1", T0)
    store.remember_turn("ana", "We went camping by the lake last summer.", "t2", T0)
    assert store.retrieve("ana", "public speaking nerves", k=1)[0].record.source_turn_ids == ["t1"]


# ---------------------------------------------------------------- isolation (adversarial)
def _two_users(store):
    a = store.remember_turn("alice", "My secret is the code word pelican.", "a1", T0)[0]
    b = store.remember_turn("bob", "My secret is the code word pelican!", "b1", T0)[0]
    return a, b


def test_no_read_path_returns_another_users_memory(store):
    a, b = _two_users(store)
    for got in (
        store.retrieve("bob", "secret code word pelican", k=50, char_budget=None),
        store.search("bob", "pelican", k=50),
    ):
        assert {r.record.id for r in got} == {b.id}
        assert {r.record.user_id for r in got} == {"bob"}
    assert [r.id for r in store.list("bob", include_history=True)] == [b.id]
    exported = store.export_user("bob")
    assert [r["id"] for r in exported["records"]] == [b.id]
    assert "alice" not in str(exported)
    assert store.retrieve("carol", "pelican") == []
    assert store.export_user("carol")["records"] == []


def test_ids_of_another_user_are_not_found(store):
    a, _ = _two_users(store)
    with pytest.raises(MemoryNotFound):
        store.get("bob", a.id)
    with pytest.raises(MemoryNotFound):
        store.edit("bob", a.id, "hijacked")
    with pytest.raises(MemoryNotFound):
        store.delete("bob", a.id)
    assert store.get("alice", a.id).text == a.text  # untouched


def test_forgetting_one_user_leaves_the_other(store):
    a, b = _two_users(store)
    assert store.forget_user("bob") == 1
    assert store.list("bob") == []
    assert store.retrieve("bob", "pelican") == []
    with pytest.raises(MemoryNotFound):
        store.get("bob", b.id)
    assert [r.id for r in store.list("alice")] == [a.id]


@pytest.mark.parametrize(
    "user", ["", " ", "../alice", "alice bob", "a" * 65, "ålice", "alice\n", None]
)
def test_bad_user_ids_are_refused(store, user):
    with pytest.raises(InvalidUserId):
        store.retrieve(user, "anything")
    with pytest.raises(InvalidUserId):
        store.remember_turn(user, "I like tea very much.", "t1")


def test_user_ids_differing_only_in_case_are_separate(store):
    store.remember_turn("Alice", "I collect vintage stamps from Peru.", "t1", T0)
    assert store.list("alice") == []


# ---------------------------------------------------------------- the person's control
def test_edit_reanalyses_and_reembeds(store):
    record = store.remember_turn("ana", "I work as a nurse in the night shift.", "t1", T0)[0]
    edited = store.edit("ana", record.id, "I work as a teacher at the primary school.")
    assert edited.id == record.id and edited.source_turn_ids == ["t1"]
    assert store.search("ana", "teacher primary school", k=1)[0].record.id == record.id
    assert store.get("ana", record.id).text.startswith("I work as a teacher")


@pytest.mark.parametrize("text", ["", "   ", "x" * 5000])
def test_edit_refuses_bad_text_and_keeps_the_old_one(store, text):
    record = store.remember_turn("ana", "I work as a nurse in the night shift.", "t1", T0)[0]
    with pytest.raises(InvalidMemoryText):
        store.edit("ana", record.id, text)
    assert store.get("ana", record.id).text == record.text


def test_delete_and_unknown_ids(store):
    record = store.remember_turn("ana", "I adopted a grey cat called Miso.", "t1", T0)[0]
    store.delete("ana", record.id)
    assert store.list("ana", include_history=True) == []
    assert store.retrieve("ana", "cat") == []
    with pytest.raises(MemoryNotFound, match="no memory with id"):
        store.delete("ana", record.id)
    with pytest.raises(MemoryNotFound):
        store.get("ana", "does-not-exist")


def test_export_import_round_trip(store, fake_embedder, tmp_path):
    store.remember_turn("ana", "My favourite colour is blue.", "t1", T0)
    store.remember_turn("ana", "My favourite colour is green.", "t2", T0 + timedelta(days=1))
    store.remember_turn("ana", "My sister Rosa lives in Faro.", "t3", T0 + timedelta(days=2))
    data = store.export_user("ana")
    assert len(data["records"]) == 3  # history included
    other = MemoryStore(tmp_path / "other", fake_embedder)
    assert other.import_user("ana2", data) == 3
    before = {(r["text"], r["status"]) for r in data["records"]}
    after = {(r.text, r.status.value) for r in other.list("ana2", include_history=True)}
    assert after == before
    assert {r.user_id for r in other.list("ana2", include_history=True)} == {"ana2"}


def test_import_refuses_foreign_files(store):
    with pytest.raises(InvalidExport):
        store.import_user("ana", {"format": "something-else"})
    with pytest.raises(InvalidExport):
        store.import_user("ana", {"format": "companion-memory/1", "records": [{"text": "x"}]})


def test_memories_persist_and_other_instances_see_writes(fake_embedder, tmp_path):
    first = MemoryStore(tmp_path, fake_embedder)
    second = MemoryStore(tmp_path, fake_embedder)
    assert second.list("ana") == []  # second caches an empty view
    first.remember_turn("ana", "I adopted a grey cat called Miso.", "t1", T0)
    assert [r.text for r in second.list("ana")] == ["I adopted a grey cat called Miso."]
    assert second.retrieve("ana", "grey cat")[0].record.source_turn_ids == ["t1"]


# ---------------------------------------------------------------- faults
def test_failed_write_raises_and_is_not_half_applied(store, monkeypatch):
    store.remember_turn("ana", "I adopted a grey cat called Miso.", "t1", T0)
    collection = store._collection("ana", create=False)

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(type(collection), "upsert", broken)
    with pytest.raises(MemoryUnavailable, match="disk full"):
        store.remember_turn("ana", "I started running every morning at six.", "t2", T0)
    monkeypatch.undo()
    assert [r.text for r in store.list("ana")] == ["I adopted a grey cat called Miso."]


def test_unreachable_server_fails_fast(fake_embedder):
    import socket
    import time

    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    store = MemoryStore(None, fake_embedder, chroma_url=f"http://127.0.0.1:{port}")
    started = time.monotonic()
    with pytest.raises(MemoryUnavailable):
        store.retrieve("ana", "anything")
    with pytest.raises(MemoryUnavailable):
        store.remember_turn("ana", "I adopted a grey cat called Miso.", "t1")
    assert time.monotonic() - started < 5


def test_episode_kind_value():
    assert MemoryKind("episode") is MemoryKind.episode


def test_large_store_candidate_path_agrees_with_exact_scoring(store, monkeypatch):
    import memory.store as store_module

    topics = ["pottery", "sourdough", "cello", "hiking", "chess", "kayak", "violin", "garden"]
    for i, topic in enumerate(topics * 3):
        store.remember_turn("ana", f"I practise {topic} with group {i} on weekends.", f"t{i}", T0)
    queries = ["pottery group", "weekend kayak", "violin practice 7"]
    exact = [[r.record.id for r in store.retrieve("ana", q, k=5, touch=False)] for q in queries]
    monkeypatch.setattr(store_module, "EXACT_SEARCH_LIMIT", 0)
    monkeypatch.setattr(store_module, "CANDIDATES", 8)
    approx = [[r.record.id for r in store.retrieve("ana", q, k=5, touch=False)] for q in queries]
    assert approx == exact
