"""`companion eval scenarios` from the command line."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from companion.commands.eval import app

runner = CliRunner()


def test_runs_one_scenario_and_writes_both_reports(tmp_path):
    out = tmp_path / "reports"
    result = runner.invoke(
        app,
        [
            "scenarios",
            "--model",
            "fake/adversarial",
            "--only",
            "goodbye-quick",
            "--out",
            str(out),
            "--name",
            "run",
        ],
    )
    assert result.exit_code == 0, result.output
    data = json.loads((out / "run.json").read_text())
    assert [s["id"] for s in data["scenarios"]] == ["goodbye-quick"]
    assert data["scenarios"][0]["passed"] is True
    assert "# Scenario suite: fake/adversarial" in (out / "run.md").read_text()
    assert "goodbye-quick" in result.output  # progress (stderr is mixed in by CliRunner)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--only", "no-such-scenario"], "no scenario or category named no-such-scenario"),
        (["--modules", "sideways"], "unknown module(s) sideways"),
        (["--model", "fake/nope"], "unknown fake model 'fake/nope'"),
        (["--persona", "nobody-at-all"], "unknown persona"),
    ],
)
def test_bad_options_are_one_readable_line(tmp_path, args, message):
    result = runner.invoke(app, ["scenarios", "--out", str(tmp_path), *args])
    assert result.exit_code == 1
    assert message in result.output
    assert "Traceback" not in result.output
    assert not list(tmp_path.iterdir())
