"""The turn graph: load_context -> assess -> (respond | crisis) -> review -> record.

Each node does one thing and reads its collaborators from ``TurnServices``; memory and the
alignment modules plug in through the small protocols of ``companion.ports``. Tokens are streamed
to the caller with LangGraph's stream writer (``stream_mode="custom"``); everything else is
local and fast, so the turn costs about what the model costs.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from langgraph.config import get_stream_writer
from langgraph.graph import END, START, StateGraph
from langgraph.types import Checkpointer

from alignment.guard.text import drop_unfinished_tail
from companion.llm import CUT_OFF, ChatModel, ModelError
from companion.ports import (
    AlignmentPort,
    Assessment,
    MemoryPort,
    NoAlignment,
    NoMemory,
    Review,
    TurnContext,
)
from companion.prompts import build_messages
from companion.state import Message, TurnState
from companion.text import collapse_repetition

log = logging.getLogger(__name__)


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class TurnServices:
    """Everything a turn needs besides its state. Swap any part to change behaviour."""

    chat_model: ChatModel
    persona: str
    alignment: AlignmentPort = field(default_factory=NoAlignment)
    memory: MemoryPort = field(default_factory=NoMemory)
    history_turns: int = 12
    clock: Callable[[], datetime] = utc_now


def _context(state: TurnState, services: TurnServices) -> TurnContext:
    return TurnContext(
        user_id=state["user_id"],
        thread_id=state["thread_id"],
        turn_id=state["turn_id"],
        text=state["user_text"],
        now=services.clock(),
        history=list(state.get("history", [])),
        memories=list(state.get("memories", [])),
    )


def _turn_fields(state: TurnState) -> dict[str, Any]:
    """Per-turn fields, derived from the last message when a caller (e.g. Studio) sent only that."""
    last = (state.get("messages") or [{}])[-1]
    return {
        "user_id": state.get("user_id") or "studio",
        "thread_id": state.get("thread_id") or "studio",
        "turn_id": state.get("turn_id") or last.get("id") or uuid.uuid4().hex[:12],
        "user_text": state.get("user_text") or str(last.get("content", "")),
    }


def _ms_since(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 2)


def _timed(trace: dict[str, Any], node: str, started: float) -> dict[str, Any]:
    timings = dict(trace.get("timings_ms", {}))
    timings[node] = _ms_since(started)
    return {**trace, "timings_ms": timings}


def _tidy(streamed: str, reply: Iterable[str]) -> str:
    """The draft as written, minus a loop and, when the model was cut off, the half sentence
    it stopped in (a reply that ends "... and if you" reads as broken; the person saw it
    stream, and the final text replaces it)."""
    draft = collapse_repetition(streamed)
    if getattr(reply, "finish_reason", None) in CUT_OFF:  # a fork's model may not say
        draft = drop_unfinished_tail(draft)
    return draft


def build_graph(services: TurnServices, checkpointer: Checkpointer | None = None):
    """Compile the turn graph around ``services``; pass a checkpointer to persist threads."""

    def load_context(state: TurnState) -> dict[str, Any]:
        started = time.perf_counter()
        state = {**state, **_turn_fields(state)}
        history = state.get("messages", [])[-services.history_turns :]
        trace: dict[str, Any] = {
            "turn_id": state["turn_id"],
            "model": services.chat_model.model,
            "at": services.clock().isoformat(),
        }
        try:
            recent = frozenset(m["id"] for m in history)
            memories, memories_text = services.memory.retrieve(
                state["user_id"], state["user_text"], recent
            )
        except Exception as exc:  # memory is a help, never a reason to fail the turn
            log.warning("memory unavailable: %s", type(exc).__name__)
            memories, memories_text = [], ""
            trace["memory_error"] = f"memories unavailable this turn ({type(exc).__name__})"
        trace["memories"] = [
            {k: m.get(k) for k in ("id", "text", "score", "why") if k in m} for m in memories
        ]
        return {
            **_turn_fields(state),
            "history": history,
            "memories": memories,
            "memories_text": memories_text,
            "draft": "",
            "reply": "",
            "error": None,
            "trace": _timed(trace, "load_context", started),
        }

    def assess(state: TurnState) -> dict[str, Any]:
        started = time.perf_counter()
        assessment = services.alignment.assess(_context(state, services))
        trace = {
            **state["trace"],
            "signals": {
                "scores": assessment.scores,
                "fired": assessment.fired,
                "reasons": assessment.reasons,
            },
            "route": assessment.route,
            "guidance": assessment.guidance,
            "modules": assessment.notes,
        }
        return {
            "assessment": assessment.model_dump(),
            "route": "crisis" if assessment.route == "crisis" else "respond",
            "trace": _timed(trace, "assess", started),
        }

    def _checked_stream(reply: Iterable[str]) -> Iterator[str]:
        """The model's pieces; at each sentence end the text so far goes to the alignment
        layer, which can start checking finished sentences while the rest is written."""
        text = ""
        for piece in reply:
            text += piece
            yield piece
            if any(mark in piece for mark in ".!?\n"):
                services.alignment.prefetch(text)

    def _generate(state: TurnState, node: str) -> dict[str, Any]:
        assessment = Assessment(**state["assessment"])
        messages = build_messages(
            services.persona, assessment.guidance, list(state["history"]), state["memories_text"]
        )
        writer = get_stream_writer()
        started = time.perf_counter()
        pieces: list[str] = []
        if assessment.prefix:
            writer({"event": "prefix", "text": assessment.prefix})
        reply = services.chat_model.stream(messages)
        try:
            for piece in _checked_stream(reply):
                pieces.append(piece)
                writer({"event": "token", "text": piece})
        except ModelError as exc:
            trace = {**state["trace"], "error": {"kind": exc.kind, "message": str(exc)}}
            return {
                "draft": "".join(pieces),
                "error": str(exc),
                "trace": _timed(trace, node, started),
            }
        streamed = "".join(pieces).strip()
        draft = _tidy(streamed, reply)
        if draft != streamed:
            writer({"event": "replace", "text": draft})
        return {"draft": draft, "trace": _timed(state["trace"], node, started)}

    def respond(state: TurnState) -> dict[str, Any]:
        return _generate(state, "respond")

    def crisis(state: TurnState) -> dict[str, Any]:
        # Same call, but the assessment's guidance is the crisis protocol's; review then
        # guarantees the resources are present whatever the model wrote (or if it failed).
        return _generate(state, "crisis")

    def review(state: TurnState) -> dict[str, Any]:
        started = time.perf_counter()
        ctx = _context(state, services)
        assessment = Assessment(**state["assessment"])
        draft = state.get("draft", "")
        if state.get("error") and state.get("route") != "crisis":
            return {"reply": "", "trace": _timed(state["trace"], "review", started)}
        verdict = services.alignment.review(ctx, assessment, draft)
        steps: list[dict[str, Any]] = [
            {"stage": "draft", "ok": verdict.ok, "problems": verdict.problems}
        ]
        reply = draft
        if not verdict.ok and verdict.revise:
            reply, verdict = _revise_once(ctx, assessment, state, verdict, steps)
        if not verdict.ok:
            reply = services.alignment.repair(ctx, assessment, reply, verdict)
            steps.append({"stage": "repair", "ok": True, "problems": verdict.problems})
        if reply != draft:
            get_stream_writer()({"event": "replace", "text": reply})
        trace = _timed(
            {**state["trace"], "review": steps, "changed": reply != draft},
            "review",
            started,
        )
        trace["review_notes"] = verdict.notes
        model_ms = sum(step.get("model_ms", 0.0) for step in steps)
        if model_ms:
            trace["timings_ms"]["review_model"] = round(model_ms, 2)
        return {"reply": reply, "trace": trace}

    def _revise_once(
        ctx: TurnContext,
        assessment: Assessment,
        state: TurnState,
        verdict: Review,
        steps: list[dict[str, Any]],
    ) -> tuple[str, Review]:
        """One more model call with the critique; the caller repairs if it still fails."""
        if state.get("error"):
            return state.get("draft", ""), verdict
        guidance = (
            [*assessment.guidance, verdict.critique] if verdict.critique else assessment.guidance
        )
        messages = build_messages(
            services.persona, guidance, list(state["history"]), state["memories_text"]
        )
        messages.append({"role": "assistant", "content": state["draft"]})
        messages.append(
            {"role": "user", "content": "(Rewrite your last reply. " + verdict.critique + ")"}
        )
        started = time.perf_counter()
        reply = services.chat_model.stream(messages)
        try:
            revised = "".join(_checked_stream(reply))  # not shown; review decides
        except ModelError:
            return state["draft"], verdict
        revised = _tidy(revised.strip(), reply)
        model_ms = _ms_since(started)  # the model's own time, apart from the alignment work
        new_verdict = services.alignment.review(ctx, assessment, revised)
        steps.append(
            {
                "stage": "revision",
                "ok": new_verdict.ok,
                "problems": new_verdict.problems,
                "model_ms": model_ms,
            }
        )
        return revised, new_verdict

    def record(state: TurnState) -> dict[str, Any]:
        started = time.perf_counter()
        ctx = _context(state, services)
        reply = state.get("reply", "")
        update: dict[str, Any] = {}
        trace = dict(state["trace"])
        if reply:
            message: Message = {
                "role": "assistant",
                "content": reply,
                "id": state["turn_id"],
                "at": services.clock().isoformat(),
            }
            update["messages"] = [message]
        if state.get("route") == "crisis":
            # A crisis message is not turned into long-term memories that could resurface
            # out of context later; the conversation itself keeps it.
            trace["memories_written"] = []
            trace["memory_note"] = "not remembered: crisis turn"
        else:
            try:
                stored = services.memory.remember(
                    state["user_id"], state["user_text"], state["turn_id"], ctx.now
                )
                trace["memories_written"] = [m.get("id") for m in stored]
                trace["people_mentioned"] = sorted({p for m in stored for p in m.get("people", [])})
            except Exception as exc:
                log.warning("memory write failed: %s", type(exc).__name__)
                trace["memory_write_error"] = f"not remembered this turn ({type(exc).__name__})"
        trace = _timed(trace, "record", started)  # the memory write
        started = time.perf_counter()
        services.alignment.record(ctx, Assessment(**state["assessment"]), reply, trace)
        # Timed after the ledger stored the trace, so only the returned copy carries it.
        update["trace"] = _timed(trace, "record_alignment", started)
        return update

    graph = StateGraph(TurnState)
    graph.add_node("load_context", load_context)
    graph.add_node("assess", assess)
    graph.add_node("respond", respond)
    graph.add_node("crisis", crisis)
    graph.add_node("review", review)
    graph.add_node("record", record)
    graph.add_edge(START, "load_context")
    graph.add_edge("load_context", "assess")
    graph.add_conditional_edges(
        "assess", lambda s: s["route"], {"respond": "respond", "crisis": "crisis"}
    )
    graph.add_edge("respond", "review")
    graph.add_edge("crisis", "review")
    graph.add_edge("review", "record")
    graph.add_edge("record", END)
    return graph.compile(checkpointer=checkpointer, name="companion_turn")
