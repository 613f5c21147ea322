"""The app's actions, called as a signed-in person would trigger them (no browser)."""

from __future__ import annotations

import json

import pytest

from companion.profiles import Profile, ProfileStore
from ui.handlers import Handlers, UserFacingError
from ui.pool import CompanionPool
from ui.views import new_thread_id


@pytest.fixture
def h(deployment) -> Handlers:
    return Handlers(CompanionPool(deployment, ProfileStore(deployment.settings.data_dir)))


def talk(h: Handlers, user: str, thread: str, text: str, chat=None, ids=None):
    return list(h.send(user, thread, text, chat or [], ids or []))


def test_a_message_streams_then_finishes_with_a_trace(h, user):
    thread = new_thread_id()
    updates = talk(h, user, thread, "I started a new job today")
    assert len(updates) >= 3, "the reply should arrive in pieces"
    lengths = [len(u.chat[-1]["content"]) for u in updates]
    assert lengths == sorted(lengths), "a streamed reply only grows"
    last = updates[-1]
    assert last.done and last.turn_id and not last.warning
    assert [m["role"] for m in last.chat] == ["user", "assistant"]
    assert "You said" in last.chat[-1]["content"]  # fake/echo answers with the message
    assert last.trace["turn_id"] == last.turn_id
    assert h.trace(user, thread, last.turn_id)["turn_id"] == last.turn_id
    assert [label for label, t in h.threads(user) if t == thread]


@pytest.mark.parametrize(
    ("text", "expected"),
    [("", "Type something"), ("   \n\t ", "Type something"), ("x" * 9000, "limit is")],
)
def test_bad_input_gets_a_clear_message_and_stores_nothing(h, user, text, expected):
    thread = new_thread_id()
    (update,) = talk(h, user, thread, text)
    assert expected in update.warning and update.keep_text and update.chat == []
    assert h.pool.get(user).history(thread) == []


def test_pasted_binary_text_is_cleaned_not_stored_raw(h, user):
    thread = new_thread_id()
    junk = "hello\x00\x01\x02 there\ufffe\x7f"
    last = talk(h, user, thread, junk)[-1]
    assert last.done and not last.warning
    stored = h.pool.get(user).history(thread)[0]["content"]
    assert stored == "hello there\ufffe"  # control characters dropped, the rest kept


def test_a_second_submit_while_answering_is_refused_and_the_thread_stays_whole(h, user):
    thread = new_thread_id()
    first = h.send(user, thread, "first message", [], [])
    next(first)  # the first turn is now in progress (holding the conversation)
    (second,) = talk(h, user, thread, "second message")
    assert "still answering" in second.warning and second.keep_text
    for _ in first:  # the first turn finishes normally
        pass
    history = h.pool.get(user).history(thread)
    assert [m["role"] for m in history] == ["user", "assistant"]
    assert history[0]["content"] == "first message"
    # and now the conversation is free again
    assert talk(h, user, thread, "second message")[-1].done


def test_forged_thread_ids_are_refused(h, user):
    (update,) = talk(h, user, "../../etc", "hi")
    assert "could not be found" in update.warning


def test_module_switch_shows_in_the_next_replys_trace(h, user):
    thread = new_thread_id()
    before = talk(h, user, thread, "I feel lonely lately")[-1].trace
    assert "wellbeing" in before["modules_enabled"]
    assert "off from your next message" in h.set_module(user, "wellbeing", False)
    after = talk(h, user, thread, "I feel lonely lately")[-1].trace
    assert "wellbeing" not in after["modules_enabled"]
    with pytest.raises(UserFacingError):
        h.set_module(user, "guard", False)


def test_nudge_opt_outs_are_the_persons_own(h, user):
    kinds = ["reach_out", "take_break"]
    h.set_allowed_nudges(user, kinds, ["take_break"])
    assert h.ledger.preferences(user).opted_out == ["reach_out"]
    h.set_allowed_nudges(user, kinds, kinds)
    assert h.ledger.preferences(user).opted_out == []


