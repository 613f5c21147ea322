import pytest

from companion.fake_models import register_fake
from companion.llm import ChatModel, ModelError
from tests.fake_openai import ScriptedOpenAI

HELLO = [{"role": "user", "content": "hello"}]


def test_fake_model_streams_in_pieces_through_litellm():
    pieces = list(ChatModel(model="fake/echo").stream(HELLO))
    assert len(pieces) > 3
    assert "hello" in "".join(pieces)


@pytest.mark.parametrize(
    "model,kind,hint",
    [
        ("fake/error-timeout", "timeout", "COMPANION_REQUEST_TIMEOUT"),
        ("fake/error-auth", "auth", "API key"),
        ("fake/error-ratelimit", "rate_limit", "wait"),
        ("fake/error-connection", "connection", "reach"),
        ("fake/error-server", "provider", "try again"),
        ("fake/does-not-exist", "unknown_model", "COMPANION_MODEL"),
        ("no-such-provider-model", "unknown_model", "provider/model"),
    ],
)
def test_failures_become_one_sentence_that_says_what_to_fix(model, kind, hint):
    with pytest.raises(ModelError) as error:
        ChatModel(model=model, num_retries=0).complete(HELLO)
    assert error.value.kind == kind
    message = str(error.value)
    assert hint in message
    assert "\n" not in message and "Traceback" not in message


def test_missing_provider_key_names_the_variable(monkeypatch):
    monkeypatch.delenv("ANTHROPIC_API_KEY", raising=False)
    with pytest.raises(ModelError) as error:
        ChatModel(model="anthropic/claude-3-5-haiku-latest", num_retries=0).complete(HELLO)
    assert error.value.kind == "auth"
    assert "ANTHROPIC_API_KEY" in str(error.value)


def test_transient_server_error_is_retried_by_litellm():
    with ScriptedOpenAI(["503", "all good now"]) as server:
        model = ChatModel(model="openai/test", api_base=server.base_url, api_key="k", num_retries=2)
        assert model.complete(HELLO).strip() == "all good now"
        assert server.requests >= 2


def test_without_retries_the_same_error_reaches_the_person():
    with ScriptedOpenAI(["503", "never sent"]) as server:
        model = ChatModel(model="openai/test", api_base=server.base_url, api_key="k", num_retries=0)
        with pytest.raises(ModelError):
            model.complete(HELLO)


def test_slow_provider_times_out_with_a_clear_message():
    with ScriptedOpenAI(["sleep"]) as server:
        model = ChatModel(
            model="openai/test", api_base=server.base_url, api_key="k", timeout=0.5, num_retries=0
        )
        with pytest.raises(ModelError) as error:
            model.complete(HELLO)
    assert error.value.kind in ("timeout", "connection")


def test_registered_fake_sees_the_messages():
    seen = []
    register_fake("spy", lambda messages: seen.append(messages) or "ok")
    assert ChatModel(model="fake/spy").complete(HELLO) == "ok"
    assert seen[0][-1]["content"] == "hello"


def test_the_stream_says_why_the_reply_ended():
    with ScriptedOpenAI(["All said.", "length:Cut off in the mid"]) as server:
        model = ChatModel(model="openai/test", api_base=server.base_url, api_key="k")
        finished = model.stream(HELLO)
        assert "".join(finished).strip() == "All said."
        assert finished.finish_reason == "stop"
        cut = model.stream(HELLO)
        assert "".join(cut).strip() == "Cut off in the mid"
        assert cut.finish_reason == "length"


def test_a_reply_stopped_in_a_loop_says_so():
    register_fake("looping", lambda messages: "Lisbon is lovely, " + "a Lisbon, " * 40)
    reply = ChatModel(model="fake/looping").stream(HELLO)
    text = "".join(reply)
    assert reply.finish_reason == "loop"
    assert len(text) < len("Lisbon is lovely, " + "a Lisbon, " * 40)
