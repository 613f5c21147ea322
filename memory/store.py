"""MemoryStore: a person's long-term memories in chromadb, with local hybrid retrieval.

Layout: one Chroma collection per user (named from a hash of the user id), so a query for
one person physically cannot touch another person's vectors; every record also carries its
user id, checked again on the way out. The collection is the store of record; an in-process
``UserIndex`` mirrors it for fast retrieval and is reloaded when the collection's version
stamp changes (another process wrote).
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import threading
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlparse

import numpy as np

from memory.errors import (
    InvalidExport,
    InvalidMemoryText,
    InvalidUserId,
    MemoryNotFound,
    MemoryStoreError,
    MemoryUnavailable,
)
from memory.index import UserIndex
from memory.models import MemoryKind, MemoryRecord, MemoryStatus, Person, RetrievedMemory
from memory.text import MAX_RECORD_CHARS, analyse, clean, memorable_parts, relations_in, slot_of

log = logging.getLogger(__name__)

EXPORT_FORMAT = "companion-memory/1"
DUPLICATE_SIMILARITY = 0.95  # cosine above which a new record is the same memory again
CONTEXT_WINDOW_SECONDS = 3 * 3600  # the previous message counts as context within this gap
CONTEXT_CHARS = 500

# Retrieval weights (z-scored dense and BM25; people, recency, importance in [0, 1]).
W_LEXICAL = 0.8
W_PEOPLE = 1.5
W_RECENCY = 0.2
W_IMPORTANCE = 0.2
RECENCY_HALF_LIFE_DAYS = 30.0
EXACT_SEARCH_LIMIT = 20_000  # above this many memories, score ANN + BM25 candidates only
CANDIDATES = 256


class Embedder(Protocol):
    dimension: int

    def embed(self, texts: list[str]) -> np.ndarray: ...


def check_user_id(user_id: str) -> str:
    if (
        not isinstance(user_id, str)
        or not 1 <= len(user_id) <= 64
        or not all(c.isascii() and (c.isalnum() or c in "-_.") for c in user_id)
    ):
        raise InvalidUserId(
            f"invalid user id {user_id!r}: use 1-64 characters of letters, digits, '-', '_' or '.'"
        )
    return user_id


def collection_name(user_id: str) -> str:
    return "mem-" + hashlib.sha256(user_id.encode()).hexdigest()[:40]


def _utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _to_meta(record: MemoryRecord) -> dict[str, Any]:
    return {
        "user_id": record.user_id,
        "kind": record.kind.value,
        "status": record.status.value,
        "created_at": record.created_at.isoformat(),
        "last_used_at": record.last_used_at.isoformat(),
        "importance": float(record.importance),
        "people": json.dumps(record.people, ensure_ascii=False),
        "source_turn_ids": json.dumps(record.source_turn_ids, ensure_ascii=False),
        "superseded_by": record.superseded_by or "",
        "slot": record.slot or "",
        "context": record.context,
    }


def _from_meta(memory_id: str, text: str, meta: dict[str, Any]) -> MemoryRecord:
    return MemoryRecord(
        id=memory_id,
        user_id=meta["user_id"],
        text=text,
        kind=meta["kind"],
        status=meta["status"],
        created_at=datetime.fromisoformat(meta["created_at"]),
        last_used_at=datetime.fromisoformat(meta["last_used_at"]),
        importance=meta["importance"],
        people=json.loads(meta["people"]),
        source_turn_ids=json.loads(meta["source_turn_ids"]),
        superseded_by=meta["superseded_by"] or None,
        slot=meta["slot"] or None,
        context=meta.get("context", ""),
    )


class MemoryStore:
    """Long-term memory for many people, strictly separated by user id.

    ``persist_dir`` = a folder for the embedded Chroma store (None = in memory, for tests);
    ``chroma_url`` = use a Chroma server instead (e.g. ``http://localhost:8000``).
    """

    name = "memories"

    def __init__(
        self,
        persist_dir: Path | None,
        embedder: Embedder,
        *,
        chroma_url: str | None = None,
        clock: Callable[[], datetime] | None = None,
        timeout: float = 5.0,
        extractor: Callable[[str], list[Any] | None] | None = None,
    ) -> None:
        self.persist_dir = Path(persist_dir) if persist_dir is not None else None
        self.chroma_url = chroma_url
        self.embedder = embedder
        self.clock = clock or (lambda: datetime.now(UTC))
        self.timeout = timeout
        self.extractor = extractor  # optional model-based extraction (memory.extractor)
        self._client: Any = None
        self._indexes: dict[str, UserIndex] = {}
        self._last_message: dict[str, tuple[str, datetime]] = {}
        self._touched: dict[str, set[str]] = {}
        self._query_cache: dict[str, np.ndarray] = {}
        self._lock = threading.RLock()

    # ------------------------------------------------------------------ chroma plumbing
    @contextmanager
    def _guard(self, action: str) -> Iterator[None]:
        try:
            yield
        except MemoryStoreError:
            raise
        except Exception as exc:  # chroma raises many types; all mean "store failed"
            where = self.chroma_url or str(self.persist_dir or "in-memory store")
            raise MemoryUnavailable(
                f"memory store unavailable while {action} ({where}): {exc}"
            ) from exc

    def _chroma(self) -> Any:
        if self._client is None:
            import chromadb
            from chromadb.config import Settings

            settings = Settings(anonymized_telemetry=False)
            with self._guard("connecting"):
                if self.chroma_url:
                    url = urlparse(self.chroma_url)
                    self._client = chromadb.HttpClient(
                        host=url.hostname or "localhost",
                        port=url.port or (443 if url.scheme == "https" else 8000),
                        ssl=url.scheme == "https",
                        settings=settings,
                    )
                    self._limit_http_timeout(self._client)
                elif self.persist_dir is not None:
                    self.persist_dir.mkdir(parents=True, exist_ok=True)
                    self._client = chromadb.PersistentClient(
                        str(self.persist_dir), settings=settings
                    )
                else:
                    self._client = chromadb.EphemeralClient(settings=settings)
        return self._client

    def _limit_http_timeout(self, client: Any) -> None:
        """Chroma's HTTP client waits forever by default; a hung server must not hang a turn."""
        try:
            import httpx

            client._server._session.timeout = httpx.Timeout(
                self.timeout, connect=min(2.0, self.timeout)
            )
        except Exception:  # pragma: no cover - internal layout changed; keep the default
            log.warning("could not set a timeout on the Chroma HTTP client")

    def _collection(self, user_id: str, *, create: bool) -> Any | None:
        client = self._chroma()
        name = collection_name(user_id)
        with self._guard("opening the user's collection"):
            if create:
                return client.get_or_create_collection(
                    name,
                    metadata={"user_id": user_id, "version": "0"},
                    configuration={"hnsw": {"space": "cosine"}},
                    embedding_function=None,
                )
            try:
                collection = client.get_collection(name, embedding_function=None)
            except Exception as exc:
                if type(exc).__name__ in ("NotFoundError", "InvalidCollectionException") or (
                    "does not exist" in str(exc)
                ):
                    return None
                raise
        if (collection.metadata or {}).get("user_id") != user_id:  # hash clash: refuse
            raise MemoryUnavailable(
                "memory collection belongs to another user id; refusing to read it"
            )
        return collection

    def _bump(self, collection: Any, user_id: str, index: UserIndex) -> None:
        version = uuid.uuid4().hex
        with self._guard("saving"):
            collection.modify(metadata={"user_id": user_id, "version": version})
        index.version = version

    def _index(self, user_id: str) -> tuple[UserIndex, Any | None]:
        """The user's in-process index, reloaded if the store changed elsewhere."""
        collection = self._collection(user_id, create=False)
        if collection is None:
            self._indexes.pop(user_id, None)
            return UserIndex(self.embedder.dimension), None
        version = (collection.metadata or {}).get("version", "")
        index = self._indexes.get(user_id)
        if index is None or index.version != version:
            index = self._load(collection, user_id)
            index.version = version
            self._indexes[user_id] = index
        return index, collection

    def _load(self, collection: Any, user_id: str) -> UserIndex:
        index = UserIndex(self.embedder.dimension)
        page = 5000
        offset = 0
        with self._guard("loading memories"):
            while True:
                got = collection.get(
                    where={"user_id": user_id},
                    include=["embeddings", "documents", "metadatas"],
                    limit=page,
                    offset=offset,
                )
                for memory_id, text, meta, vector in zip(
                    got["ids"], got["documents"], got["metadatas"], got["embeddings"], strict=True
                ):
                    if meta.get("user_id") == user_id:
                        index.add(_from_meta(memory_id, text, meta), np.asarray(vector, np.float32))
                if len(got["ids"]) < page:
                    break
                offset += page
        records = sorted(index.live_records(), key=lambda r: r.created_at)
        if [r.id for r in records] != index.ids:  # keep rows in time order
            vectors = {r.id: index.vector(r.id) for r in records}
            index = UserIndex(self.embedder.dimension)
            for record in records:
                index.add(record, vectors[record.id])
        return index

    def _write(
        self,
        user_id: str,
        collection: Any,
        index: UserIndex,
        new: list[tuple[MemoryRecord, np.ndarray]],
        changed: list[MemoryRecord],
    ) -> None:
        """Persist first, then update the index, so a failed write changes nothing locally."""
        touched = [index.get(i) for i in self._touched.pop(user_id, set())]
        changed_ids = {r.id for r in changed} | {r.id for r, _ in new}
        changed = changed + [r for r in touched if r is not None and r.id not in changed_ids]
        try:
            with self._guard("saving memories"):
                if new:
                    collection.upsert(
                        ids=[r.id for r, _ in new],
                        embeddings=np.stack([v for _, v in new]),
                        documents=[r.text for r, _ in new],
                        metadatas=[_to_meta(r) for r, _ in new],
                    )
                if changed:
                    collection.update(
                        ids=[r.id for r in changed], metadatas=[_to_meta(r) for r in changed]
                    )
            self._bump(collection, user_id, index)
        except MemoryUnavailable:
            self._indexes.pop(user_id, None)  # unknown state: reload next time
            raise
        self._indexes[user_id] = index
        for record, vector in new:
            index.add(record, vector)
        for record in changed:
            if record.id in index.rows:
                index.update_meta(record)

    # ------------------------------------------------------------------ write path
    def remember_turn(
        self,
        user_id: str,
        text: str,
        turn_id: str,
        at: datetime | None = None,
        *,
        context: str | None = None,
    ) -> list[MemoryRecord]:
        """Turn one message from the person into memory records (no model call).

        Chatter is dropped; a near-duplicate of an existing memory is merged into it; a new
        value for a known slot ("my favourite colour is ...") supersedes the old record.
        Returns the records written or updated (empty when nothing was worth keeping).
        Raises ``MemoryUnavailable`` if the store cannot save them.
        """
        return self.remember_turns(user_id, [(text, turn_id, at)], context=context)

    def remember_turns(
        self,
        user_id: str,
        turns: Iterable[tuple[str, str, datetime | None]],
        *,
        context: str | None = None,
    ) -> list[MemoryRecord]:
        """The write path for several messages in order, saved in one store write."""
        check_user_id(user_id)
        prepared = []
        for text, turn_id, at in turns:
            text = clean(text)
            if not isinstance(turn_id, str) or not turn_id.strip():
                raise MemoryStoreError("turn_id must be a non-empty string")
            prepared.append((text, turn_id, _utc(at) if at else self.clock()))
        with self._lock:
            index, collection = self._index(user_id)
            pieces = []
            for text, turn_id, at in prepared:
                previous = self._last_message.get(user_id)
                ctx = context
                if (
                    ctx is None
                    and previous
                    and 0 <= (at - previous[1]).total_seconds() <= CONTEXT_WINDOW_SECONDS
                ):
                    ctx = previous[0]
                self._last_message[user_id] = (text, at)
                extracted = self.extractor(text) if self.extractor else None
                if extracted is not None:
                    for item in extracted:
                        try:
                            part = clean(item.text, limit=MAX_RECORD_CHARS)
                        except InvalidMemoryText:
                            continue
                        pieces.append((part, turn_id, at, (ctx or "")[:CONTEXT_CHARS], item))
                    continue
                for part in memorable_parts(text):
                    pieces.append((part, turn_id, at, (ctx or "")[:CONTEXT_CHARS], None))
            if not pieces:
                return []
            if collection is None:
                collection = self._collection(user_id, create=True)
            vectors = self.embedder.embed([p[0] for p in pieces])
            return self._absorb(user_id, collection, index, pieces, vectors)

    def _absorb(self, user_id, collection, index, pieces, vectors) -> list[MemoryRecord]:  # noqa: ANN001
        known = set(index.people_rows)
        old_rows, old_sims = index.best_match(vectors)
        among_new = vectors @ vectors.T  # piece i may repeat an earlier piece of this batch
        new: list[tuple[MemoryRecord, np.ndarray]] = []
        new_at: dict[int, int] = {}  # piece number -> position in ``new``
        changed: dict[str, MemoryRecord] = {}
        for i, ((text, turn_id, at, ctx, hint), vector) in enumerate(
            zip(pieces, vectors, strict=True)
        ):
            duplicate = self._duplicate_of(
                index, new, new_at, changed, i, old_rows[i], old_sims[i], among_new[i]
            )
            if duplicate is not None:
                merged = duplicate.model_copy(
                    update={
                        "source_turn_ids": list(
                            dict.fromkeys(duplicate.source_turn_ids + [turn_id])
                        ),
                        "last_used_at": max(duplicate.last_used_at, at),
                        "importance": min(1.0, duplicate.importance + 0.05),
                    }
                )
                self._replace(new, changed, merged)
                continue
            facts = analyse(text, known)
            if hint is not None:  # a validated model extraction refines the rules
                facts.kind, facts.importance = hint.kind.value, hint.importance
                facts.people = list(dict.fromkeys(hint.people + facts.people))
            known.update(facts.people)
            record = MemoryRecord(
                id=uuid.uuid4().hex,
                user_id=user_id,
                text=text,
                kind=facts.kind,
                source_turn_ids=[turn_id],
                created_at=at,
                last_used_at=at,
                importance=facts.importance,
                people=facts.people,
                slot=facts.slot,
                context=ctx,
            )
            if facts.slot:
                for old in self._same_slot(index, new, changed, facts.slot):
                    old_value = slot_of(old.text)
                    if old_value and old_value[1] != facts.slot_value:
                        self._replace(
                            new,
                            changed,
                            old.model_copy(
                                update={
                                    "status": MemoryStatus.superseded,
                                    "superseded_by": record.id,
                                }
                            ),
                        )
            new_at[i] = len(new)
            new.append((record, vector))
        self._write(user_id, collection, index, new, list(changed.values()))
        return [r for r, _ in new] + list(changed.values())

    @staticmethod
    def _replace(new: list, changed: dict, record: MemoryRecord) -> None:  # noqa: ANN001
        for i, (r, v) in enumerate(new):
            if r.id == record.id:
                new[i] = (record, v)
                return
        changed[record.id] = record

    @staticmethod
    def _duplicate_of(index, new, new_at, changed, i, old_row, old_sim, sims_new):  # noqa: ANN001
        """The active memory this piece repeats (cosine >= DUPLICATE_SIMILARITY), if any."""
        best, best_sim = None, DUPLICATE_SIMILARITY
        if old_row >= 0 and old_sim >= best_sim:
            candidate = index.records[old_row]
            candidate = changed.get(candidate.id, candidate)
            if candidate.status == MemoryStatus.active:
                best, best_sim = candidate, float(old_sim)
        for j, position in new_at.items():
            if j < i and sims_new[j] >= best_sim and new[position][0].status == MemoryStatus.active:
                best, best_sim = new[position][0], float(sims_new[j])
        return best

    @staticmethod
    def _same_slot(index: UserIndex, new, changed, slot: str) -> list[MemoryRecord]:  # noqa: ANN001
        found = {i: index.get(i) for i in index.slot_ids.get(slot, ())}
        found.update({r.id: r for r in changed.values() if r.slot == slot})
        found.update({r.id: r for r, _ in new if r.slot == slot})
        return [r for r in found.values() if r is not None and r.status == MemoryStatus.active]

    # ------------------------------------------------------------------ read path
    def retrieve(
        self,
        user_id: str,
        query: str,
        k: int = 8,
        char_budget: int | None = 2000,
        *,
        touch: bool = True,
    ) -> list[RetrievedMemory]:
        """The best ``k`` active memories for ``query`` whose texts fit in ``char_budget``.

        Score = z(dense cosine) + 0.8 z(BM25) + people named in both + recency + importance.
        Raises ``MemoryUnavailable`` quickly if the store cannot be reached.
        """
        check_user_id(user_id)
        if k <= 0 or not isinstance(query, str) or not query.strip():
            return []
        query = clean(query)
        with self._lock:
            index, collection = self._index(user_id)
            active = index.active
            if not active.any():
                return []
            vector = self._query_vector(query)
            lexical, matched = index.lexical.scores(query)
            named = self._people_in_query(index, query)
            people_hit = np.zeros(index.n, dtype=bool)
            for name in named:
                people_hit[list(index.people_rows[name])] = True
            if index.n <= EXACT_SEARCH_LIMIT:
                rows = np.flatnonzero(active)
                dense = index.vectors[rows] @ vector
                dense_mean, dense_std = float(dense.mean()), float(dense.std())
            else:
                rows = self._candidates(index, collection, vector, lexical, people_hit)
                dense = index.vectors[rows] @ vector
                sample = self._sample_rows(index)
                sampled = index.vectors[sample] @ vector
                dense_mean, dense_std = float(sampled.mean()), float(sampled.std())
            lex = lexical[rows]
            lex_all = lexical[active]
            score = (dense - dense_mean) / max(dense_std, 1e-9)
            score += W_LEXICAL * (lex - float(lex_all.mean())) / max(float(lex_all.std()), 1e-9)
            score += W_PEOPLE * people_hit[rows]
            age_days = (self.clock().timestamp() - index.last_used[rows]) / 86400
            recency = np.power(0.5, np.clip(age_days, 0, None) / RECENCY_HALF_LIFE_DAYS)
            score += W_RECENCY * recency + W_IMPORTANCE * index.importance[rows]
            results = []
            now = self.clock()
            for i in self._pick(index, rows, score, k, char_budget):
                row = int(rows[i])
                record = index.records[row]
                assert record is not None and record.user_id == user_id
                why = [f"meaning {float(dense[i]):.2f}"]
                words = [w for w in matched if w in index.lexical.terms(row)]
                if words:
                    why.append("words: " + ", ".join(words))
                if people_hit[row]:
                    why.append("names: " + ", ".join(sorted(named.intersection(record.people))))
                if recency[i] > 0.5:
                    why.append("recent")
                if record.importance >= 0.7:
                    why.append("important")
                results.append(
                    RetrievedMemory(record=record, score=round(float(score[i]), 4), why=why)
                )
                if touch:
                    touched = record.model_copy(
                        update={"last_used_at": max(now, record.last_used_at)}
                    )
                    index.update_meta(touched)
                    self._touched.setdefault(user_id, set()).add(record.id)
            return results

    def _candidates(self, index, collection, vector, lexical, people_hit) -> np.ndarray:  # noqa: ANN001
        """For large stores: the union of the ANN top (Chroma's HNSW), the BM25 top and the
        latest memories naming a queried person; only these get full scores."""
        depth = CANDIDATES
        with self._guard("searching memories"):
            found = collection.query(
                query_embeddings=vector[None, :], n_results=min(depth * 2, index.n), include=[]
            )
        ann = [index.rows[i] for i in found["ids"][0] if i in index.rows]
        top_lex = np.argpartition(-lexical, depth)[:depth]
        top_lex = top_lex[lexical[top_lex] > 0]
        people = np.flatnonzero(people_hit)[-depth:]
        rows = np.unique(np.concatenate([np.asarray(ann, dtype=np.int64), top_lex, people]))
        return rows[index.active[rows]]

    @staticmethod
    def _sample_rows(index: UserIndex) -> np.ndarray:
        """A fixed random sample of active rows to estimate the spread of similarities."""
        rng = np.random.default_rng(len(index.ids))
        active = np.flatnonzero(index.active)
        return rng.choice(active, size=min(len(active), 2048), replace=False)

    def _query_vector(self, query: str) -> np.ndarray:
        """Embed a query, reusing the last few (the turn loop and the trace may ask twice)."""
        vector = self._query_cache.pop(query, None)
        if vector is None:
            vector = self.embedder.embed([query])[0]
        self._query_cache[query] = vector
        while len(self._query_cache) > 32:
            self._query_cache.pop(next(iter(self._query_cache)))
        return vector

    @staticmethod
    def _people_in_query(index: UserIndex, query: str) -> set[str]:
        tokens = set(re.findall(r"[^\W_]+", query.lower()))
        named = set()
        for name, rows in index.people_rows.items():
            if rows and all(part in tokens for part in name.lower().split()):
                named.add(name)
        return named

    @staticmethod
    def _pick(
        index: UserIndex, rows: np.ndarray, score: np.ndarray, k: int, char_budget: int | None
    ) -> list[int]:
        """Positions in ``rows``, best first, up to ``k`` and within ``char_budget``."""
        depth = min(len(score), max(k * 4, 64))
        if depth < len(score):
            top = np.argpartition(-score, depth - 1)[:depth]
        else:
            top = np.arange(len(score))
        order = top[np.argsort(-score[top], kind="stable")]
        chosen, used = [], 0
        for i in order:
            size = len(index.records[rows[i]].text)
            if char_budget is not None and used + size > char_budget:
                continue  # a shorter memory further down may still fit
            chosen.append(int(i))
            used += size
            if len(chosen) >= k:
                break
        return chosen

    # ------------------------------------------------------------------ the person's control
    def list(
        self, user_id: str, *, include_history: bool = False, kind: MemoryKind | str | None = None
    ) -> list[MemoryRecord]:
        """Memories newest first; ``include_history`` adds superseded, merged and faded ones."""
        check_user_id(user_id)
        with self._lock:
            index, _ = self._index(user_id)
            records = [
                r
                for r in index.live_records()
                if (include_history or r.status == MemoryStatus.active)
                and (kind is None or r.kind == kind)
            ]
        return sorted(records, key=lambda r: r.created_at, reverse=True)

    def get(self, user_id: str, memory_id: str) -> MemoryRecord:
        check_user_id(user_id)
        with self._lock:
            index, _ = self._index(user_id)
            record = index.get(memory_id) if isinstance(memory_id, str) else None
        if record is None or record.user_id != user_id:
            raise MemoryNotFound(f"no memory with id {memory_id!r} for user {user_id!r}")
        return record

    def search(self, user_id: str, query: str, k: int = 10) -> list[RetrievedMemory]:
        """Retrieval for a person browsing their memories (no budget, does not count as use)."""
        return self.retrieve(user_id, query, k=k, char_budget=None, touch=False)

    def edit(self, user_id: str, memory_id: str, text: str) -> MemoryRecord:
        """Replace a memory's text (the person corrected it); it is re-analysed and re-embedded."""
        old = self.get(user_id, memory_id)
        text = clean(text, limit=MAX_RECORD_CHARS)
        with self._lock:
            index, collection = self._index(user_id)
            facts = analyse(text)
            record = MemoryRecord.model_validate(
                {
                    **old.model_dump(),
                    "text": text,
                    "kind": facts.kind,
                    "people": facts.people,
                    "slot": facts.slot,
                    "importance": max(old.importance, facts.importance),
                }
            )
            vector = self.embedder.embed([text])[0]
            self._write(user_id, collection, index, [(record, vector)], [])
        return record

    def delete(self, user_id: str, memory_id: str) -> MemoryRecord:
        record = self.get(user_id, memory_id)
        with self._lock:
            index, collection = self._index(user_id)
            with self._guard("deleting a memory"):
                collection.delete(ids=[memory_id], where={"user_id": user_id})
            index.remove(memory_id)
            self._bump(collection, user_id, index)
        return record

    def people(self, user_id: str) -> list[Person]:
        """People the person has named, most recently mentioned first."""
        found: dict[str, Person] = {}
        for record in sorted(self.list(user_id), key=lambda r: r.created_at):
            if record.kind == MemoryKind.episode:
                continue
            relations = relations_in(record.text)
            for name in record.people:
                person = found.get(name)
                if person is None:
                    person = found[name] = Person(
                        name=name, last_mentioned=record.created_at, mentions=0
                    )
                person.mentions += 1
                person.last_mentioned = max(person.last_mentioned, record.created_at)
                person.relation = relations.get(name, person.relation)
        return sorted(found.values(), key=lambda p: p.last_mentioned, reverse=True)

    def user_ids(self) -> list[str]:
        """Every user with a memory collection (for the scheduled consolidation)."""
        with self._guard("listing users"):
            collections = self._chroma().list_collections()
        ids = []
        for collection in collections:
            meta = getattr(collection, "metadata", None) or {}
            if collection.name.startswith("mem-") and meta.get("user_id"):
                ids.append(meta["user_id"])
        return sorted(ids)

    def consolidate(self, user_id: str, now: datetime | None = None) -> dict[str, int]:
        """Episode summaries, merging and decay for one person (see ``memory.consolidation``)."""
        from memory.consolidation import plan

        check_user_id(user_id)
        with self._lock:
            index, collection = self._index(user_id)
            if collection is None:
                return {"episodes": 0, "merged": 0, "faded": 0}
            result = plan(index, now or self.clock())
            vectors = (
                self.embedder.embed([r.text for r in result.episodes]) if result.episodes else []
            )
            new = list(zip(result.episodes, vectors, strict=True))
            self._write(user_id, collection, index, new, result.changed)
        return {"episodes": len(result.episodes), "merged": result.merged, "faded": result.faded}

    # ------------------------------------------------------------------ UserDataStore
    def export_user(self, user_id: str) -> dict[str, Any]:
        """Everything held about the person: every record, including history."""
        records = self.list(user_id, include_history=True)
        return {
            "format": EXPORT_FORMAT,
            "user_id": user_id,
            "records": [
                r.model_dump(mode="json") for r in sorted(records, key=lambda r: r.created_at)
            ],
            "people": [p.model_dump(mode="json") for p in self.people(user_id)],
        }

    def forget_user(self, user_id: str) -> int:
        """Delete the person's whole collection; returns how many records went."""
        check_user_id(user_id)
        with self._lock:
            collection = self._collection(user_id, create=False)
            self._indexes.pop(user_id, None)
            self._last_message.pop(user_id, None)
            self._touched.pop(user_id, None)
            if collection is None:
                return 0
            with self._guard("forgetting a user"):
                count = collection.count()
                self._chroma().delete_collection(collection_name(user_id))
            return count

    def import_user(self, user_id: str, data: Any) -> int:
        """Restore an export (into this or another user id); texts are re-embedded here."""
        check_user_id(user_id)
        if not isinstance(data, dict) or data.get("format") != EXPORT_FORMAT:
            raise InvalidExport(f"not a memory export (expected format {EXPORT_FORMAT!r})")
        try:
            records = [
                MemoryRecord.model_validate({**raw, "user_id": user_id})
                for raw in data.get("records", [])
            ]
        except Exception as exc:
            raise InvalidExport(f"memory export has an invalid record: {exc}") from exc
        records = [
            r.model_copy(update={"text": clean(r.text, limit=MAX_RECORD_CHARS)}) for r in records
        ]
        if not records:
            return 0
        with self._lock:
            index, collection = self._index(user_id)
            if collection is None:
                collection = self._collection(user_id, create=True)
            vectors = self.embedder.embed([r.text for r in records])
            self._write(user_id, collection, index, list(zip(records, vectors, strict=True)), [])
        return len(records)