def test_memories_can_be_searched_edited_and_deleted(h, user):
    talk(h, user, new_thread_id(), "My sister Hanne lives in Bergen and loves climbing")
    rows = h.memories(user)
    assert rows and any("Bergen" in r[2] for r in rows)
    memory_id = next(r[3] for r in rows if "Bergen" in r[2])
    assert any(r[3] == memory_id for r in h.memories(user, "where does my sister live"))
    h.edit_memory(user, memory_id, "My sister Hanne lives in Oslo")
    assert h.memory_text(user, memory_id) == "My sister Hanne lives in Oslo"
    assert "Forgotten" in h.delete_memory(user, memory_id)
    assert all(r[3] != memory_id for r in h.memories(user))
    with pytest.raises(UserFacingError):
        h.delete_memory(user, memory_id)


def test_one_person_cannot_reach_anothers_data(h):
    alice, bob = "alice-h", "bob-h"
    thread = new_thread_id()
    done = talk(h, alice, thread, "My cat Miso is afraid of thunder")[-1]
    memory_id = h.memories(alice)[0][3]
    # Bob uses Alice's thread id, turn id and memory id: he finds nothing and changes nothing.
    assert h.open_thread(bob, thread)[0] == []
    assert h.trace(bob, thread, done.turn_id) is None
    assert h.threads(bob) == []
    with pytest.raises(UserFacingError):
        h.memory_text(bob, memory_id)
    with pytest.raises(UserFacingError):
        h.edit_memory(bob, memory_id, "hijacked")
    with pytest.raises(UserFacingError):
        h.delete_memory(bob, memory_id)
    exported = json.loads(h.export_file(bob).read_text())
    assert "Miso" not in json.dumps(exported)
    h.forget_everything(bob, "FORGET")
    assert h.memory_text(alice, memory_id).startswith("My cat Miso")
    assert h.open_thread(alice, thread)[0][0]["content"] == "My cat Miso is afraid of thunder"


def test_export_has_everything_and_forget_needs_confirmation(h, user):
    thread = new_thread_id()
    talk(h, user, thread, "I play the cello on Sundays")
    h.save_profile(user, Profile(timezone="Europe/Oslo"))
    data = json.loads(h.export_file(user).read_text())
    assert data["user_id"] == user
    assert thread in data["stores"]["conversations"]["threads"]
    assert data["stores"]["ui_profile"]["timezone"] == "Europe/Oslo"
    assert data["format"] == "companion-export/1"
    with pytest.raises(UserFacingError, match="Nothing was deleted"):
        h.forget_everything(user, "yes")
    assert h.memories(user)
    h.forget_everything(user, "forget")
    assert h.memories(user) == [] and h.threads(user) == []
    assert h.profile(user) == Profile()


def test_settings_apply_to_that_person_only(h, user):
    h.save_profile(user, Profile(persona="coach", timezone="Asia/Tokyo", minor=True))
    mine = h.pool.get(user).settings
    assert (mine.persona, mine.timezone, mine.minor) == ("coach", "Asia/Tokyo", True)
    other = h.pool.get(user + "x").settings
    assert (other.persona, other.minor) == ("default", False)
    with pytest.raises(UserFacingError, match="time zone"):
        h.save_profile(user, Profile(timezone="Mars/Olympus"))
    with pytest.raises(UserFacingError, match="persona"):
        h.save_profile(user, Profile(persona="own", own_persona=""))
    h.save_profile(user, Profile(persona="own", own_persona="Talk like a calm librarian."))
    assert h.pool.get(user).services.persona == "Talk like a calm librarian."


def test_the_dashboard_reflects_the_persons_use(h, user):
    talk(h, user, new_thread_id(), "I feel so lonely since I moved")
    data = h.dashboard(user)
    assert data.usage["conversations"].sum() == 1
    assert "loneliness" in set(data.signals["signal"])
    assert "lonely" in data.summary.lower()
