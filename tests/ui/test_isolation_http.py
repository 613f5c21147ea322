"""Through the running app's HTTP API, signed in as Bob, nothing of Alice's is reachable."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.ui.conftest import PASSWORDS

gradio_client = pytest.importorskip("gradio_client")


def client(server, name):
    return gradio_client.Client(server.url, auth=(name, PASSWORDS[name]), verbose=False)


def test_signed_in_users_only_reach_their_own_data(server):
    h = server.app.handlers
    thread = "c-alice-thread-1"
    last = list(h.send("alice", thread, "My brother Tomas plays chess in Lyon", [], []))[-1]
    assert last.done
    alice_memory = next(r[3] for r in h.memories("alice") if "Tomas" in r[2])

    bob = client(server, "bob")
    # Alice's thread id, asked for by Bob, opens an empty conversation of Bob's own.
    try:
        opened = bob.predict(thread, api_name="/open_thread")
        assert "Tomas" not in json.dumps(opened, default=str)
    except Exception as exc:  # or the id is refused outright: either way, nothing leaks
        assert "Tomas" not in str(exc)
    # Alice's turn id gives Bob no trace.
    try:
        why = bob.predict(last.turn_id, thread, api_name="/why")
        assert "Tomas" not in why and last.turn_id not in why
    except Exception as exc:  # refused as not one of Bob's replies
        assert "Tomas" not in str(exc)
    # Bob cannot delete or edit Alice's memory by its id.
    with pytest.raises(Exception, match="gone or was never yours"):
        bob.predict(alice_memory, api_name="/delete_memory")
    with pytest.raises(Exception, match="gone or was never yours"):
        bob.predict(alice_memory, "hijacked", api_name="/edit_memory")
    assert "Tomas" in h.memory_text("alice", alice_memory)
    # Bob's memory list and export hold nothing of Alice's.
    table = bob.predict("", api_name="/memories")
    assert "Tomas" not in json.dumps(table, default=str)
    exported = bob.predict(api_name="/export")
    path = exported["value"] if isinstance(exported, dict) else exported
    text = Path(path).read_text(encoding="utf-8")
    assert '"user_id": "bob"' in text and "Tomas" not in text
    # And Alice, signed in, does see her memory.
    alice_table = client(server, "alice").predict("", api_name="/memories")
    assert "Tomas" in json.dumps(alice_table, default=str)


def test_without_signing_in_nothing_is_served(server):
    with pytest.raises(Exception):  # noqa: B017 - any refusal will do; a success would not
        gradio_client.Client(server.url, verbose=False).predict("", api_name="/memories")


def test_wrong_password_is_refused(server):
    with pytest.raises(Exception):  # noqa: B017
        gradio_client.Client(server.url, auth=("alice", "not-her-password"), verbose=False)
