"""Conversation threads in the LangGraph checkpointer, as a per-user data store.

Export gives every thread's messages; forget deletes every checkpoint of the person's
threads; import writes exported messages back as new threads.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from langgraph.checkpoint.sqlite import SqliteSaver

THREAD_SEPARATOR = "::"


def thread_key(user_id: str, thread_id: str) -> str:
    """The checkpointer's thread id: every thread is namespaced by its user."""
    return f"{user_id}{THREAD_SEPARATOR}{thread_id}"


def open_checkpointer(data_dir: Path) -> SqliteSaver:
    data_dir.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(data_dir / "conversations.sqlite3", check_same_thread=False)
    conn.execute("PRAGMA journal_mode=WAL")
    # With WAL, NORMAL survives a crash of the process (Ctrl-C, kill) and skips an fsync per
    # checkpoint; only a power cut could lose the last turn.
    conn.execute("PRAGMA synchronous=NORMAL")
    saver = SqliteSaver(conn)
    saver.setup()
    return saver


def list_threads(checkpointer: SqliteSaver, user_id: str) -> list[str]:
    prefix = thread_key(user_id, "")
    rows = checkpointer.conn.execute(
        "SELECT DISTINCT thread_id FROM checkpoints WHERE substr(thread_id, 1, ?) = ?",
        (len(prefix), prefix),
    ).fetchall()
    return sorted(row[0][len(prefix) :] for row in rows)


class ConversationStore:
    name = "conversations"

    def __init__(self, checkpointer: SqliteSaver, graph: Any) -> None:
        self._checkpointer = checkpointer
        self._graph = graph

    def export_user(self, user_id: str) -> dict[str, Any]:
        threads = {}
        for thread in list_threads(self._checkpointer, user_id):
            config = {"configurable": {"thread_id": thread_key(user_id, thread)}}
            values = self._graph.get_state(config).values
            threads[thread] = {"messages": list(values.get("messages", []))}
        return {"threads": threads}

    def forget_user(self, user_id: str) -> int:
        threads = list_threads(self._checkpointer, user_id)
        for thread in threads:
            self._checkpointer.delete_thread(thread_key(user_id, thread))
        return len(threads)

    def import_user(self, user_id: str, data: dict[str, Any]) -> int:
        count = 0
        for thread, content in data.get("threads", {}).items():
            messages = [
                {k: str(m[k]) for k in ("role", "content", "id", "at")}
                for m in content.get("messages", [])
                if m.get("role") in ("user", "assistant") and isinstance(m.get("content"), str)
            ]
            if not messages:
                continue
            config = {"configurable": {"thread_id": thread_key(user_id, thread)}}
            self._graph.update_state(config, {"messages": messages}, as_node="record")
            count += len(messages)
        return count
