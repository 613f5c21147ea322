import json
import subprocess
import sys

from typer.testing import CliRunner

from companion import __version__
from companion.cli import app
from companion.config import use_cli_flags

runner = CliRunner()


def invoke(*args, **kwargs):
    try:
        return runner.invoke(app, list(args), **kwargs)
    finally:
        use_cli_flags()  # the callback stores global flags; do not leak them between tests


def test_version_and_help():
    assert __version__ in invoke("--version").output
    help_text = invoke("--help").output
    for command in ("chat", "serve", "config"):
        assert command in help_text


def test_config_prints_effective_settings_with_masked_secrets(monkeypatch, tmp_path):
    monkeypatch.setenv("COMPANION_API_KEY", "sk-supersecretvalue123")
    monkeypatch.setenv("OPENAI_API_KEY", "sk-anothersecret98765")
    result = invoke(
        "--model", "openai/gpt-4o-mini", "--data-dir", str(tmp_path), "config", "--json"
    )
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert data["settings"]["model"] == "openai/gpt-4o-mini"
    assert "supersecret" not in result.output and "anothersecret" not in result.output
    assert "OPENAI_API_KEY" in data["provider_keys"]


def test_invalid_setting_is_one_clear_line_and_exit_1(monkeypatch):
    monkeypatch.setenv("COMPANION_MAX_MESSAGE_CHARS", "lots")
    result = invoke("config")
    assert result.exit_code == 1
    assert "max_message_chars" in result.output
    assert "Traceback" not in result.output


def test_unknown_persona_is_a_clear_error(tmp_path):
    result = invoke(
        "--persona",
        "nobody-here",
        "--data-dir",
        str(tmp_path),
        "--model",
        "fake/echo",
        "chat",
        input="hi\n",
    )
    assert result.exit_code == 1
    assert "unknown persona" in result.output


def test_chat_from_a_pipe_with_bad_bytes_and_empty_lines(tmp_path):
    """A real process, so stdin is a real pipe of raw bytes."""
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "companion.cli",
            "--model",
            "fake/echo",
            "--data-dir",
            str(tmp_path),
            "chat",
        ],
        input=b"hello\n\n\xff\xfe broken \x01 bytes\n",
        capture_output=True,
        timeout=120,
    )
    out = proc.stdout.decode()
    assert proc.returncode == 0, proc.stderr.decode()[-2000:]
    assert 'You said: "hello"' in out
    assert "Type something" in out  # the empty line got a gentle prompt
    assert "broken" in out and "Traceback" not in proc.stderr.decode()


def test_chat_continues_the_same_thread_across_runs(tmp_path):
    args = ["--model", "fake/echo", "--data-dir", str(tmp_path), "chat", "--thread", "t"]
    invoke(*args, input="first\n")
    invoke(*args, input="second\n/why\n")
    from companion.config import load_settings
    from companion.service import Companion

    history = Companion(load_settings(data_dir=tmp_path, model="fake/echo")).history("t")
    assert [m["content"] for m in history if m["role"] == "user"] == ["first", "second"]
