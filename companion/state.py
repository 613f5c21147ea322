"""The state of a conversation thread, as LangGraph checkpoints it.

``messages`` accumulates across turns (the conversation); every other field describes the
current turn and is overwritten by the next one.
"""

from __future__ import annotations

import operator
from typing import Annotated, Any, Literal, TypedDict


class Message(TypedDict):
    role: Literal["user", "assistant"]
    content: str
    id: str  # the turn id; a user message and its reply share it
    at: str  # ISO-8601 UTC time


class TurnState(TypedDict, total=False):
    messages: Annotated[list[Message], operator.add]
    user_id: str
    thread_id: str
    turn_id: str
    user_text: str
    history: list[Message]  # what the model sees of the conversation this turn
    memories: list[dict[str, Any]]  # retrieved memories (id, text, score, why)
    memories_text: str  # the memories as quoted into the prompt
    assessment: dict[str, Any]  # signals, fired, reasons, route, guidance, module notes
    route: Literal["respond", "crisis"]
    draft: str  # the model's reply before review
    reply: str  # the reply the person gets
    error: str | None  # a sentence for the person when the model failed
    trace: dict[str, Any]  # why this reply is what it is (shown in "why this reply")
