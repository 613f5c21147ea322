"""The turn graph end to end through Companion, with deterministic fake models."""

from collections.abc import Iterator

import pytest

from companion.config import load_settings
from companion.fake_models import register_fake
from companion.graph import TurnServices
from companion.llm import ChatModel
from companion.ports import Assessment, NoAlignment, Review
from companion.service import Companion

calls: list[list[dict]] = []
register_fake("counting", lambda messages: calls.append(messages) or "I'm here with you.")


@pytest.fixture
def counting(tmp_path):
    calls.clear()
    companion = Companion(load_settings(data_dir=tmp_path / "data", model="fake/counting"))
    yield companion
    companion.close()


def contents(companion, thread="default"):
    return [(m["role"], m["content"]) for m in companion.history(thread)]


def test_a_turn_streams_tokens_then_finishes(settings):
    companion = Companion(settings)
    events = list(companion.send("I started a new job today"))
    kinds = [e.kind for e in events]
    assert kinds.count("token") > 3 and kinds[-1] == "done"
    assert "".join(e.text for e in events if e.kind == "token") == events[-1].text
    assert set(events[-1].trace["timings_ms"]) == {
        "load_context",
        "assess",
        "respond",
        "review",
        "record",
        "record_alignment",
    }


def test_conversation_survives_a_restart(settings):
    first = Companion(settings)
    first.reply("My cat is called Miso")
    first.close()
    second = Companion(settings)
    second.reply("What is my cat called?")
    assert [r for r, _ in contents(second)] == ["user", "assistant", "user", "assistant"]
    assert contents(second)[0][1] == "My cat is called Miso"


@pytest.mark.parametrize("message", ["", "   \n ", "x" * 8001])
def test_empty_or_over_long_message_calls_no_model_and_stores_nothing(counting, message):
    event = counting.reply(message)
    assert event.kind == "notice"
    assert calls == []
    assert counting.history() == []


def test_the_model_sees_the_history_and_persona(counting):
    counting.reply("first message")
    counting.reply("second message")
    sent = calls[-1]
    assert sent[0]["role"] == "system" and "AI" in sent[0]["content"]
    assert [m["content"] for m in sent[1:]] == [
        "first message",
        "I'm here with you.",
        "second message",
    ]


def test_model_failure_keeps_the_message_and_the_next_turn_works(tmp_path):
    settings = load_settings(data_dir=tmp_path, model="fake/error-timeout")
    companion = Companion(settings)
    event = companion.reply("are you there?")
    assert event.kind == "error" and "seconds" in event.text
    assert contents(companion) == [("user", "are you there?")]
    companion.services.chat_model.model = "fake/echo"
    assert companion.reply("hello again").kind == "done"
    assert [r for r, _ in contents(companion)] == ["user", "user", "assistant"]


class InterruptedModel(ChatModel):
    """Streams two pieces, then the person presses Ctrl-C."""

    def stream(self, messages) -> Iterator[str]:
        yield "Half a "
        yield "thought"
        raise KeyboardInterrupt


def test_ctrl_c_mid_reply_leaves_a_consistent_conversation(settings):
    companion = Companion(settings)
    companion.reply("hello")
    companion.services.chat_model = InterruptedModel(model="fake/echo")
    companion.graph = type(companion)(settings, companion.services, companion.stores).graph
    with pytest.raises(KeyboardInterrupt):
        list(companion.send("tell me a story"))
    assert contents(companion)[-1] == ("user", "tell me a story")
    assert not any("Half a" in c for _, c in contents(companion))
    restarted = Companion(settings)
    assert restarted.reply("still there?").kind == "done"
    assert contents(restarted)[-2:][0] == ("user", "still there?")


def test_threads_and_users_are_isolated(tmp_path):
    alice = Companion(load_settings(data_dir=tmp_path, model="fake/echo", user_id="alice"))
    alice.reply("alice's secret", thread_id="t1")
    bob = alice.for_user("bob")
    assert bob.history("t1") == []
    assert bob.threads() == []
    assert alice.threads() == ["t1"]
    assert alice.history("other") == []


class DraftRejecting(NoAlignment):
    """Rejects any draft containing 'only one'; repair makes it safe."""

    def review(self, ctx, assessment: Assessment, draft: str) -> Review:
        bad = "only one" in draft
        return Review(
            ok=not bad, problems=["exclusivity"] if bad else [], critique="Drop exclusivity."
        )

    def repair(self, ctx, assessment, draft, review) -> str:
        return "I'm glad you're here, and I hope you have people around you too."


def test_review_revises_once_then_repairs_and_the_reply_is_replaced(tmp_path):
    register_fake("clingy", lambda messages: "I'm the only one for you.")
    settings = load_settings(data_dir=tmp_path, model="fake/clingy")
    services = TurnServices(
        chat_model=ChatModel(model="fake/clingy"), persona="p", alignment=DraftRejecting()
    )
    companion = Companion(settings, services=services)
    events = list(companion.send("hi"))
    assert [e.kind for e in events][-2:] == ["replace", "done"]
    final = events[-1]
    assert "only one" not in final.text
    assert [s["stage"] for s in final.trace["review"]] == ["draft", "revision", "repair"]
    assert contents(companion)[-1] == ("assistant", final.text)


def test_a_looping_model_is_stopped_and_its_reply_trimmed(settings):
    register_fake("looping", lambda messages: "Hello! " + "so nice, " * 40)
    companion = Companion(settings)
    companion.services.chat_model.model = "fake/looping"
    events = list(companion.send("hi"))
    streamed = "".join(e.text for e in events if e.kind == "token")
    assert len(streamed) < len("Hello! " + "so nice, " * 40)
    # the loop is cut back to its first copy, and that half sentence goes too
    assert events[-1].text == "Hello!"


def test_a_reply_cut_off_by_the_token_limit_ends_at_its_last_full_sentence(settings):
    from tests.fake_openai import ScriptedOpenAI

    with ScriptedOpenAI(["length:Lentils are quick. Soak them first and th"]) as server:
        companion = Companion(settings)
        model = companion.services.chat_model
        model.model, model.api_base, model.api_key = "openai/test", server.base_url, "k"
        events = list(companion.send("how do I cook lentils?"))
    assert "".join(e.text for e in events if e.kind == "token").strip().endswith("and th")
    assert events[-1].kind == "done" and events[-1].text == "Lentils are quick."
    assert any(e.kind == "replace" and e.text == "Lentils are quick." for e in events)


def test_a_finished_reply_without_a_final_stop_is_kept_whole(settings):
    register_fake("no-stop", lambda messages: "That sounds lovely. Talk soon")
    companion = Companion(settings)
    companion.services.chat_model.model = "fake/no-stop"
    assert companion.reply("I made soup today").text.endswith("Talk soon")
