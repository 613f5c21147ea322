"""Conversation threads in the LangGraph checkpointer, as a per-user data store.

Export gives every thread's messages; forget deletes every checkpoint of the person's
threads; import writes exported messages back as new threads.
"""

from __future__ import annotations

from typing import Any

from langgraph.checkpoint.sqlite import SqliteSaver

from companion.service import list_threads, thread_key


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
