"""`companion signals train` and `companion assess` (the lead mounts both in cli.py).

app.add_typer(signals.app, name="signals")
app.command("assess")(signals.assess_command)
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from alignment.signals import SIGNAL_NAMES, SignalDetector, SignalError, SignalReport
from alignment.signals.model import DEFAULT_MODEL_DIR

app = typer.Typer(help="The per-message signal detectors (crisis, loneliness, dependence ...).")

BATCH = 64  # lines embedded together: fast, with bounded memory on huge files


def _embedder():  # noqa: ANN202 - the embedder type lives in companion.embeddings
    from companion.embeddings import get_embedder

    return get_embedder()


def _fail(message: str, code: int = 2) -> typer.Exit:
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(code)


@app.command("train")
def train_command(
    data_dir: Annotated[
        Path, typer.Option(help="Folder with train.jsonl (and test.jsonl, only for reporting).")
    ] = DEFAULT_MODEL_DIR,
    out_dir: Annotated[
        Path | None, typer.Option(help="Where to write model.npz/model.json (default: data-dir).")
    ] = None,
) -> None:
    """Retrain the signal classifiers and print validation (and held-out test) numbers."""
    from alignment.signals.training import train

    try:
        result = train(_embedder(), data_dir=data_dir, out_dir=out_dir)
    except SignalError as exc:
        raise _fail(str(exc)) from None
    meta = result.model.meta
    table = Table(title=f"signal classifiers (C={meta.regularisation_c}, {meta.train_rows} rows)")
    for column in (
        "signal",
        "thr",
        "val P",
        "val R",
        "val F1",
        "test P",
        "test R",
        "test F1",
    ):
        if column == "signal":
            table.add_column(column, no_wrap=True, min_width=19)
        else:
            table.add_column(column, justify="right")
    for name in SIGNAL_NAMES:
        val, test = result.validation[name], result.test.get(name)
        table.add_row(
            name,
            f"{meta.thresholds[name]:.2f}",
            f"{val.precision:.2f}",
            f"{val.recall:.2f}",
            f"{val.f1:.2f}",
            *(
                (f"{test.precision:.2f}", f"{test.recall:.2f}", f"{test.f1:.2f}")
                if test
                else ("-", "-", "-")
            ),
        )
    console = Console()
    console.print(table)
    console.print(f"saved to {out_dir or data_dir}")


def _print_report(report: SignalReport) -> None:
    table = Table(show_lines=False)
    table.add_column("signal", no_wrap=True, min_width=19)
    table.add_column("score", justify="right")
    table.add_column("fired")
    table.add_column("reason")
    for name in SIGNAL_NAMES:
        fired = name in report.fired
        table.add_row(
            name,
            f"{report.scores.get(name, 0.0):.2f}",
            "yes" if fired else "",
            report.reasons.get(name, "") if fired else "",
        )
    Console().print(table)


def _read_jsonl(path: Path) -> Iterator[tuple[int, Any, str | None, str | None]]:
    """Yield (line number, id, text, error) for each non-blank line."""
    with path.open(encoding="utf-8", errors="replace") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                yield number, None, None, f"invalid JSON ({exc.msg})"
                continue
            if not isinstance(row, dict):
                yield number, None, None, 'expected an object like {"id": ..., "text": ...}'
            elif not isinstance(row.get("text"), str):
                what = "missing" if "text" not in row else "not a string"
                yield number, row.get("id"), None, f'"text" is {what}'
            else:
                yield number, row.get("id", number), row["text"], None


def _assess_jsonl(detector: SignalDetector, path: Path) -> int:
    """Write one result line per good input line; returns how many lines were bad."""
    bad = 0
    batch: list[tuple[Any, str]] = []

    def flush() -> None:
        reports = detector.assess_many([text for _, text in batch])
        for (row_id, _), report in zip(batch, reports, strict=True):
            sys.stdout.write(
                json.dumps({"id": row_id, "signals": report.scores, "fired": report.fired}) + "\n"
            )
        sys.stdout.flush()
        batch.clear()

    for number, row_id, text, error in _read_jsonl(path):
        if error is not None:
            bad += 1
            typer.echo(f"{path}: line {number}: {error}; skipped", err=True)
            continue
        batch.append((row_id, text))
        if len(batch) >= BATCH:
            flush()
    if batch:
        flush()
    return bad


def assess_command(
    message: Annotated[str | None, typer.Argument(help="One message to assess.")] = None,
    jsonl: Annotated[
        Path | None,
        typer.Option(
            "--jsonl", help='File of lines {"id": ..., "text": ...}; writes one JSON line each.'
        ),
    ] = None,
) -> None:
    """Show which signals a message carries (or score a JSONL file of messages)."""
    if (message is None) == (jsonl is None):
        raise _fail('give either a message or --jsonl FILE, e.g. companion assess "hi there"')
    if jsonl is not None and not jsonl.is_file():
        raise _fail(f"no such file: {jsonl}")
    try:
        detector = SignalDetector(_embedder())
        if jsonl is None:
            _print_report(detector.assess(message or ""))
            return
        bad = _assess_jsonl(detector, jsonl)
    except SignalError as exc:
        raise _fail(str(exc)) from None
    if bad:
        typer.echo(f"{bad} bad line(s) in {jsonl}", err=True)
        raise typer.Exit(1)
