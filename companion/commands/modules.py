"""``companion modules``: see and change which alignment modules run for you."""

from __future__ import annotations

from typing import Annotated

import typer

app = typer.Typer(
    help="See and switch the alignment modules; opt out of nudge kinds.", no_args_is_help=False
)

NUDGE_KINDS = ("reach_out", "take_break", "sleep", "offline_balance")


def _companion():
    from companion.commands.common import settings_or_exit
    from companion.service import Companion

    return Companion(settings_or_exit())


@app.callback(invoke_without_command=True)
def show(ctx: typer.Context) -> None:
    """List the modules, whether each is on for you, and your nudge opt-outs."""
    if ctx.invoked_subcommand is not None:
        return
    from alignment.registry import load_modules

    companion = _companion()
    modules = load_modules()
    for name, on in companion.module_states().items():
        what = modules[name].description if name in modules else "always on: cannot be switched off"
        typer.echo(f"{name:<13} {'on ' if on else 'off'}  {what}")
    prefs = companion.stores.ledger.preferences(companion.user_id)
    typer.echo("\nnudges you opted out of: " + (", ".join(prefs.opted_out) or "none"))
    typer.echo(f"nudge frequency: {prefs.nudge_frequency}")


def _switch(name: str, enabled: bool) -> None:
    from alignment.ledger import LedgerError

    companion = _companion()
    try:
        companion.set_module(name, enabled)
    except (ValueError, LedgerError) as exc:
        typer.secho(f"Error: {exc}", err=True, fg=typer.colors.RED)
        raise typer.Exit(1) from None
    typer.echo(f"{name} is now {'on' if enabled else 'off'} for you, from the next reply.")


@app.command()
def enable(name: Annotated[str, typer.Argument(help="Module name.")]) -> None:
    """Switch a module on."""
    _switch(name, True)


@app.command()
def disable(name: Annotated[str, typer.Argument(help="Module name.")]) -> None:
    """Switch a module off (safety and guard cannot be switched off)."""
    _switch(name, False)


@app.command("opt-out")
def opt_out(
    kind: Annotated[str, typer.Argument(help=f"One of: {', '.join(NUDGE_KINDS)}.")],
) -> None:
    """Never offer this kind of nudge again."""
    if kind not in NUDGE_KINDS:
        typer.secho(
            f"Error: unknown nudge kind '{kind}' (one of {', '.join(NUDGE_KINDS)})",
            err=True,
            fg=typer.colors.RED,
        )
        raise typer.Exit(1)
    _companion().opt_out(kind)
    typer.echo(f"Done: no more '{kind}' nudges. 'companion modules opt-in {kind}' undoes it.")


@app.command("opt-in")
def opt_in(kind: Annotated[str, typer.Argument(help="A nudge kind you opted out of.")]) -> None:
    """Allow a nudge kind again."""
    _companion().opt_in(kind)
    typer.echo(f"'{kind}' nudges are allowed again.")
