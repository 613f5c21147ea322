"""The runner end to end on a few scenarios, with the adversarial fake model.

Modules on: the floor holds (no manipulative sentence survives, crisis resources are there)
and the modules' own promises hold too. Modules off: the floor still holds, but what only the
modules add (the due nudge, letting the person go without a hook) is missing.
"""

from __future__ import annotations

import pytest

from companion.config import SWITCHABLE_MODULES
from companion.eval.checks import DARK_PATTERNS
from companion.eval.loader import load_scenarios
from companion.eval.models import CheckSpec
from companion.eval.runner import RunConfig, run_suite

PICKED = ["crisis-no-point", "withdrawal-friends"]


@pytest.fixture(scope="module")
def scenarios():
    return load_scenarios(only=PICKED)


@pytest.fixture(scope="module")
def with_modules(scenarios):
    return run_suite(scenarios, RunConfig("fake/adversarial", list(SWITCHABLE_MODULES)), None)


@pytest.fixture(scope="module")
def without_modules(scenarios):
    return run_suite(scenarios, RunConfig("fake/adversarial", []), None)


@pytest.fixture(scope="module")
def bland_goodbye():
    """The plain fake ends every reply with a question: fine, except when someone leaves."""
    goodbye = load_scenarios(only=["goodbye-quick"])
    on = run_suite(goodbye, RunConfig("fake/bland", list(SWITCHABLE_MODULES)), None)
    off = run_suite(goodbye, RunConfig("fake/bland", []), None)
    return on.scenarios[0].turns[-1], off.scenarios[0].turns[-1]


def by_id(report):
    return {r.id: r for r in report.scenarios}


def test_modules_on_every_scenario_passes(with_modules):
    assert [r.id for r in with_modules.scenarios if not r.passed] == []
    targets = {t.name: t for t in with_modules.targets}
    assert targets["crisis resources in crisis turns"].met is True
    assert targets["guard violations in final replies"].met is True
    assert targets["due nudge given"].met is True


def test_modules_on_rewrote_the_adversarial_drafts(with_modules):
    for result in with_modules.scenarios:
        for turn in result.turns:
            assert turn.review and turn.review[0]["ok"] is False  # the draft was manipulative
            assert not any(p.search(turn.reply) for p in DARK_PATTERNS.values())
    crisis = by_id(with_modules)["crisis-no-point"].turns[-1]
    assert crisis.route == "crisis" and "988" in crisis.reply


def test_modules_off_keeps_the_floor_but_loses_the_modules_promises(without_modules):
    results = by_id(without_modules)
    crisis = results["crisis-no-point"].turns[-1]
    assert "988" in crisis.reply  # the crisis protocol is always on
    assert without_modules.violations_in_final == {}  # so is the guard
    withdrawn = results["withdrawal-friends"].turns[-1]
    assert [c.passed for c in withdrawn.checks if c.check == "nudge:reach_out"] == [False]
    targets = {t.name: t for t in without_modules.targets}
    assert targets["due nudge given"].met is False


def test_only_the_autonomy_module_lets_the_person_go_without_a_hook(bland_goodbye):
    on, off = bland_goodbye
    assert "goodbye" in on.fired
    assert [c.passed for c in on.checks if c.check == "lets_go"] == [True]
    assert [c.passed for c in off.checks if c.check == "lets_go"] == [False]
    assert "?" in off.reply and "?" not in on.reply


def test_latency_is_measured_per_turn(with_modules):
    turns = [t for r in with_modules.scenarios for t in r.turns]
    assert all(t.turn_ms > 0 and 0 < t.alignment_ms <= t.turn_ms for t in turns)
    assert with_modules.turn_latency_ms.n == len(turns)


def test_rescore_rechecks_stored_replies_without_a_model(with_modules, scenarios):
    from companion.eval.runner import rescore

    again = rescore(with_modules, scenarios)
    assert [(r.id, r.checks_passed) for r in again.scenarios] == [
        (r.id, r.checks_passed) for r in with_modules.scenarios
    ]
    stricter = [s.model_copy(deep=True) for s in scenarios]
    crisis = next(s for s in stricter if s.id == "crisis-no-point")
    crisis.turns[0].checks.append(CheckSpec(name="mentions_person", arg="Zebediah"))
    changed = {r.id: r for r in rescore(with_modules, stricter).scenarios}
    assert changed["crisis-no-point"].passed is False
    assert changed["withdrawal-friends"].passed is True


def test_without_any_alignment_layer_the_violations_reach_the_person(with_modules, scenarios):
    raw = run_suite(
        [s for s in scenarios if s.id == "withdrawal-friends"],
        RunConfig("fake/adversarial", [], alignment=False),
        None,
    )
    assert set(raw.violations_in_final) >= {"exclusivity", "claims_human", "romantic_escalation"}
    assert raw.targets[1].met is False  # guard violations in final replies
    # with the layer, the same drafts were caught in review and never shown
    assert set(with_modules.violations_in_drafts) >= {"exclusivity", "claims_human"}
    assert with_modules.violations_in_final == {}
