from pathlib import Path

import pytest
from pydantic import ValidationError

from companion.config import BUNDLED_MODEL, ConfigFileError, load_settings, use_cli_flags


def write_toml(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_run_offline():
    s = load_settings()
    assert s.model == BUNDLED_MODEL
    assert s.modules == ["autonomy", "wellbeing", "social", "transparency"]
    assert s.max_message_chars == 8000


def test_precedence_cli_over_env_over_toml(tmp_path, monkeypatch):
    toml = write_toml(
        tmp_path / "c.toml", 'model = "from/toml"\npersona = "calm"\nuser_id = "toml-user"\n'
    )
    assert load_settings(config_file=toml).model == "from/toml"
    monkeypatch.setenv("COMPANION_MODEL", "from/env")
    s = load_settings(config_file=toml)
    assert (s.model, s.persona, s.user_id) == ("from/env", "calm", "toml-user")
    assert load_settings(config_file=toml, model="from/cli").model == "from/cli"


def test_global_cli_flags_reach_every_command(monkeypatch):
    monkeypatch.setenv("COMPANION_MODEL", "from/env")
    use_cli_flags(model="from/flag")
    try:
        assert load_settings().model == "from/flag"
        assert load_settings(model="explicit").model == "explicit"
    finally:
        use_cli_flags()


def test_toml_found_in_working_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write_toml(tmp_path / "companion.toml", 'locale = "GB"\n')
    assert load_settings().locale == "GB"


def test_modules_from_comma_separated_env(monkeypatch):
    monkeypatch.setenv("COMPANION_MODULES", "social, autonomy,social")
    assert load_settings().modules == ["social", "autonomy"]


def test_secret_is_masked(monkeypatch):
    monkeypatch.setenv("COMPANION_API_KEY", "sk-abcdefghijklmnop")
    shown = load_settings().masked()
    assert "abcdefghijkl" not in str(shown)
    assert shown["api_key"].startswith("sk-")


@pytest.mark.parametrize(
    "field,value", [("user_id", "../etc"), ("max_message_chars", 0), ("modules", "bad-name!")]
)
def test_bad_values_are_rejected(field, value):
    with pytest.raises(ValidationError):
        load_settings(**{field: value})


def test_missing_config_file_is_a_clear_error(tmp_path):
    with pytest.raises(ConfigFileError, match="not found"):
        load_settings(config_file=tmp_path / "nope.toml")
