"""The `companion assess` JSONL contract and `companion signals train` reproducibility."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from typer.testing import CliRunner

from alignment.signals import SIGNAL_NAMES
from alignment.signals.model import DEFAULT_MODEL_DIR
from companion.commands import signals

cli = typer.Typer()
cli.add_typer(signals.app, name="signals")
cli.command("assess")(signals.assess_command)
runner = CliRunner()


def test_assess_one_message_prints_a_table() -> None:
    result = runner.invoke(cli, ["assess", "I have nobody to talk to"])
    assert result.exit_code == 0, result.output
    line = next(row for row in result.stdout.splitlines() if "loneliness" in row)
    assert "yes" in line and "alone" in line


def test_assess_needs_exactly_one_input(tmp_path: Path) -> None:
    result = runner.invoke(cli, ["assess"])
    assert result.exit_code == 2 and "error:" in result.stderr
    result = runner.invoke(cli, ["assess", "--jsonl", str(tmp_path / "missing.jsonl")])
    assert result.exit_code == 2 and "no such file" in result.stderr


def test_assess_jsonl_contract(tmp_path: Path) -> None:
    lines = [
        json.dumps({"id": "a", "text": "ok gotta go, night!"}),
        "{not json",
        json.dumps({"id": "b"}),
        "",
        json.dumps({"id": 7, "text": "I want to kill myself"}),
        json.dumps({"id": "c", "text": ""}),
    ]
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(lines) + "\n")
    result = runner.invoke(cli, ["assess", "--jsonl", str(path)])
    assert result.exit_code == 1
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert [row["id"] for row in out] == ["a", 7, "c"]
    for row in out:
        assert list(row["signals"]) == list(SIGNAL_NAMES)
        assert set(row["fired"]) <= set(SIGNAL_NAMES)
    assert out[0]["fired"] == ["goodbye"]
    assert "crisis" in out[1]["fired"]
    assert out[2]["fired"] == []
    assert "line 2" in result.stderr and "invalid JSON" in result.stderr
    assert "line 3" in result.stderr and '"text" is missing' in result.stderr


def _small_dataset(folder: Path) -> None:
    """A slice of the shipped training data: enough for 5 folds, fast to train on."""
    rows = [json.loads(x) for x in (DEFAULT_MODEL_DIR / "train.jsonl").read_text().splitlines()]
    picked, counts = [], dict.fromkeys(SIGNAL_NAMES, 0)
    negatives = 0
    for row in rows:
        if not row["labels"] and negatives < 15:
            negatives += 1
            picked.append(row)
        elif row["labels"] and any(counts[n] < 5 for n in row["labels"]):
            picked.append(row)
            for name in row["labels"]:
                counts[name] += 1
    folder.mkdir()
    (folder / "train.jsonl").write_text("".join(json.dumps(r) + "\n" for r in picked))


def test_train_is_reproducible(tmp_path: Path) -> None:
    data = tmp_path / "data"
    _small_dataset(data)
    outputs = []
    for run in ("one", "two"):
        result = runner.invoke(
            cli, ["signals", "train", "--data-dir", str(data), "--out-dir", str(tmp_path / run)]
        )
        assert result.exit_code == 0, result.output
        assert "goodbye" in result.stdout
        outputs.append(json.loads((tmp_path / run / "model.json").read_text()))
    assert outputs[0]["thresholds"] == outputs[1]["thresholds"]
    assert outputs[0] == outputs[1]
    assert (tmp_path / "one" / "model.npz").read_bytes() == (
        tmp_path / "two" / "model.npz"
    ).read_bytes()
