"""The companion agent: settings, model access, the turn graph, CLI and scheduler."""

__version__ = "0.1.0"
