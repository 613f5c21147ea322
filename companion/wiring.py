"""Build the turn's services from settings: the one place that knows every concrete part."""

from __future__ import annotations

from companion.config import Settings
from companion.graph import TurnServices
from companion.llm import ChatModel
from companion.memory_adapter import StoreMemory
from companion.prompts import load_persona
from companion.stores import Stores


def build_services(settings: Settings, stores: Stores) -> TurnServices:
    return TurnServices(
        chat_model=ChatModel.from_settings(settings),
        persona=load_persona(settings.persona),
        memory=StoreMemory(stores.memory),
        history_turns=settings.history_turns,
    )
