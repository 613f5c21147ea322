"""Settings for the companion, from one pydantic-settings model.

Precedence, highest first:
1. CLI flags (passed to ``load_settings(**overrides)``);
2. environment variables ``COMPANION_*`` (e.g. ``COMPANION_MODEL``);
3. a TOML file: ``--config PATH``, else ``$COMPANION_CONFIG``, else ``companion.toml`` in the
   current directory, else ``<config home>/companion/companion.toml``;
4. the defaults below.

Model provider keys are *not* settings: litellm reads them from the usual variables
(``OPENAI_API_KEY``, ``ANTHROPIC_API_KEY`` ...), so nothing here needs to know every provider.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Any

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import (
    BaseSettings,
    NoDecode,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

BUNDLED_MODEL = "local/smollm2"
BUNDLED_EMBEDDER = "local/all-minilm-l6-v2"
SWITCHABLE_MODULES = ("autonomy", "wellbeing", "social", "transparency")
ALWAYS_ON_MODULES = ("safety", "guard")


def _xdg(var: str, fallback: str) -> Path:
    return Path(os.environ.get(var) or Path.home() / fallback)


def default_data_dir() -> Path:
    return _xdg("XDG_DATA_HOME", ".local/share") / "companion"


def default_config_file() -> Path | None:
    """The TOML file to read when none is named explicitly (None when there is none)."""
    explicit = os.environ.get("COMPANION_CONFIG")
    if explicit:
        return Path(explicit)
    for candidate in (
        Path("companion.toml"),
        _xdg("XDG_CONFIG_HOME", ".config") / "companion" / "companion.toml",
    ):
        if candidate.is_file():
            return candidate
    return None


class Settings(BaseSettings):
    """Everything a deployment may want to change, with defaults that run offline."""

    model_config = SettingsConfigDict(env_prefix="COMPANION_", extra="forbid")

    model: str = Field(
        BUNDLED_MODEL,
        description="Any litellm model string (openai/gpt-4o-mini, ollama/llama3.2, ...) "
        "or local/smollm2 for the bundled offline model.",
    )
    api_base: str | None = Field(None, description="Override the provider's endpoint URL.")
    api_key: SecretStr | None = Field(
        None, description="Key for api_base; usually leave unset and use the provider's variable."
    )
    embedding_model: str = Field(
        BUNDLED_EMBEDDER, description="local/all-minilm-l6-v2 or any litellm embedding model."
    )
    data_dir: Path = Field(default_factory=default_data_dir)
    persona: str = Field("default", description="A shipped persona name or a path to a text file.")
    # NoDecode: the environment gives "social,autonomy", not JSON.
    modules: Annotated[list[str], NoDecode] = Field(
        default_factory=lambda: list(SWITCHABLE_MODULES)
    )
    user_id: str = "local"
    timezone: str | None = Field(None, description="IANA zone, e.g. Europe/London; None = system.")
    locale: str = Field("US", description="Country code used for crisis resources.")
    minor: bool = Field(False, description="Adds break reminders to the AI disclosure.")
    max_message_chars: int = Field(8000, ge=1)
    max_reply_tokens: int = Field(400, ge=16)
    temperature: float = Field(0.7, ge=0, le=2)
    request_timeout: float = Field(60.0, gt=0, description="Seconds before a model call gives up.")
    num_retries: int = Field(2, ge=0, description="litellm retries for transient errors.")
    history_turns: int = Field(12, ge=1, description="Recent messages sent to the model.")
    chroma_url: str | None = Field(
        None, description="Use a Chroma server instead of the embedded store."
    )
    ledger_url: str | None = Field(
        None, description="SQLAlchemy URL of the ledger; default SQLite in data_dir."
    )
    jobs_url: str | None = Field(
        None, description="SQLAlchemy URL of the job store; default SQLite in data_dir."
    )
    run_scheduler: bool = Field(
        True, description="Run background jobs inside `serve` (off when a `worker` runs them)."
    )

    @field_validator("modules", mode="before")
    @classmethod
    def _split_modules(cls, value: Any) -> Any:
        if isinstance(value, str):
            return [m.strip() for m in value.split(",") if m.strip()]
        return value

    @field_validator("modules")
    @classmethod
    def _known_modules(cls, value: list[str]) -> list[str]:
        unknown = [m for m in value if m not in SWITCHABLE_MODULES]
        # Third-party modules register through entry points; accept names that look sane.
        bad = [m for m in unknown if not m.replace("_", "").isalnum()]
        if bad:
            raise ValueError(f"module names must be letters, digits or _: {bad}")
        return list(dict.fromkeys(value))

    @field_validator("user_id")
    @classmethod
    def _safe_user_id(cls, value: str) -> str:
        value = value.strip()
        if not value or len(value) > 64 or not all(c.isalnum() or c in "-_." for c in value):
            raise ValueError("user_id must be 1-64 characters of letters, digits, '-', '_' or '.'")
        return value

    @field_validator("data_dir")
    @classmethod
    def _expand(cls, value: Path) -> Path:
        return Path(value).expanduser()

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        toml_file = _CONFIG_FILE_OVERRIDE or default_config_file()
        sources: list[PydanticBaseSettingsSource] = [init_settings, env_settings]
        if toml_file is not None:
            sources.append(TomlConfigSettingsSource(settings_cls, toml_file=toml_file))
        return tuple(sources)

    def masked(self) -> dict[str, Any]:
        """The effective settings as plain data, with secrets hidden (for `companion config`)."""
        data = self.model_dump(mode="json")
        if self.api_key is not None:
            data["api_key"] = mask(self.api_key.get_secret_value())
        return data


_CONFIG_FILE_OVERRIDE: Path | None = None
_CLI_FLAGS: dict[str, Any] = {}
_CLI_CONFIG_FILE: Path | None = None


def use_cli_flags(config_file: Path | None = None, **flags: Any) -> None:
    """Remember the global CLI flags so every command's ``load_settings()`` honours them."""
    global _CLI_CONFIG_FILE
    _CLI_FLAGS.clear()
    _CLI_FLAGS.update({k: v for k, v in flags.items() if v is not None})
    _CLI_CONFIG_FILE = config_file


