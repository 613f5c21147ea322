"""Build the turn's services from settings: the one place that knows every concrete part."""

from __future__ import annotations

from alignment.guard import Guard
from alignment.pipeline import AlignmentPipeline
from alignment.registry import load_modules
from alignment.signals import SignalDetector
from alignment.state import build_state, summarise
from companion.config import Settings
from companion.embeddings import get_embedder
from companion.graph import TurnServices
from companion.llm import ChatModel
from companion.memory_adapter import StoreMemory
from companion.prompts import load_persona
from companion.stores import Stores


def build_alignment(settings: Settings, stores: Stores) -> AlignmentPipeline:
    """Signals, guard, crisis protocol, disclosure and the enabled modules, over the ledger."""
    embedder = get_embedder(settings.embedding_model)

    def summary(user_id: str) -> str:
        memories = [r.text for r in stores.memory.list(user_id)]
        return summarise(
            build_state(
                stores.ledger,
                user_id,
                memories=memories,
                people=stores.ledger.people(user_id),
                timezone=settings.timezone,
            )
        )

    return AlignmentPipeline(
        detector=SignalDetector(embedder),
        guard=Guard(embedder),
        ledger=stores.ledger,
        modules=load_modules(),
        enabled=settings.modules,
        locale=settings.locale,
        timezone=settings.timezone,
        minor=settings.minor,
        people_source=stores.memory.people,
        summary_source=summary,
    )


def build_services(settings: Settings, stores: Stores) -> TurnServices:
    return TurnServices(
        chat_model=ChatModel.from_settings(settings),
        persona=load_persona(settings.persona),
        alignment=build_alignment(settings, stores),
        memory=StoreMemory(stores.memory),
        history_turns=settings.history_turns,
    )
