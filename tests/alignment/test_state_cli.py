"""`companion state` and `companion trace`, through typer's runner on a fresh app."""

from __future__ import annotations

import json
import sys
import types
from datetime import UTC, datetime, timedelta

import pytest
import typer
from typer.testing import CliRunner

from alignment.ledger import Ledger, default_url
from companion.commands.state import register

runner = CliRunner()


@pytest.fixture
def app(monkeypatch, tmp_path):
    monkeypatch.setenv("COMPANION_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("COMPANION_USER_ID", "ana")
    monkeypatch.setenv("COMPANION_TIMEZONE", "Europe/London")
    monkeypatch.setitem(sys.modules, "companion.stores", None)  # memory store not there
    cli = typer.Typer()
    register(cli)
    return cli


@pytest.fixture
def filled(tmp_path):
    now = datetime.now(UTC)
    with Ledger(default_url(tmp_path / "data")) as led:
        for d in range(4):
            led.record_turn(
                "ana",
                "main",
                f"turn-{d}",
                now - timedelta(days=d, minutes=5),
                {"loneliness": 0.91, "distress": 0.12},
                ["loneliness"],
                {"route": "respond", "modules": {"social": {"guidance": True}}, "repairs": []},
            )
        led.record_turn("bob", "main", "bob-1", now, {"crisis": 0.99}, ["crisis"], {"bob": 1})


def test_state_for_a_new_person(app):
    result = runner.invoke(app, ["state"])
    assert result.exit_code == 0, result.output
    assert "just met" in result.output


def test_state_summary_and_json(app, filled):
    result = runner.invoke(app, ["state"])
    assert result.exit_code == 0, result.output
    assert "You have mentioned feeling lonely on 4 of the last 7 days." in result.output
    result = runner.invoke(app, ["state", "--json"])
    data = json.loads(result.output)
    assert data["user_id"] == "ana" and data["total_turns"] == 4
    assert data["noticed"][0]["signal"] == "loneliness"


def test_state_includes_memories_when_the_store_provides_them(app, monkeypatch):
    fake = types.ModuleType("companion.stores")
    fake.memory_texts = lambda settings: [f"You told me your id is {settings.user_id}."]
    monkeypatch.setitem(sys.modules, "companion.stores", fake)
    result = runner.invoke(app, ["state"])
    assert "You told me your id is ana." in result.output


def test_state_survives_a_failing_memory_store(app, monkeypatch):
    fake = types.ModuleType("companion.stores")

    def broken(settings):
        raise RuntimeError("chroma is down")

    fake.memory_texts = broken
    monkeypatch.setitem(sys.modules, "companion.stores", fake)
    result = runner.invoke(app, ["state"])
    assert result.exit_code == 0 and "just met" in result.output


def test_trace_last_is_readable_and_only_mine(app, filled):
    result = runner.invoke(app, ["trace", "last"])
    assert result.exit_code == 0, result.output
    out = result.output
    assert "Turn turn-0 in thread main" in out
    assert "Signals that fired: loneliness" in out
    assert "Scores: loneliness 0.91, distress 0.12" in out
    assert "  route: respond" in out and "    social:" in out and "guidance: yes" in out
    assert "bob" not in out and "crisis" not in out


def test_trace_by_id_and_json(app, filled):
    result = runner.invoke(app, ["trace", "turn-2", "--json"])
    assert result.exit_code == 0 and json.loads(result.output)["turn_id"] == "turn-2"
    result = runner.invoke(app, ["trace", "bob-1"])  # someone else's turn is not found
    assert result.exit_code == 1 and "no turn with id 'bob-1'" in result.output
    assert "Traceback" not in result.output


def test_trace_before_any_turn(app):
    result = runner.invoke(app, ["trace"])
    assert result.exit_code == 0 and "No turns yet" in result.output


def test_bad_settings_give_a_message_not_a_traceback(app, monkeypatch):
    monkeypatch.setenv("COMPANION_USER_ID", "not a valid id!")
    result = runner.invoke(app, ["state"])
    assert result.exit_code == 1
    assert "invalid settings" in result.output and "user_id" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
