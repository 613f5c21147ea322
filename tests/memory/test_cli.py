"""The CLI against a real store in a temporary data dir (fake embedder, no companion.stores)."""

import json
import sys
import types
from datetime import UTC, datetime

import pytest
from typer.testing import CliRunner

from companion.commands import memory as cli
from companion.config import Settings
from memory import MemoryStore

T0 = datetime(2026, 3, 2, 18, 0, tzinfo=UTC)
runner = CliRunner()


@pytest.fixture
def env(tmp_path, fake_embedder, monkeypatch):
    settings = Settings(data_dir=tmp_path / "data", user_id="ana")
    monkeypatch.setattr(cli, "_settings", lambda: settings)
    monkeypatch.setattr(
        cli, "build_store", lambda s: MemoryStore(s.data_dir / "memory", fake_embedder)
    )
    stores = types.ModuleType("companion.stores")
    stores.user_data_stores = lambda s: [cli.build_store(s)]
    monkeypatch.setitem(sys.modules, "companion.stores", stores)
    store = cli.build_store(settings)
    record = store.remember_turn("ana", "I adopted a grey cat called Miso.", "t1", T0)[0]
    store.remember_turn("bo", "I collect old maps of Iceland.", "b1", T0)
    return store, record


def run(*args, input=None):
    return runner.invoke(cli.app, list(args), input=input)


def test_list_search_show(env):
    store, record = env
    out = run("list")
    assert out.exit_code == 0 and "grey cat called Miso" in out.output
    assert "Iceland" not in out.output
    out = run("search", "cat", "--json")
    assert json.loads(out.output)[0]["record"]["id"] == record.id
    out = run("show", record.id[:12])
    assert out.exit_code == 0 and json.loads(out.output)["source_turn_ids"] == ["t1"]


def test_errors_are_one_line_with_exit_code_1(env):
    for args in (
        ("show", "nope"),
        ("delete", "nope"),
        ("edit", env[1].id, "   "),
        ("list", "--user", "../x"),
        ("forget",),
        ("import", "/does/not/exist.json"),
    ):
        out = run(*args)
        assert out.exit_code == 1, args
        assert "error:" in out.output and "Traceback" not in out.output, args


def test_edit_and_delete(env):
    store, record = env
    assert run("edit", record.id, "I adopted two grey cats.").exit_code == 0
    assert store.get("ana", record.id).text == "I adopted two grey cats."
    assert run("delete", record.id).exit_code == 0
    assert store.list("ana") == []


def test_forget_asks_first(env):
    store, _ = env
    out = run("forget", "--all", input="n\n")
    assert "Nothing erased" in out.output and len(store.list("ana")) == 1
    out = run("forget", "--all", "--yes")
    assert out.exit_code == 0 and "memories 1" in out.output
    assert store.list("ana") == [] and len(store.list("bo")) == 1


def test_export_then_import(env, tmp_path):
    store, record = env
    path = tmp_path / "ana.json"
    assert run("export", "-o", str(path)).exit_code == 0
    data = json.loads(path.read_text())
    assert [r["id"] for r in data["stores"]["memories"]["records"]] == [record.id]
    assert run("export", "-o", str(path)).exit_code == 1  # no silent overwrite
    assert run("import", str(path), "--user", "ana-copy").exit_code == 0
    assert [r.text for r in store.list("ana-copy")] == [record.text]
    path.write_text("{not json")
    assert run("import", str(path)).exit_code == 1


def test_consolidate_command(env):
    out = run("consolidate")
    assert out.exit_code == 0 and out.output.startswith("ana: episodes 0")


def test_bench_command_errors_cleanly():
    from companion.commands.bench import app as bench_app

    out = runner.invoke(bench_app, ["memory", "--locomo", "/does/not/exist.zip"])
    assert out.exit_code == 1 and "not found" in out.output
