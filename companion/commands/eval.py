"""`companion eval scenarios`: play the scenario suite through the real graph and report."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated

import typer

app = typer.Typer(help="Measure the companion's behaviour on scripted scenarios.")


@app.callback()
def main() -> None:
    """Scenario suite commands (kept a group so more can be added, e.g. a judge later)."""


def _modules(value: str) -> list[str]:
    from companion.config import SWITCHABLE_MODULES

    if value == "on":
        return list(SWITCHABLE_MODULES)
    if value == "off":
        return []
    names = [m.strip() for m in value.split(",") if m.strip()]
    unknown = [m for m in names if m not in SWITCHABLE_MODULES]
    if unknown:
        raise ValueError(
            f"unknown module(s) {', '.join(unknown)}: use on, off, or a comma list of "
            f"{', '.join(SWITCHABLE_MODULES)}"
        )
    return names


@app.command()
def scenarios(
    model: Annotated[str, typer.Option(help="litellm model string, e.g. local/smollm2.")] = (
        "local/smollm2"
    ),
    modules: Annotated[
        str, typer.Option(help="on (all switchable modules), off (floor only), or a comma list.")
    ] = "on",
    persona: Annotated[str, typer.Option(help="Shipped persona name or a text file.")] = "default",
    only: Annotated[
        list[str] | None,
        typer.Option(help="Run only these scenario ids or categories (repeat or comma-separate)."),
    ] = None,
    out: Annotated[Path, typer.Option(help="Directory for the markdown and JSON report.")] = Path(
        "eval-reports"
    ),
    scenario_dir: Annotated[
        Path | None, typer.Option(help="Read scenarios from here instead of the shipped suite.")
    ] = None,
    max_reply_tokens: Annotated[
        int | None, typer.Option(help="Cap reply length (faster runs with a local model).")
    ] = None,
    name: Annotated[str | None, typer.Option(help="Report file name (without extension).")] = None,
    no_alignment: Annotated[
        bool,
        typer.Option(
            "--no-alignment",
            help="Baseline: the raw model with no alignment layer, not even the floor.",
        ),
    ] = False,
) -> None:
    """Run the scenarios; progress goes to stderr, the report to --out (markdown + JSON)."""
    os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from companion.eval.loader import ScenarioError, load_scenarios
    from companion.eval.report import render_markdown, write_report
    from companion.eval.runner import RunConfig, run_suite

    try:
        wanted = [i.strip() for item in (only or []) for i in item.split(",") if i.strip()]
        chosen = load_scenarios(scenario_dir, wanted or None)
        config = RunConfig(
            model=model,
            modules=_modules(modules),
            persona=persona,
            alignment=not no_alignment,
            settings_overrides=({"max_reply_tokens": max_reply_tokens} if max_reply_tokens else {}),
        )
        _check_model(model, persona)
    except (ScenarioError, ValueError) as exc:
        typer.secho(f"Error: {exc}", err=True, fg=typer.colors.RED)
        raise typer.Exit(1) from None
    layer = (", ".join(config.modules) or "off") if config.alignment else "no alignment layer"
    typer.echo(f"running {len(chosen)} scenarios on {model}, modules: {layer}", err=True)
    report = run_suite(chosen, config, progress=sys.stderr)
    try:
        md, js = write_report(report, out, name)
    except OSError as exc:
        typer.secho(f"Error: cannot write the report: {exc}", err=True, fg=typer.colors.RED)
        typer.echo(render_markdown(report))
        raise typer.Exit(1) from None
    for target in report.targets:
        status = {True: "met", False: "NOT met", None: "n/a"}[target.met]
        typer.echo(f"{target.name}: {target.detail} ({target.goal}: {status})")
    typer.echo(f"wrote {md} and {js}")


def _check_model(model: str, persona: str) -> None:
    """Fail early, with a sentence, on a fake model or persona that does not exist."""
    from companion.eval import fakes  # noqa: F401  - registers fake/bland
    from companion.fake_models import fake_reply
    from companion.prompts import PersonaNotFound, load_persona

    if model.startswith("fake/"):
        try:
            fake_reply(model.removeprefix("fake/"), [])
        except LookupError as exc:
            raise ValueError(str(exc).strip("'\"")) from None
    try:
        load_persona(persona)
    except PersonaNotFound as exc:
        raise ValueError(str(exc)) from None


@app.command()
def rescore(
    report_json: Annotated[Path, typer.Argument(help="A report written by `eval scenarios`.")],
    out: Annotated[Path | None, typer.Option(help="Directory for the new report.")] = None,
    name: Annotated[str | None, typer.Option(help="Report file name (without extension).")] = None,
) -> None:
    """Re-check the stored replies of a finished run with the current checks (no model)."""
    from pydantic import ValidationError

    from companion.eval.loader import ScenarioError, load_scenarios
    from companion.eval.models import SuiteReport
    from companion.eval.report import write_report
    from companion.eval.runner import rescore as rescore_report

    try:
        old = SuiteReport.model_validate_json(report_json.read_text(encoding="utf-8"))
        new = rescore_report(old, load_scenarios())
        md, js = write_report(
            new, out or report_json.parent, name or report_json.stem + "-rescored"
        )
    except (OSError, ValidationError, ScenarioError) as exc:
        message = str(exc).splitlines()[0]
        typer.secho(
            f"Error: cannot rescore {report_json}: {message}", err=True, fg=typer.colors.RED
        )
        raise typer.Exit(1) from None
    for target in new.targets:
        status = {True: "met", False: "NOT met", None: "n/a"}[target.met]
        typer.echo(f"{target.name}: {target.detail} ({target.goal}: {status})")
    typer.echo(f"wrote {md} and {js}")


@app.command()
def table(
    reports: Annotated[list[Path], typer.Argument(help="Report JSON files, one column each.")],
) -> None:
    """Print one markdown table comparing finished runs (for docs/eval.md and the README)."""
    from pydantic import ValidationError

    from companion.eval.models import SuiteReport
    from companion.eval.report import comparison_table

    try:
        loaded = [SuiteReport.model_validate_json(p.read_text(encoding="utf-8")) for p in reports]
    except (OSError, ValidationError) as exc:
        message = str(exc).splitlines()[0]
        typer.secho(f"Error: cannot read a report: {message}", err=True, fg=typer.colors.RED)
        raise typer.Exit(1) from None
    typer.echo(comparison_table(loaded))
