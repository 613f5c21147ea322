"""The ``companion`` command. Command groups live in ``companion/commands/``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from companion import __version__
from companion.commands.common import fail, settings_or_exit
from companion.config import provider_key_status, use_cli_flags

app = typer.Typer(
    help="A companion that supports your autonomy, wellbeing and relationships, transparently.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"companion {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    model: Annotated[
        str | None, typer.Option(help="litellm model string, e.g. openai/gpt-4o-mini.")
    ] = None,
    persona: Annotated[
        str | None, typer.Option(help="Shipped persona name or a text file.")
    ] = None,
    data_dir: Annotated[
        Path | None, typer.Option(help="Where conversations and memories live.")
    ] = None,
    user: Annotated[str | None, typer.Option("--user", help="User id.")] = None,
    modules: Annotated[str | None, typer.Option(help="Comma-separated modules to enable.")] = None,
    config: Annotated[Path | None, typer.Option(help="TOML settings file.")] = None,
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
) -> None:
    """Flags here override environment variables, which override the TOML file."""
    use_cli_flags(
        config, model=model, persona=persona, data_dir=data_dir, user_id=user, modules=modules
    )


@app.command("config")
def show_config(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Print the effective settings (secrets masked) and which provider keys are set."""
    settings = settings_or_exit()
    data = settings.masked()
    keys = provider_key_status()
    if as_json:
        typer.echo(json.dumps({"settings": data, "provider_keys": keys}, indent=2))
        return
    width = max(map(len, data))
    for name, value in data.items():
        typer.echo(f"{name:<{width}}  {value}")
    typer.echo("\nprovider keys: " + (", ".join(f"{k}={v}" for k, v in keys.items()) or "none set"))


@app.command()
def chat(
    thread: Annotated[
        str, typer.Option(help="Conversation id; the same id continues it.")
    ] = "default",
) -> None:
    """Chat in the terminal. Replies stream as they are written."""
    from companion.prompts import PersonaNotFound
    from companion.service import Companion
    from companion.terminal import run_chat

    settings = settings_or_exit()
    try:
        companion = Companion(settings)
    except PersonaNotFound as exc:
        raise fail(str(exc)) from None
    companion.warm_up_in_background()
    try:
        run_chat(companion, thread)
    except KeyboardInterrupt:
        typer.echo("\nBye for now.")
    finally:
        companion.close()


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port.")] = 7860,
    accounts: Annotated[
        bool,
        typer.Option(help="Sign-in with per-user accounts (create them: companion accounts add)."),
    ] = False,
) -> None:
    """Open the companion in the browser (Gradio), with the background jobs running."""
    from companion.prompts import PersonaNotFound
    from companion.service import Companion
    from companion.stores import open_stores
    from ui.app import build_app
    from ui.app import serve as serve_app

    settings = settings_or_exit()
    try:
        companion = Companion(settings, stores=open_stores(settings, run_jobs=True))
        app_ = build_app(settings, companion, accounts=accounts)
    except PersonaNotFound as exc:
        raise fail(str(exc)) from None
    companion.warm_up_in_background()
    try:
        serve_app(app_, settings, host, port, accounts=accounts)
    finally:
        companion.close()


@app.command()
def warmup(
    skip_model: Annotated[bool, typer.Option(help="Do not load the bundled chat model.")] = False,
) -> None:
    """Prepare the offline models once (embedder to ONNX) and check the bundled model loads."""
    import time

    from companion.embeddings import get_embedder

    settings = settings_or_exit()
    started = time.perf_counter()
    embedder = get_embedder(settings.embedding_model)
    embedder.embed(["warm-up"])
    typer.echo(f"embedder ready: {embedder.name} ({time.perf_counter() - started:.1f} s)")
    if skip_model or settings.model != "local/smollm2":
        return
    from companion.local_model import BundledModelMissing, bundled_model

    started = time.perf_counter()
    try:
        _ = bundled_model().base_url
    except BundledModelMissing as exc:
        raise fail(str(exc)) from None
    typer.echo(
        f"bundled model ready: SmolLM2-135M-Instruct ({time.perf_counter() - started:.1f} s)"
    )


def _mount_command_groups() -> None:
    """Each feature's commands live in companion/commands/; this is their one list."""
    from companion.commands import bench, guard, jobs, memory, modules, signals, state
    from companion.commands import eval as eval_commands
    from ui.accounts import cli as accounts_cli

    app.add_typer(memory.app, name="memory")
    app.add_typer(modules.app, name="modules")
    app.add_typer(signals.app, name="signals")
    app.command("assess")(signals.assess_command)
    app.add_typer(guard.app, name="guard")
    state.register(app)  # state, trace
    app.add_typer(jobs.app, name="jobs")
    app.command("worker")(jobs.worker_command)
    app.command("checkin")(jobs.checkin_command)
    app.command("inbox")(jobs.inbox_command)
    app.add_typer(eval_commands.app, name="eval")
    app.add_typer(accounts_cli, name="accounts")
    app.add_typer(bench.app, name="bench")


_mount_command_groups()

if __name__ == "__main__":  # pragma: no cover
    app()
