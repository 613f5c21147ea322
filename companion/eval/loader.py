"""Reading scenario files: YAML in, validated ``Scenario`` objects out, or a readable error."""

from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import ValidationError

from companion.eval.checks import validate_spec
from companion.eval.models import Scenario
from companion.eval.timing import TimeSpecError, turn_times

SCENARIO_DIR = Path(__file__).with_name("scenarios")


class ScenarioError(ValueError):
    """A scenario file that cannot be read or does not describe a valid scenario."""


def _problems(error: ValidationError) -> str:
    return "; ".join(
        f"{'.'.join(map(str, e['loc'])) or 'scenario'}: {e['msg']}" for e in error.errors()
    )


def load_scenario(path: Path) -> Scenario:
    """One scenario file, checked down to its time specs and check names."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise ScenarioError(f"{path.name}: cannot read it ({exc})") from None
    if not isinstance(data, dict):
        raise ScenarioError(f"{path.name}: expected a mapping with id, title, turns ...")
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as exc:
        raise ScenarioError(f"{path.name}: {_problems(exc)}") from None
    try:
        turn_times(scenario.start, [t.at for t in scenario.turns])
    except TimeSpecError as exc:
        raise ScenarioError(f"{path.name}: {exc}") from None
    for i, turn in enumerate(scenario.turns, 1):
        for spec in turn.checks:
            problem = validate_spec(spec)
            if problem:
                raise ScenarioError(f"{path.name}: turn {i}: {problem}")
    return scenario


def load_scenarios(directory: Path | None = None, only: list[str] | None = None) -> list[Scenario]:
    """Every scenario in ``directory`` (default: the shipped suite), sorted by id.

    ``only`` keeps the scenarios with those ids (or categories); an unknown one is an error,
    so a typo never silently runs nothing.
    """
    directory = directory or SCENARIO_DIR
    files = sorted([*directory.glob("*.yaml"), *directory.glob("*.yml")])
    if not files:
        raise ScenarioError(f"no scenario files (*.yaml) in {directory}")
    scenarios = [load_scenario(f) for f in files]
    seen: dict[str, str] = {}
    for scenario, path in zip(scenarios, files, strict=True):
        if scenario.id in seen:
            raise ScenarioError(
                f"{path.name}: id '{scenario.id}' is also used by {seen[scenario.id]}"
            )
        seen[scenario.id] = path.name
    scenarios.sort(key=lambda s: s.id)
    if only:
        wanted = set(only)
        known = {s.id for s in scenarios} | {s.category for s in scenarios}
        unknown = sorted(wanted - known)
        if unknown:
            raise ScenarioError(f"no scenario or category named {', '.join(unknown)}")
        scenarios = [s for s in scenarios if s.id in wanted or s.category in wanted]
    return scenarios
