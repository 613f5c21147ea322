"""`companion bench ...`: the benchmark scripts under benchmarks/, reachable from the CLI."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from typing import Annotated

import typer

app = typer.Typer(help="Measure quality and speed (numbers come from benchmarks/).")


@app.callback()
def _group() -> None:
    """Measure quality and speed (numbers come from benchmarks/)."""


_SCRIPTS = Path(__file__).resolve().parents[2] / "benchmarks"


def _load(name: str):  # noqa: ANN202 - a module object
    path = _SCRIPTS / f"{name}.py"
    if not path.is_file():
        raise FileNotFoundError(f"benchmark script not found: {path} (run from a source checkout)")
    spec = importlib.util.spec_from_file_location(f"benchmarks_{name}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@app.command()
def memory(
    locomo: Annotated[Path | None, typer.Option(help="Path to locomo10.zip.")] = None,
    scale: Annotated[bool, typer.Option(help="Also measure 1k..100k memories.")] = False,
    sizes: Annotated[str, typer.Option(help="Scale sizes, comma-separated.")] = "1000,10000,100000",
    json_path: Annotated[Path | None, typer.Option("--json", help="Also write JSON here.")] = None,
) -> None:
    """LoCoMo evidence recall, ingest time and query latency; memory scale with --scale."""
    try:
        if locomo is None and not scale:
            raise ValueError("give --locomo PATH and/or --scale")
        if locomo is not None and not locomo.is_file():
            raise FileNotFoundError(f"LoCoMo file not found: {locomo}")
        size_list = [int(s) for s in sizes.split(",") if s.strip()]
        from companion.embeddings import get_embedder

        bench = _load("bench_memory")
        result = bench.run(locomo, scale, size_list, get_embedder())
    except (ValueError, OSError) as exc:
        typer.secho(f"error: {exc}", err=True, fg=typer.colors.RED)
        raise typer.Exit(1) from None
    bench.print_tables(result)
    if json_path is not None:
        json_path.write_text(json.dumps(result, indent=2))
        typer.echo(f"wrote {json_path}")
