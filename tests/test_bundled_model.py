"""The few tests that prove the real bundled model works (about ten seconds on 2 cores)."""

import pytest

from companion.config import load_settings
from companion.llm import ChatModel
from companion.service import Companion

pytestmark = pytest.mark.bundled_model


def test_bundled_model_streams_a_real_reply():
    pieces = list(
        ChatModel(max_tokens=40).stream(
            [
                {"role": "system", "content": "You are a kind companion."},
                {"role": "user", "content": "Hi! Say hello back."},
            ]
        )
    )
    assert len(pieces) >= 3
    assert len("".join(pieces).strip()) > 5


def test_default_settings_chat_end_to_end(tmp_path):
    companion = Companion(load_settings(data_dir=tmp_path, max_reply_tokens=40))
    events = list(companion.send("Hello, I just got home from work."))
    assert events[-1].kind == "done" and events[-1].text
    assert sum(e.kind == "token" for e in events) >= 3
    assert companion.history()[-1]["role"] == "assistant"
