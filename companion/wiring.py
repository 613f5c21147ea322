"""Build the turn's services from settings: the one place that knows every concrete part."""

from __future__ import annotations

from companion.config import Settings
from companion.graph import TurnServices
from companion.llm import ChatModel
from companion.prompts import load_persona


def build_services(settings: Settings) -> TurnServices:
    return TurnServices(
        chat_model=ChatModel.from_settings(settings),
        persona=load_persona(settings.persona),
        history_turns=settings.history_turns,
    )
