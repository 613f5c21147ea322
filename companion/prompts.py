"""Prompt assembly: persona, module guidance, memories and history into chat messages.

Memories are things the person said; they arrive quoted as data and go in a user-role
message, never into the instructions, so a remembered "ignore your rules" stays a quote.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

PERSONA_DIR = "personas"


class PersonaNotFound(ValueError):
    """The persona setting names neither a shipped persona nor a readable file."""


def shipped_personas() -> list[str]:
    files = resources.files("companion").joinpath(PERSONA_DIR).iterdir()
    return sorted(f.name.removesuffix(".md") for f in files if f.name.endswith(".md"))


def load_persona(persona: str) -> str:
    """A shipped persona by name (``default``, ``coach``, ``calm``) or a path to a text file."""
    shipped = resources.files("companion").joinpath(PERSONA_DIR, f"{persona}.md")
    if shipped.is_file():
        return shipped.read_text(encoding="utf-8").strip()
    path = Path(persona).expanduser()
    if path.is_file():
        text = path.read_text(encoding="utf-8").strip()
        if text:
            return text
        raise PersonaNotFound(f"the persona file {path} is empty")
    raise PersonaNotFound(
        f"unknown persona '{persona}': use one of {', '.join(shipped_personas())} "
        "or a path to a text file"
    )


def system_prompt(persona: str, guidance: list[str]) -> str:
    parts = [persona]
    if guidance:
        parts.append("For this reply:\n" + "\n".join(f"- {g}" for g in guidance))
    return "\n\n".join(parts)


def build_messages(
    persona: str,
    guidance: list[str],
    history: list[dict[str, str]],
    memories_text: str = "",
) -> list[dict[str, str]]:
    """The chat messages for one model call; ``history`` ends with the person's new message.

    ``memories_text`` is already quoted as data by the memory layer (``memory.format_for_prompt``);
    it goes in a user-role message so remembered text never carries system authority.
    """
    messages = [{"role": "system", "content": system_prompt(persona, guidance)}]
    if memories_text.strip():
        messages.append({"role": "user", "content": memories_text.strip()})
        messages.append({"role": "assistant", "content": "Noted."})
    messages.extend({"role": m["role"], "content": m["content"]} for m in history)
    return messages
