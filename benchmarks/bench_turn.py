"""Foundation benchmark: cold start, per-turn overhead, bundled model speed and memory.

    .venv/bin/python benchmarks/bench_turn.py            # all three, prints a table
    .venv/bin/python benchmarks/bench_turn.py --json out.json --turns 200

- cold start: a fresh process, from its start to the first streamed token of the first reply,
  on the bundled model (median of --cold-runs runs).
- per-turn overhead: everything in a turn except the model's generation, with a fake model
  that answers instantly; p50/p95 over --turns turns (whole turn, and turn minus model call).
- bundled model: decode tokens per second and peak RSS of a process that ran it.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")

COLD_CHILD = """
import sys, time, tempfile
from companion.config import load_settings
from companion.service import Companion
companion = Companion(load_settings(data_dir=tempfile.mkdtemp(), max_reply_tokens=32))
for event in companion.send("Hi! I just got home."):
    if event.kind == "token":
        print("FIRST_TOKEN", flush=True)
        break
"""

SPEED_CHILD = """
import json, resource, time
from companion.llm import ChatModel
model = ChatModel(max_tokens=200, temperature=0.0)
messages = [{"role": "system", "content": "You are a helpful companion."},
            {"role": "user", "content": "Tell me a long, gentle story about a walk by the sea."}]
model.complete([{"role": "user", "content": "hi"}])  # start the server, warm the cache
import litellm
first = None
start = time.perf_counter()
pieces = 0
for piece in model.stream(messages):
    if first is None:
        first = time.perf_counter()
    pieces += 1
end = time.perf_counter()
print(json.dumps({"tokens": pieces, "decode_s": end - first, "ttft_s": first - start,
                  "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def cold_start(runs: int) -> dict[str, float]:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        proc = subprocess.Popen(
            [sys.executable, "-c", COLD_CHILD],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        assert proc.stdout is not None
        for line in proc.stdout:
            if line.startswith("FIRST_TOKEN"):
                times.append(time.perf_counter() - started)
                break
        proc.wait(timeout=300)
    return {
        "median_s": statistics.median(times),
        "min_s": min(times),
        "max_s": max(times),
        "runs": runs,
    }


def turn_overhead(turns: int) -> dict[str, float]:
    from companion.config import load_settings
    from companion.fake_models import register_fake
    from companion.service import Companion

    register_fake("instant", lambda messages: "Okay.")
    companion = Companion(load_settings(data_dir=tempfile.mkdtemp(), model="fake/instant"))
    for i in range(5):  # warm imports and caches
        companion.reply(f"warm-up {i}")
    whole, outside_model = [], []
    for i in range(turns):
        started = time.perf_counter()
        event = companion.reply(f"Message {i}: today I walked to the park and met a friend.")
        elapsed = (time.perf_counter() - started) * 1000
        model_ms = event.trace["timings_ms"].get("respond", 0.0)
        whole.append(elapsed)
        outside_model.append(elapsed - model_ms)
    return {
        "turns": turns,
        "whole_turn_p50_ms": percentile(whole, 50),
        "whole_turn_p95_ms": percentile(whole, 95),
        "outside_model_p50_ms": percentile(outside_model, 50),
        "outside_model_p95_ms": percentile(outside_model, 95),
    }


def bundled_speed() -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, "-c", SPEED_CHILD], capture_output=True, text=True, timeout=600, check=True
    ).stdout
    data = json.loads(out.strip().splitlines()[-1])
    data["tokens_per_s"] = (data["tokens"] - 1) / data["decode_s"] if data["decode_s"] else 0.0
    return data


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--turns", type=int, default=200)
    parser.add_argument("--cold-runs", type=int, default=3)
    parser.add_argument("--json", type=Path, help="also write the numbers to this file")
    parser.add_argument("--skip", nargs="*", default=[], choices=["cold", "overhead", "speed"])
    args = parser.parse_args()
    results: dict[str, dict[str, float]] = {}
    if "cold" not in args.skip:
        print("cold start ...", file=sys.stderr)
        results["cold_start"] = cold_start(args.cold_runs)
    if "overhead" not in args.skip:
        print(f"per-turn overhead over {args.turns} turns ...", file=sys.stderr)
        results["turn_overhead"] = turn_overhead(args.turns)
    if "speed" not in args.skip:
        print("bundled model speed ...", file=sys.stderr)
        results["bundled_model"] = bundled_speed()
    for section, numbers in results.items():
        print(f"\n{section}")
        for name, value in numbers.items():
            print(
                f"  {name:<24} {value:10.2f}"
                if isinstance(value, float)
                else f"  {name:<24} {value:>10}"
            )
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
