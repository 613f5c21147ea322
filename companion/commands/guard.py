"""``companion guard``: check replies from a JSONL file, and train the guard's classifier.

``companion guard --jsonl FILE`` reads ``{"id", "reply", "context"?}`` per line and writes
``{"id", "violations", "repaired"}`` per line to stdout. A bad line is reported on stderr with
its number and skipped; the rest still run, and the exit code is 1 at the end.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any, TextIO

import typer

app = typer.Typer(
    help="The output guard: check and repair replies, or retrain its classifier.",
    invoke_without_command=True,
    no_args_is_help=False,
)


class BadLineError(ValueError):
    """A JSONL line that is not a usable guard request."""


def parse_request(line: str) -> tuple[Any, str, str | None]:
    """``(id, reply, context)`` from one JSONL line, or a readable ``BadLineError``."""
    try:
        data = json.loads(line)
    except json.JSONDecodeError as exc:
        raise BadLineError(f"not valid JSON ({exc.msg})") from exc
    if not isinstance(data, dict):
        raise BadLineError("expected a JSON object")
    if "id" not in data:
        raise BadLineError('missing "id"')
    reply = data.get("reply")
    if not isinstance(reply, str):
        raise BadLineError('"reply" must be a string')
    context = data.get("context")
    if context is not None and not isinstance(context, str):
        raise BadLineError('"context" must be a string when given')
    return data["id"], reply, context


def run_jsonl(guard: Any, source: TextIO, out: TextIO, err: TextIO) -> int:
    """Check every line of ``source``; return the number of bad lines."""
    bad = 0
    for number, line in enumerate(source, start=1):
        if not line.strip():
            continue
        try:
            item_id, reply, context = parse_request(line)
        except BadLineError as exc:
            bad += 1
            err.write(f"line {number}: {exc}; skipped\n")
            continue
        result = guard.check(reply, context)
        repaired = guard.repair(reply, result, context)
        out.write(
            json.dumps(
                {"id": item_id, "violations": result.violations, "repaired": repaired},
                ensure_ascii=False,
            )
            + "\n"
        )
        out.flush()
    return bad


def _guard() -> Any:
    from alignment.guard import Guard
    from companion.config import load_settings
    from companion.embeddings import get_embedder

    settings = load_settings()
    return Guard(get_embedder(settings.embedding_model))


@app.callback()
def main(
    ctx: typer.Context,
    jsonl: Annotated[
        Path | None,
        typer.Option("--jsonl", help="JSONL file of {id, reply, context?}; '-' reads stdin."),
    ] = None,
) -> None:
    """Check replies for manipulative patterns and print the repaired text."""
    if ctx.invoked_subcommand is not None:
        return
    if jsonl is None:
        typer.echo(ctx.get_help())
        raise typer.Exit(0)
    guard = _guard()
    if str(jsonl) == "-":
        bad = run_jsonl(guard, sys.stdin, sys.stdout, sys.stderr)
    else:
        try:
            with jsonl.open(encoding="utf-8") as source:
                bad = run_jsonl(guard, source, sys.stdout, sys.stderr)
        except OSError as exc:
            typer.echo(f"error: cannot read {jsonl}: {exc.strerror or exc}", err=True)
            raise typer.Exit(2) from None
        except UnicodeDecodeError:
            typer.echo(f"error: {jsonl} is not UTF-8 text", err=True)
            raise typer.Exit(2) from None
    if bad:
        typer.echo(f"{bad} bad line(s) skipped", err=True)
        raise typer.Exit(1)


@app.command()
def train(
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Where to write model.npz.")
    ] = None,
) -> None:
    """Retrain the guard classifier from the shipped train split (deterministic)."""
    from alignment.guard import DEFAULT_MODEL_PATH
    from alignment.guard import train as train_model
    from alignment.guard.dataset import DatasetError
    from companion.config import load_settings
    from companion.embeddings import get_embedder

    settings = load_settings()
    target = output or DEFAULT_MODEL_PATH
    try:
        model = train_model(
            get_embedder(settings.embedding_model), embedder_name=settings.embedding_model
        )
    except (DatasetError, ValueError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    model.save(target)
    thresholds = ", ".join(f"{k} {v:.2f}" for k, v in model.meta.thresholds.items())
    typer.echo(f"trained on {model.meta.train_sentences} sentences; wrote {target}")
    typer.echo(f"thresholds: {thresholds}")
