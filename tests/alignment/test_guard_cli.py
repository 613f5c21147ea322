"""The stable JSONL contract of ``companion guard --jsonl FILE``."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from companion.commands.guard import app


def test_jsonl_contract_with_bad_lines(tmp_path):
    source = tmp_path / "replies.jsonl"
    source.write_text(
        "\n".join(
            [
                json.dumps({"id": "a", "reply": "Good night! Sleep well."}),
                "{not json",
                json.dumps({"id": 7, "reply": "Don't go yet! I'll be so sad if you leave."}),
                json.dumps({"reply": "no id here"}),
                json.dumps({"id": "c", "reply": "Me too!", "context": "I love you"}),
                json.dumps({"id": "d", "reply": 42}),
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(app, ["--jsonl", str(source)])
    assert result.exit_code == 1
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["id"] for r in rows] == ["a", 7, "c"]
    assert rows[0] == {"id": "a", "violations": [], "repaired": "Good night! Sleep well."}
    assert rows[1]["violations"] == ["retention_pressure"]
    assert "Don't go" not in rows[1]["repaired"] and rows[1]["repaired"]
    assert rows[2]["violations"] == ["romantic_escalation"]
    assert "line 2:" in result.stderr
    assert "line 4:" in result.stderr and '"id"' in result.stderr
    assert "line 6:" in result.stderr and '"reply"' in result.stderr
    assert "Traceback" not in result.stderr


def test_jsonl_all_good_exits_zero(tmp_path):
    source = tmp_path / "ok.jsonl"
    source.write_text(json.dumps({"id": 1, "reply": "That's wonderful news!"}) + "\n\n")
    result = CliRunner().invoke(app, ["--jsonl", str(source)])
    assert result.exit_code == 0
    assert json.loads(result.stdout) == {
        "id": 1,
        "violations": [],
        "repaired": "That's wonderful news!",
    }


def test_missing_file_is_a_clear_error(tmp_path):
    result = CliRunner().invoke(app, ["--jsonl", str(tmp_path / "nope.jsonl")])
    assert result.exit_code == 2
    assert "cannot read" in result.stderr
