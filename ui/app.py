"""The browser UI: a plain streaming chat for now (the full app is built on top of this)."""

from __future__ import annotations

import os

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

import gradio as gr  # noqa: E402

from companion.config import Settings  # noqa: E402
from companion.service import Companion  # noqa: E402


def build_app(settings: Settings, companion: Companion | None = None) -> gr.Blocks:
    companion = companion or Companion(settings)

    def respond(message: str, history: list, thread: str):
        shown = ""
        for event in companion.send(message, thread or "default"):
            if event.kind == "prefix":
                shown = f"*{event.text}*\n\n"
            elif event.kind == "token":
                shown += event.text
            elif event.kind == "replace":
                shown = event.text
            elif event.kind in ("notice", "error"):
                shown = (shown + "\n\n" if shown else "") + f"⚠️ {event.text}"
            yield shown

    with gr.Blocks(title="Companion") as app:
        gr.Markdown("### Companion\nYou are talking with an AI companion, not a person.")
        thread = gr.State("default")
        gr.ChatInterface(respond, additional_inputs=[thread])
    return app


def launch(settings: Settings, host: str = "127.0.0.1", port: int = 7860) -> None:
    build_app(settings).queue().launch(server_name=host, server_port=port, show_api=False)
