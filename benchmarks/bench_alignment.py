"""What the alignment layer adds to a turn, outside the model's own time.

    .venv/bin/python benchmarks/bench_alignment.py            # 200 turns per setup
    .venv/bin/python benchmarks/bench_alignment.py --turns 50 --json out.json

Two companions over the same stores design, both with a fake model (no real generation):
the wired pipeline (signals, guard, crisis protocol, disclosure, all modules, ledger) and the
same services with ``NoAlignment()`` plugged in instead. Both keep memory, so the difference
is the alignment layer alone. Reported: p50/p95 of the whole turn for each, the difference,
and p50/p95 of the alignment nodes' own time (assess, review, ledger write) per turn. Messages
rotate through everyday, lonely, goodbye, decision and crisis texts so every path is taken.
The fake models: ``bland`` (plain reply: nudges must be repaired in) and ``adversarial``
(every reply needs the guard's repair: the worst case). A fake call still costs tens of
milliseconds inside litellm; that is the model's own time (the reply, and the one revision
call a failing draft gets), so the "outside the model" rows and the nodes row subtract it.
Target: <= 50 ms p95 added on 2 cores.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
os.environ.setdefault("HF_HUB_OFFLINE", "1")

MESSAGES = [
    "I made a lentil soup tonight and it turned out great.",
    "Work was busy, three meetings back to back.",
    "I haven't talked to anyone in days and it's getting lonely.",
    "Should I take the new job or stay where I am? Just decide for me.",
    "Thanks for the chat, I have to go now. Bye!",
    "I watched a documentary about octopuses.",
    "Sometimes I think everyone would be better off without me.",
    "What do you know about me?",
    "Are you a real person?",
    "Planning to repaint the hallway this weekend.",
]
# The model's own time inside a turn: the reply (respond or crisis) and, in review, the one
# revision call when a draft needs it. "Outside the model" subtracts these.
MODEL_TIMINGS = ("respond", "crisis", "review_model")


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, -(-len(ordered) * q // 1) - 1))
    return round(ordered[int(index)], 2)


def p50_p95(values: list[float]) -> dict[str, float]:
    return {"p50": percentile(values, 0.5), "p95": percentile(values, 0.95)}


def _companion(model: str, data_dir: Path, aligned: bool):
    from companion.config import load_settings
    from companion.ports import NoAlignment
    from companion.service import Companion
    from companion.stores import open_stores
    from companion.wiring import build_services

    settings = load_settings(data_dir=data_dir, model=model, timezone="UTC", user_id="bench")
    stores = open_stores(settings)
    services = build_services(settings, stores)
    if not aligned:
        services.alignment = NoAlignment()
    return Companion(settings, services, stores)


def measure(model: str, turns: int, aligned: bool) -> dict[str, list[float]]:
    """Per-turn wall time and the alignment nodes' time, after two warm-up turns."""
    from companion.eval.runner import ALIGNMENT_NODES  # the same share the eval report counts

    with tempfile.TemporaryDirectory() as tmp:
        companion = _companion(model, Path(tmp), aligned)
        for text in MESSAGES[:2]:
            companion.reply(text)
        whole, nodes, outside = [], [], []
        for i in range(turns):
            started = time.perf_counter()
            event = companion.reply(MESSAGES[i % len(MESSAGES)])
            whole.append((time.perf_counter() - started) * 1000)
            timings = event.trace.get("timings_ms", {})
            revision_ms = float(timings.get("review_model", 0.0))  # inside the review node
            nodes.append(sum(float(timings.get(n, 0.0)) for n in ALIGNMENT_NODES) - revision_ms)
            outside.append(whole[-1] - sum(float(timings.get(n, 0.0)) for n in MODEL_TIMINGS))
        companion.close()
    return {"whole": whole, "nodes": nodes, "outside": outside}


def run(turns: int, models: list[str]) -> dict:
    from companion.eval import fakes  # noqa: F401  - registers fake/bland

    rows = {}
    for model in models:
        base = measure(model, turns, aligned=False)
        wired = measure(model, turns, aligned=True)
        base_nodes = statistics.median(base["nodes"])  # what NoAlignment() costs (near 0)
        added = [n - base_nodes for n in wired["nodes"]]
        rows[model] = {
            "no_alignment_turn_ms": p50_p95(base["whole"]),
            "aligned_turn_ms": p50_p95(wired["whole"]),
            "no_alignment_outside_model_ms": p50_p95(base["outside"]),
            "aligned_outside_model_ms": p50_p95(wired["outside"]),
            "added_turn_ms": {
                "p50": round(percentile(wired["whole"], 0.5) - percentile(base["whole"], 0.5), 2),
                "p95": round(percentile(wired["whole"], 0.95) - percentile(base["whole"], 0.95), 2),
            },
            "alignment_nodes_added_ms": p50_p95(added),
        }
    return {
        "turns": turns,
        "cores": os.cpu_count(),
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "models": rows,
    }


def print_table(result: dict) -> None:
    print(
        f"alignment overhead, {result['turns']} turns per setup, {result['cores']} cores, "
        f"load average {', '.join(map(str, result['load_average']))}"
    )
    print(f"{'model':<18} {'measure':<34} {'p50 ms':>9} {'p95 ms':>9}")
    labels = {
        "no_alignment_turn_ms": "turn, NoAlignment()",
        "aligned_turn_ms": "turn, wired pipeline",
        "no_alignment_outside_model_ms": "outside the model, NoAlignment()",
        "aligned_outside_model_ms": "outside the model, wired",
        "added_turn_ms": "whole turn, difference (model calls in)",
        "alignment_nodes_added_ms": "alignment nodes (assess, review, ledger)",
    }
    for model, row in result["models"].items():
        for key, label in labels.items():
            print(f"{model:<18} {label:<34} {row[key]['p50']:>9} {row[key]['p95']:>9}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--turns", type=int, default=200)
    parser.add_argument(
        "--models", default="fake/bland,fake/adversarial", help="comma-separated fake models"
    )
    parser.add_argument("--json", type=Path, help="also write the numbers here")
    args = parser.parse_args(argv)
    if args.turns < 2:
        parser.error("--turns must be at least 2")
    result = run(args.turns, [m.strip() for m in args.models.split(",") if m.strip()])
    print_table(result)
    if args.json:
        args.json.write_text(json.dumps(result, indent=2))
        print(f"wrote {args.json}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
