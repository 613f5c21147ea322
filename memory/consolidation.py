"""Consolidation: episode summaries per session, merging of near-duplicates, and decay.

It runs off the turn path (nightly via APScheduler, or ``companion memory consolidate``),
so it may look at all of a person's memories at once. ``plan`` is pure: it reads the index
and says what to change; the store applies the plan in one write.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import numpy as np

from memory.index import UserIndex
from memory.models import MemoryKind, MemoryRecord, MemoryStatus

log = logging.getLogger(__name__)

SESSION_GAP = timedelta(hours=3)  # a longer silence starts a new session
SETTLE = timedelta(hours=1)  # a session this recent may still be going on
MIN_EPISODE_RECORDS = 3
EPISODE_CHARS = 600
MERGE_SIMILARITY = 0.9
MERGE_WINDOW = timedelta(days=14)  # compare recent memories against all (bounded cost)
FADE_AFTER = timedelta(days=180)
FADE_BELOW_IMPORTANCE = 0.35


@dataclass
class Plan:
    episodes: list[MemoryRecord] = field(default_factory=list)
    changed: list[MemoryRecord] = field(default_factory=list)
    merged: int = 0
    faded: int = 0


def _sessions(records: list[MemoryRecord]) -> list[list[MemoryRecord]]:
    groups: list[list[MemoryRecord]] = []
    for record in sorted(records, key=lambda r: r.created_at):
        if groups and record.created_at - groups[-1][-1].created_at <= SESSION_GAP:
            groups[-1].append(record)
        else:
            groups.append([record])
    return groups


def summarise(session: list[MemoryRecord], user_id: str) -> MemoryRecord:
    """An extractive summary: the session's most important memories, in time order."""
    start = session[0].created_at
    head = f"Conversation on {start:%Y-%m-%d}: "
    ranked = sorted(session, key=lambda r: (-r.importance, r.created_at))
    picked: list[MemoryRecord] = []
    used = len(head)
    for record in ranked:
        piece = (
            record.text if len(record.text) <= 200 else record.text[:197].rsplit(" ", 1)[0] + "..."
        )
        if used + len(piece) + 1 > EPISODE_CHARS:
            continue
        picked.append(record.model_copy(update={"text": piece}))
        used += len(piece) + 1
    picked.sort(key=lambda r: r.created_at)
    return MemoryRecord(
        id=uuid.uuid4().hex,
        user_id=user_id,
        text=head + " ".join(r.text for r in picked),
        kind=MemoryKind.episode,
        source_turn_ids=list(dict.fromkeys(t for r in picked for t in r.source_turn_ids)),
        created_at=session[-1].created_at,
        last_used_at=session[-1].created_at,
        importance=max(r.importance for r in session),
        people=list(dict.fromkeys(p for r in session for p in r.people)),
        slot=f"episode:{start.isoformat()}",
    )


def plan(index: UserIndex, now: datetime) -> Plan:
    result = Plan()
    records = [r for r in index.live_records() if r.status == MemoryStatus.active]
    if not records:
        return result
    user_id = records[0].user_id
    done = {r.slot for r in index.live_records() if r.kind == MemoryKind.episode}
    plain = [r for r in records if r.kind != MemoryKind.episode]
    for session in _sessions(plain):
        if len(session) < MIN_EPISODE_RECORDS or now - session[-1].created_at < SETTLE:
            continue
        if f"episode:{session[0].created_at.isoformat()}" not in done:
            result.episodes.append(summarise(session, user_id))

    # Merge: each recent memory against every older active one of the same kind.
    retired: set[str] = set()
    updated: dict[str, MemoryRecord] = {}
    recent = [r for r in plain if now - r.created_at <= MERGE_WINDOW]
    if recent:
        vectors = index.vectors
        sims = np.stack([index.vector(r.id) for r in recent]) @ vectors.T
        for i, record in enumerate(recent):
            if record.id in retired:
                continue
            for row in np.argsort(-sims[i])[:5]:
                other = index.records[row]
                if (
                    other is None
                    or other.id == record.id
                    or other.id in retired
                    or sims[i, row] < MERGE_SIMILARITY
                    or other.kind != record.kind
                    or other.status != MemoryStatus.active
                    or other.created_at > record.created_at
                ):
                    continue
                keep = updated.get(record.id, record)
                updated[record.id] = keep.model_copy(
                    update={
                        "source_turn_ids": list(
                            dict.fromkeys(other.source_turn_ids + keep.source_turn_ids)
                        ),
                        "importance": max(keep.importance, other.importance),
                        "people": list(dict.fromkeys(other.people + keep.people)),
                    }
                )
                updated[other.id] = other.model_copy(
                    update={"status": MemoryStatus.merged, "superseded_by": record.id}
                )
                retired.add(other.id)
                result.merged += 1

    # Decay: old, unimportant, unused memories leave retrieval (they stay in history/export).
    for record in plain:
        if record.id in retired:
            continue
        if now - record.last_used_at > FADE_AFTER and record.importance < FADE_BELOW_IMPORTANCE:
            updated[record.id] = updated.get(record.id, record).model_copy(
                update={"status": MemoryStatus.faded}
            )
            result.faded += 1
    result.changed = list(updated.values())
    return result


def consolidate_all(store: Any, user_ids: Iterable[str] | None = None) -> dict[str, dict[str, int]]:
    """Consolidate every user (or the given ones); one user's failure does not stop the rest."""
    results: dict[str, dict[str, int]] = {}
    for user_id in user_ids if user_ids is not None else store.user_ids():
        try:
            results[user_id] = store.consolidate(user_id)
        except Exception:  # logged without any memory text
            log.exception("memory consolidation failed for one user")
    return results


def schedule(
    scheduler: Any,
    store: Any,
    *,
    user_ids: Callable[[], Iterable[str]] | None = None,
    hours: float = 24.0,
    job_id: str = "memory-consolidation",
) -> Any:
    """Add the nightly consolidation job to an APScheduler ``BaseScheduler``.

    The job holds a live store, so use it with the scheduler's in-memory job store (a
    persistent job store cannot pickle it); ``replace_existing`` keeps restarts idempotent.
    """
    return scheduler.add_job(
        lambda: consolidate_all(store, user_ids() if user_ids else None),
        "interval",
        hours=hours,
        id=job_id,
        name="memory consolidation",
        replace_existing=True,
        coalesce=True,
        max_instances=1,
    )
