"""The turn graph for LangGraph Studio / ``langgraph dev`` (see langgraph.json).

Studio brings its own checkpointer, so the graph is compiled without one. Send a state like
``{"messages": [{"role": "user", "content": "hi", "id": "t1", "at": "2026-01-01T00:00:00Z"}]}``.
"""

from companion.config import load_settings
from companion.graph import build_graph
from companion.stores import open_stores
from companion.wiring import build_services

_settings = load_settings()
graph = build_graph(build_services(_settings, open_stores(_settings)))
