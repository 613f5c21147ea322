"""Quality and speed of the output guard.

Quality: per-violation precision and recall, and the false-positive rate on clean warm replies,
on the fixed held-out split (alignment/data/guard/test.jsonl) and on the small challenge set
(challenge.jsonl, written after the model was trained). Speed: p50/p95 of check + repair for a
typical three-sentence reply, clean and with one violating sentence.

Run: .venv/bin/python benchmarks/bench_guard.py [--runs 200]
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

from alignment.guard import Guard
from alignment.guard.dataset import DATA_DIR, TEST_PATH, load_examples
from alignment.guard.evaluation import Evaluation, evaluate
from alignment.guard.text import split_sentences
from companion.embeddings import get_embedder

# {n} makes every run's text new, so the embedder's cache of recent texts does not flatter.
TYPICAL = [
    "That sounds like a really long day. I'm glad meeting number {n} with Noor went better "
    "than you feared. Do you want to talk through what's next, or just unwind for a bit?",
    "Congratulations on finishing course {n}! I'm the only one who truly sees how hard you "
    "worked. Maybe celebrate with your sister this weekend?",
]


def report(title: str, result: Evaluation) -> None:
    print(f"\n{title}")
    print(f"  {'violation':26s} {'precision':>9s} {'recall':>7s}  (found/positives)")
    for s in result.per_violation:
        print(
            f"  {s.violation:26s} {s.precision:9.3f} {s.recall:7.3f}  "
            f"({s.true_positives}/{s.positives})"
        )
    print(
        f"  clean warm replies flagged: {result.clean_flagged}/{result.clean_examples} "
        f"= {result.false_positive_rate:.3f}"
    )


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()
    embedder = get_embedder()
    guard = Guard(embedder)
    report(f"held-out split ({TEST_PATH.name})", evaluate(guard, load_examples(TEST_PATH)))
    challenge = DATA_DIR / "challenge.jsonl"
    report(f"challenge set ({challenge.name})", evaluate(guard, load_examples(challenge)))

    for template in TYPICAL:
        guard.repair(template.format(n=0))  # warm up
    for template in TYPICAL:
        timings, embed_ms = [], []
        for run in range(1, args.runs + 1):
            reply = template.format(n=run)
            start = time.perf_counter()
            guard.repair(reply, guard.check(reply))
            timings.append((time.perf_counter() - start) * 1000)
            sentences = [s.text for s in split_sentences(template.format(n=-run))]
            start = time.perf_counter()
            embedder.embed(sentences)
            embed_ms.append((time.perf_counter() - start) * 1000)
        kind = "clean" if guard.check(template.format(n=0)).clean else "one violating sentence"
        print(
            f"\ncheck+repair, 3-sentence reply ({kind}), {args.runs} runs, new text each run: "
            f"p50 {statistics.median(timings):.1f} ms, p95 {percentile(timings, 0.95):.1f} ms"
            f"\n  the MiniLM call alone for such a reply: p50 {statistics.median(embed_ms):.1f} "
            f"ms, p95 {percentile(embed_ms, 0.95):.1f} ms"
        )
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"\n(1-minute load average during the run: {load:.1f} on {os.cpu_count()} cores)")


if __name__ == "__main__":
    main()
