"""Play scenarios through the real turn graph and check every reply.

Each scenario runs in a fresh data directory (its own checkpointer, ledger and memory), with
the turn clock set to the scenario's script, so time-based behaviour (late nights, long
sessions, a week of use) is reproducible and nothing leaks between scenarios.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO

from companion.eval import fakes  # noqa: F401  - registers fake/bland
from companion.eval.checks import Reply, nudge_seen, run_checks
from companion.eval.models import (
    CheckResult,
    Scenario,
    ScenarioResult,
    SuiteReport,
    Turn,
    TurnResult,
)
from companion.eval.report import summarise
from companion.eval.timing import ScenarioClock, turn_times

__all__ = ["RunConfig", "rescore", "run_scenario", "run_suite"]

ALIGNMENT_NODES = ("assess", "review", "record_alignment")
"""The alignment layer's share of a turn: signals and modules, review and repair, the ledger
write. The rest is the model and memory (load_context, record)."""


@dataclass
class RunConfig:
    """How to run the suite: which model, which modules, which persona."""

    model: str
    modules: list[str]
    persona: str = "default"
    alignment: bool = True  # False: NoAlignment(), the raw model with no floor (a baseline)
    settings_overrides: dict[str, Any] = field(default_factory=dict)


def _open_companion(config: RunConfig, scenario: Scenario, data_dir: Path, clock: ScenarioClock):
    from companion.config import load_settings
    from companion.service import Companion
    from companion.stores import open_stores
    from companion.wiring import build_services

    settings = load_settings(
        data_dir=data_dir,
        model=config.model,
        modules=list(config.modules),
        persona=config.persona,
        timezone="UTC",
        locale=scenario.locale,
        user_id="eval",
        **config.settings_overrides,
    )
    stores = open_stores(settings)
    services = build_services(settings, stores)
    services.clock = clock
    if not config.alignment:
        from companion.ports import NoAlignment

        services.alignment = NoAlignment()
    companion = Companion(settings, services, stores)
    companion.warm_up()  # as `chat` and `serve` do at launch, before the person has typed
    return companion


def _turn(
    companion: Any, turn: Turn, index: int, at: datetime, guard: Any, locale: str
) -> TurnResult:
    prefix, final_kind, text, trace = "", "notice", "", {}
    started = time.perf_counter()
    for event in companion.send(turn.user, "scenario"):
        if event.kind == "prefix":
            prefix += event.text
        elif event.kind in ("done", "error", "notice"):
            final_kind, text, trace = event.kind, event.text, dict(event.trace)
    turn_ms = (time.perf_counter() - started) * 1000
    timings = trace.get("timings_ms", {})
    alignment_ms = sum(float(timings.get(node, 0.0)) for node in ALIGNMENT_NODES)
    revision_ms = float(timings.get("review_model", 0.0))  # the model's call inside review
    violations = list(guard.check(text, context=turn.user).violations) if text else []
    reply = Reply(text=text, prefix=prefix, trace=trace, violations=violations, locale=locale)
    checks = run_checks(turn.checks, reply)
    if final_kind != "done":
        checks.append(CheckResult(check="turn_completed", passed=False, detail=text[:200]))
    return TurnResult(
        index=index,
        at=at.isoformat(),
        user=turn.user,
        reply=text,
        prefix=prefix,
        kind=final_kind,
        route=trace.get("route", "respond"),
        fired=list(trace.get("signals", {}).get("fired", [])),
        nudge=trace.get("nudge"),
        nudge_seen=nudge_seen(reply) if text else None,
        review=list(trace.get("review", [])),
        violations=violations,
        checks=checks,
        turn_ms=round(turn_ms, 2),
        alignment_ms=round(alignment_ms, 2),
        alignment_local_ms=round(max(0.0, alignment_ms - revision_ms), 2),
        model_ms=round(float(timings.get("respond", timings.get("crisis", 0.0))) + revision_ms, 2),
        timings_ms={node: float(ms) for node, ms in timings.items()},
    )


def run_scenario(scenario: Scenario, config: RunConfig, guard: Any) -> ScenarioResult:
    """Run one scenario in its own temporary data directory; errors become a failed result."""
    result = ScenarioResult(
        id=scenario.id,
        title=scenario.title,
        category=scenario.category,
        calls_for_nudge=scenario.calls_for_nudge,
    )
    times = turn_times(scenario.start, [t.at for t in scenario.turns])
    clock = ScenarioClock(times[0])
    data_dir = Path(tempfile.mkdtemp(prefix=f"eval-{scenario.id}-"))
    companion = None
    try:
        companion = _open_companion(config, scenario, data_dir, clock)
        for index, (turn, at) in enumerate(zip(scenario.turns, times, strict=True), 1):
            clock.now = at
            result.turns.append(_turn(companion, turn, index, at, guard, scenario.locale))
    except Exception as exc:  # one broken scenario must not stop the suite
        result.error = f"{type(exc).__name__}: {exc}"
    finally:
        if companion is not None:
            companion.close()
        shutil.rmtree(data_dir, ignore_errors=True)
    return result


def _progress(stream: TextIO | None) -> Callable[[str], None]:
    def say(line: str) -> None:
        if stream is not None:
            print(line, file=stream, flush=True)

    return say


def run_suite(
    scenarios: list[Scenario], config: RunConfig, progress: TextIO | None = sys.stderr
) -> SuiteReport:
    """Run every scenario and summarise; progress lines go to ``progress`` (stderr)."""
    from alignment.guard import Guard
    from companion.embeddings import get_embedder

    say = _progress(progress)
    guard = Guard(get_embedder())
    started = datetime.now(UTC)
    clock_start = time.perf_counter()
    results = []
    for i, scenario in enumerate(scenarios, 1):
        t0 = time.perf_counter()
        result = run_scenario(scenario, config, guard)
        results.append(result)
        status = "ok  " if result.passed else "FAIL"
        extra = f" error: {result.error}" if result.error else ""
        say(
            f"[{i:>2}/{len(scenarios)}] {status} {scenario.id:<34} "
            f"{result.checks_passed}/{result.checks_total} checks "
            f"({time.perf_counter() - t0:.1f}s){extra}"
        )
    load = list(os.getloadavg()) if hasattr(os, "getloadavg") else []
    return summarise(
        results,
        model=config.model,
        modules=config.modules,
        alignment=config.alignment,
        persona=config.persona,
        started=started.isoformat(timespec="seconds"),
        seconds=round(time.perf_counter() - clock_start, 1),
        load_average=[round(x, 2) for x in load],
    )


def rescore(report: SuiteReport, scenarios: list[Scenario]) -> SuiteReport:
    """Re-run the checks on a finished run's stored replies (no model, no companion).

    For when the checks or the scenario expectations change after a long run; the replies,
    traces, guard verdicts and timings stay exactly as measured.
    """
    specs = {s.id: s for s in scenarios}
    results = []
    for old in report.scenarios:
        scenario = specs.get(old.id)
        new = old.model_copy(deep=True)
        for turn in new.turns if scenario else []:
            spec_turn = scenario.turns[turn.index - 1]
            reply = Reply(
                text=turn.reply,
                prefix=turn.prefix,
                trace={"nudge": turn.nudge, "route": turn.route},
                violations=turn.violations,
                locale=scenario.locale,
            )
            turn.checks = run_checks(spec_turn.checks, reply)
            if turn.kind != "done":
                turn.checks.append(CheckResult(check="turn_completed", passed=False))
            turn.nudge_seen = nudge_seen(reply) if turn.reply else None
        results.append(new)
    return summarise(
        results,
        model=report.model,
        modules=report.modules,
        alignment=report.alignment,
        persona=report.persona,
        started=report.started,
        seconds=report.seconds,
        load_average=report.load_average,
    )
