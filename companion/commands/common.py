"""What every command shares: one way to fail, one way to read settings."""

from __future__ import annotations

import typer
from pydantic import ValidationError

from companion.config import ConfigFileError, Settings, load_settings


def fail(message: str, code: int = 1) -> typer.Exit:
    """Print one red line on stderr; raise the returned Exit to stop with ``code``."""
    typer.secho(f"Error: {message}", err=True, fg=typer.colors.RED)
    return typer.Exit(code=code)


def settings_or_exit(**overrides) -> Settings:
    """Settings from every source, or a readable error and exit code 1 (never a traceback)."""
    try:
        return load_settings(**overrides)
    except ConfigFileError as exc:
        raise fail(str(exc)) from None
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(map(str, e['loc'])) or 'settings'}: {e['msg']}" for e in exc.errors()
        )
        raise fail(f"invalid settings: {problems}") from None
    except Exception as exc:  # e.g. a malformed TOML file
        raise fail(f"could not read settings: {exc}") from None
