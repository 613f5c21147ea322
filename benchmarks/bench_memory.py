"""Memory benchmark: LoCoMo evidence recall through the real write and read paths, and scale.

    python benchmarks/bench_memory.py --locomo /work/shared/benchmarks/locomo/locomo10.zip
    companion bench memory --locomo PATH [--scale] [--json out.json]

LoCoMo: each conversation is one user; every turn goes through ``remember_turns`` (the
turn-by-turn write path, one store write per session) as "Speaker: text", no model calls.
Each question of categories 1-4 is answered by ``retrieve`` (touch=False, so the order of
questions cannot change the results). Recall = share of a question's evidence dia_ids found
among the retrieved records' source turn ids, averaged over questions.

Scale: synthetic memories with a hashing embedder (the MiniLM cost per text is reported by
the LoCoMo part), so the numbers measure the store and the index, not the embedding model.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import statistics
import tempfile
import time
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np

from memory import MemoryStore

KS = (5, 10, 20)
BUDGETS = (2000, 4000)


def load_locomo(path: Path) -> list[dict[str, Any]]:
    """The conversations in the LoCoMo zip: turns in order with their session time, and QA."""
    conversations = []
    with zipfile.ZipFile(path) as archive:
        names = sorted(n for n in archive.namelist() if re.search(r"/\d+\.json$", n))
        for name in names:
            data = json.loads(archive.read(name))
            sessions = sorted(
                (k for k in data if re.fullmatch(r"session_\d+", k) and isinstance(data[k], list)),
                key=lambda k: int(k.split("_")[1]),
            )
            turns = []
            for key in sessions:
                start = datetime.strptime(data[f"{key}_date_time"], "%I:%M %p on %d %B, %Y")
                for i, turn in enumerate(data[key]):
                    at = (start + timedelta(seconds=30 * i)).replace(tzinfo=UTC)
                    turns.append((key, turn["speaker"], turn["dia_id"], turn["text"], at))
            ids = {t[2] for t in turns}
            questions = []
            for q in data["qa"]:
                # A few evidence entries pack several ids in one string ("D8:6; D9:17").
                evidence = [
                    e for raw in q.get("evidence") or [] for e in re.split(r"[;,\s]+", raw) if e
                ]
                if (
                    q.get("category") in (1, 2, 3, 4)
                    and evidence
                    and all(e in ids for e in evidence)
                ):
                    questions.append({**q, "evidence": evidence})
            conversations.append({"name": Path(name).stem, "turns": turns, "questions": questions})
    return conversations


class _TimedEmbedder:
    """Counts the seconds spent embedding, to split query time into model and index."""

    def __init__(self, inner: Any) -> None:
        self.inner, self.dimension, self.seconds = inner, inner.dimension, 0.0

    def embed(self, texts: list[str]) -> np.ndarray:
        started = time.perf_counter()
        try:
            return self.inner.embed(texts)
        finally:
            self.seconds += time.perf_counter() - started


class _Clock:
    def __init__(self) -> None:
        self.now = datetime.now(UTC)

    def __call__(self) -> datetime:
        return self.now


def _recall(evidence: list[str], results: list) -> float:
    found = {t for r in results for t in r.record.source_turn_ids}
    return len(set(evidence) & found) / len(set(evidence))


def run_locomo(path: Path, embedder: Any, work_dir: Path) -> dict[str, Any]:
    clock = _Clock()
    embedder = _TimedEmbedder(embedder)
    store = MemoryStore(work_dir / "locomo", embedder, clock=clock)
    recalls: dict[str, list[float]] = {f"recall@{k}": [] for k in KS}
    recalls.update({f"recall_within_{b}_chars": [] for b in BUDGETS})
    latencies: list[float] = []
    without_embedding: list[float] = []
    cpu_times: list[float] = []
    ingest_seconds = ingest_embedding = 0.0
    n_turns = n_records = 0
    for conversation in load_locomo(path):
        user = f"locomo-{conversation['name']}"
        store.forget_user(user)
        started, embedded = time.perf_counter(), embedder.seconds
        by_session: dict[str, list] = {}
        for session, speaker, dia_id, text, at in conversation["turns"]:
            by_session.setdefault(session, []).append((f"{speaker}: {text}", dia_id, at))
        for turns in by_session.values():
            store.remember_turns(user, turns)
        ingest_seconds += time.perf_counter() - started
        ingest_embedding += embedder.seconds - embedded
        n_turns += len(conversation["turns"])
        n_records += len(store.list(user))
        clock.now = conversation["turns"][-1][4] + timedelta(days=1)
        for q in conversation["questions"]:
            started, embedded = time.perf_counter(), embedder.seconds
            cpu = time.process_time()
            store.retrieve(user, q["question"], k=10, char_budget=2000, touch=False)
            latencies.append(time.perf_counter() - started)
            cpu_times.append(time.process_time() - cpu)
            without_embedding.append(latencies[-1] - (embedder.seconds - embedded))
            ranked = store.retrieve(user, q["question"], k=max(KS), char_budget=None, touch=False)
            for k in KS:
                recalls[f"recall@{k}"].append(_recall(q["evidence"], ranked[:k]))
            for budget in BUDGETS:
                fitted = store.retrieve(
                    user, q["question"], k=1000, char_budget=budget, touch=False
                )
                recalls[f"recall_within_{budget}_chars"].append(_recall(q["evidence"], fitted))
    ms = np.array(latencies) * 1000
    index_ms = np.array(without_embedding) * 1000
    return {
        "questions": len(latencies),
        **{name: round(statistics.fmean(v), 3) for name, v in recalls.items()},
        "turns": n_turns,
        "records": n_records,
        "ingest_seconds": round(ingest_seconds, 1),
        "ingest_ms_per_turn": round(1000 * ingest_seconds / max(n_turns, 1), 2),
        "ingest_embedding_share": round(ingest_embedding / max(ingest_seconds, 1e-9), 2),
        "query_ms_p50": round(float(np.percentile(ms, 50)), 1),
        "query_ms_p95": round(float(np.percentile(ms, 95)), 1),
        "query_cpu_ms_p50": round(float(np.percentile(np.array(cpu_times) * 1000, 50)), 1),
        "query_cpu_ms_p95": round(float(np.percentile(np.array(cpu_times) * 1000, 95)), 1),
        "query_ms_p50_without_embedding": round(float(np.percentile(index_ms, 50)), 1),
        "query_ms_p95_without_embedding": round(float(np.percentile(index_ms, 95)), 1),
    }


class HashEmbedder:
    """Deterministic bag-of-words vectors (hashing trick): fast, offline, similar texts close."""

    dimension = 384

    def embed(self, texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for i, text in enumerate(texts):
            for word in re.findall(r"\w+", text.lower()):
                h = int.from_bytes(hashlib.blake2b(word.encode(), digest_size=8).digest(), "little")
                out[i, h % self.dimension] += 1.0 if (h >> 32) & 1 else -1.0
        out /= np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-9)
        return out


_NAMES = [
    "Ava",
    "Ben",
    "Cleo",
    "Dev",
    "Ema",
    "Finn",
    "Gia",
    "Hal",
    "Ines",
    "Jon",
    "Kai",
    "Lea",
    "Milo",
    "Nia",
    "Omar",
    "Pia",
    "Rui",
    "Sol",
    "Tara",
    "Uri",
]
_REL = [
    "sister",
    "brother",
    "friend",
    "colleague",
    "cousin",
    "neighbour",
    "aunt",
    "uncle",
    "coach",
    "partner",
]
_DO = (
    "started learning",
    "went hiking near",
    "cooked dinner about",
    "wrote a story about",
    "had an argument about",
    "planned a trip to",
    "bought a book on",
    "painted a picture of",
)
_TOPIC = [
    f"{a} {b}"
    for a in ("the old", "a tiny", "the red", "a quiet", "the northern", "a busy")
    for b in ("harbour", "garden", "bakery", "river", "museum", "forest", "station", "market")
]


def synthetic_turns(n: int, start: datetime, seed: int = 7) -> list[tuple[str, str, datetime]]:
    rng = np.random.default_rng(seed)
    turns = []
    for i in range(n):
        name, rel = _NAMES[rng.integers(len(_NAMES))], _REL[rng.integers(len(_REL))]
        text = (
            f"My {rel} {name} {_DO[rng.integers(len(_DO))]} {_TOPIC[rng.integers(len(_TOPIC))]} "
            f"on day {i} with {int(rng.integers(2, 90))} people and note {rng.integers(1e9)}."
        )
        turns.append((text, f"s{i}", start + timedelta(minutes=i)))
    return turns


def run_scale(
    sizes: list[int], work_dir: Path, batch: int = 1000, queries: int = 200
) -> list[dict]:
    rows = []
    for size in sizes:
        store = MemoryStore(work_dir / f"scale-{size}", HashEmbedder())
        turns = synthetic_turns(size, datetime(2025, 1, 1, tzinfo=UTC))
        started, cpu = time.perf_counter(), time.process_time()
        for i in range(0, size, batch):
            store.remember_turns("scale-user", turns[i : i + batch])
        ingest, ingest_cpu = time.perf_counter() - started, time.process_time() - cpu
        count = len(store.list("scale-user"))
        single = []
        for i in range(20):  # the live path: one message at a time into a full store
            started = time.perf_counter()
            store.remember_turn(
                "scale-user",
                synthetic_turns(1, datetime(2026, 1, 1, tzinfo=UTC), seed=1000 + i)[0][0],
                f"live{i}",
            )
            single.append(time.perf_counter() - started)
        rng = np.random.default_rng(1)
        store.retrieve("scale-user", "warm up", touch=False)
        latencies, cpu_times = [], []
        for _ in range(queries):
            rel, name = _REL[rng.integers(len(_REL))], _NAMES[rng.integers(len(_NAMES))]
            q = f"what did my {rel} {name} do at {_TOPIC[rng.integers(len(_TOPIC))]}?"
            started, cpu = time.perf_counter(), time.process_time()
            store.retrieve("scale-user", q, k=8, char_budget=2000, touch=False)
            latencies.append(time.perf_counter() - started)
            cpu_times.append(time.process_time() - cpu)
        ms = np.array(latencies) * 1000
        rows.append(
            {
                "memories": count,
                "ingest_records_per_s": round(count / ingest, 1),
                "ingest_records_per_cpu_s": round(count / ingest_cpu, 1),
                "single_turn_write_ms_p50": round(float(np.median(single)) * 1000, 1),
                "query_ms_p50": round(float(np.percentile(ms, 50)), 1),
                "query_ms_p95": round(float(np.percentile(ms, 95)), 1),
                "query_cpu_ms_p95": round(float(np.percentile(np.array(cpu_times) * 1000, 95)), 1),
            }
        )
        store.forget_user("scale-user")
    return rows


def print_tables(result: dict[str, Any]) -> None:
    if "locomo" in result:
        print("LoCoMo evidence recall (categories 1-4, no model calls)")
        for key, value in result["locomo"].items():
            print(f"  {key:<28} {value}")
    if "scale" in result:
        print("Scale (hashing embedder, one user)")
        header = list(result["scale"][0])
        print("  " + "  ".join(f"{h:>24}" for h in header))
        for row in result["scale"]:
            print("  " + "  ".join(f"{row[h]:>24}" for h in header))


def run(locomo: Path | None, scale: bool, sizes: list[int], embedder: Any) -> dict[str, Any]:
    result: dict[str, Any] = {"machine_cores": __import__("os").cpu_count()}
    with tempfile.TemporaryDirectory() as tmp:
        if locomo is not None:
            result["locomo"] = run_locomo(locomo, embedder, Path(tmp))
        if scale:
            result["scale"] = run_scale(sizes, Path(tmp))
    return result


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--locomo", type=Path)
    parser.add_argument("--scale", action="store_true")
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    from companion.embeddings import get_embedder

    result = run(args.locomo, args.scale, [int(s) for s in args.sizes.split(",")], get_embedder())
    print_tables(result)
    if args.json:
        args.json.write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