class ConfigFileError(ValueError):
    """The TOML file named on the command line does not exist or cannot be read."""


def mask(secret: str) -> str:
    return "****" if len(secret) < 12 else f"{secret[:3]}…{secret[-4:]}"


def load_settings(config_file: Path | None = None, **overrides: Any) -> Settings:
    """Build settings; ``overrides`` are CLI flags (None values are ignored).

    Flags given to the ``companion`` command itself (``--model`` ...) apply too, below
    ``overrides``.
    """
    global _CONFIG_FILE_OVERRIDE
    config_file = config_file or _CLI_CONFIG_FILE
    overrides = {**_CLI_FLAGS, **{k: v for k, v in overrides.items() if v is not None}}
    if config_file is not None and not Path(config_file).is_file():
        raise ConfigFileError(f"config file not found: {config_file}")
    _CONFIG_FILE_OVERRIDE = Path(config_file) if config_file else None
    try:
        return Settings(**{k: v for k, v in overrides.items() if v is not None})
    finally:
        _CONFIG_FILE_OVERRIDE = None


def provider_key_status() -> dict[str, str]:
    """Which well-known provider keys are set in the environment, masked."""
    names = (
        "OPENAI_API_KEY",
        "ANTHROPIC_API_KEY",
        "GEMINI_API_KEY",
        "MISTRAL_API_KEY",
        "GROQ_API_KEY",
        "OPENROUTER_API_KEY",
        "OLLAMA_API_BASE",
    )
    return {
        n: (mask(os.environ[n]) if "KEY" in n else os.environ[n])
        for n in names
        if os.environ.get(n)
    }
