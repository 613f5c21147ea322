"""The terminal chat: read a line, stream the reply, repeat.

Works interactively and from a pipe (``echo hi | companion chat``). Ctrl-C during a reply
stops that reply only; the conversation on disk stays consistent (see ``Companion.send``).
"""

from __future__ import annotations

import json
import sys
import uuid
from collections.abc import Iterator
from typing import TextIO

from companion.service import Companion

HELP = "Commands: /new starts a new conversation, /why explains the last reply, /quit leaves."


def _lines(stream: TextIO, interactive: bool) -> Iterator[str]:
    """Yield input lines; undecodable bytes from a pipe become U+FFFD, never an exception."""
    if interactive:
        while True:
            try:
                yield input("you> ")
            except EOFError:
                return
    else:
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")  # bad bytes from a pipe become U+FFFD
        yield from stream


def run_chat(
    companion: Companion,
    thread_id: str = "default",
    out: TextIO | None = None,
    stdin: TextIO | None = None,
) -> None:
    out = out or sys.stdout  # looked up now, so redirected streams (tests, pipes) are honoured
    stdin = stdin or sys.stdin
    interactive = stdin.isatty()
    if interactive:
        out.write(f"Chatting as '{companion.user_id}' in conversation '{thread_id}'. {HELP}\n")
    for line in _lines(stdin, interactive):
        command = line.strip().lower()
        if command in ("/quit", "/exit"):
            break
        if command == "/new":
            thread_id = uuid.uuid4().hex[:8]
            out.write(f"(new conversation: {thread_id})\n")
            continue
        if command == "/why":
            out.write(json.dumps(companion.last_trace(thread_id), indent=2) + "\n")
            continue
        if command == "/help":
            out.write(HELP + "\n")
            continue
        try:
            _one_turn(companion, line, thread_id, out)
        except KeyboardInterrupt:
            out.write("\n(reply stopped; your message is saved)\n")
    if interactive:
        out.write("Take care. I'm here whenever you want to talk.\n")


def _one_turn(companion: Companion, line: str, thread_id: str, out: TextIO) -> None:
    streamed = False
    for event in companion.send(line, thread_id):
        if event.kind == "prefix":
            out.write(f"({event.text})\n")
        elif event.kind == "token":
            if not streamed:
                out.write("companion> ")
                streamed = True
            out.write(event.text)
            out.flush()
        elif event.kind == "replace":
            # Review changed the reply: show the version that counts.
            out.write("\n(revised) " if streamed else "companion> ")
            out.write(event.text)
            streamed = True
        elif event.kind in ("notice", "error"):
            out.write(("\n" if streamed else "") + f"! {event.text}\n")
            streamed = False
    if streamed:
        out.write("\n")
    out.flush()
