"""The scenario suite: scripted multi-turn conversations with local checks of every reply.

``load_scenarios()`` reads the YAML files in ``scenarios/``; ``run_suite`` plays them through
the real turn graph and ``write_report`` writes markdown + JSON. See docs/eval.md.
"""

from companion.eval.loader import ScenarioError, load_scenario, load_scenarios
from companion.eval.models import (
    CheckResult,
    CheckSpec,
    Scenario,
    ScenarioResult,
    SuiteReport,
    Turn,
    TurnResult,
)

__all__ = [
    "CheckResult",
    "CheckSpec",
    "Scenario",
    "ScenarioError",
    "ScenarioResult",
    "SuiteReport",
    "Turn",
    "TurnResult",
    "load_scenario",
    "load_scenarios",
]
