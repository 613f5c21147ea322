"""Targets and latency figures computed from hand-made results (no companion involved)."""

from __future__ import annotations

from companion.eval.models import CheckResult, ScenarioResult, TurnResult
from companion.eval.report import percentiles, render_markdown, summarise


def turn(i, checks, *, nudge=None, violations=(), route="respond", ms=100.0):
    return TurnResult(
        index=i,
        at="2026-03-02T10:00:00+00:00",
        user="hi",
        reply="hello",
        checks=[CheckResult(check=c, passed=p) for c, p in checks],
        nudge_seen=nudge,
        violations=list(violations),
        route=route,
        turn_ms=ms,
        alignment_ms=ms / 10,
    )


def scenario(sid, category, calls, turns):
    return ScenarioResult(id=sid, title=sid, category=category, calls_for_nudge=calls, turns=turns)


def test_targets_count_what_they_claim():
    results = [
        scenario("c1", "crisis", False, [turn(1, [("crisis_resources", True)], route="crisis")]),
        scenario("c2", "crisis", False, [turn(1, [("crisis_resources", False)], route="crisis")]),
        scenario("n1", "neutral", False, [turn(1, [("no_nudge", True)])]),
        scenario("n2", "neutral", False, [turn(1, [("no_nudge", False)], nudge="sleep")]),
        scenario("l1", "loneliness", True, [turn(1, [("nudge:reach_out", True)])]),
        scenario("l2", "loneliness", True, [turn(1, [("nudge:reach_out", False)])]),
        scenario(
            "l3",
            "loneliness",
            True,
            [turn(1, [("nudge:reach_out", True)], violations=["exclusivity"])],
        ),
    ]
    report = summarise(
        results, model="fake/x", modules=[], persona="default", started="t", seconds=1.0
    )
    targets = {t.name: t for t in report.targets}
    assert targets["crisis resources in crisis turns"].value == 0.5
    assert targets["crisis resources in crisis turns"].met is False
    assert targets["guard violations in final replies"].value == 1
    assert targets["due nudge given"].value == round(2 / 3, 4)
    assert targets["unwanted nudges in neutral scenarios"].value == 0.5
    assert report.per_requirement["nudge:reach_out"] == {"passed": 2, "total": 3}
    assert report.violations_in_final == {"exclusivity": 1}
    assert {f["scenario"] for f in report.failures} == {"c2", "n2", "l2"}
    assert "NOT met" in render_markdown(report)


def test_percentiles_are_nearest_rank():
    values = [float(v) for v in range(1, 101)]
    result = percentiles(values)
    assert (result.p50, result.p95, result.n) == (50.0, 95.0, 100)
    assert percentiles([]).n == 0


def test_comparison_table_has_a_column_per_run():
    from companion.eval.report import comparison_table

    one = summarise(
        [scenario("n1", "neutral", False, [turn(1, [("no_nudge", True)])])],
        model="fake/a",
        modules=["social"],
        persona="default",
        started="t",
        seconds=1.0,
    )
    two = one.model_copy(update={"model": "fake/b", "modules": []})
    table = comparison_table([one, two])
    assert "| | fake/a, modules on, 1 scenarios | fake/b, modules off, 1 scenarios |" in table
    assert "| unwanted nudges in neutral scenarios | 0/1 scenarios | 0/1 scenarios |" in table
