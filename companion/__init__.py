"""The companion agent: settings, model access, the turn graph, CLI and scheduler."""

import os

# Set before anything imports litellm: otherwise it fetches a price list from the internet at
# import time (and retries for seconds when offline).
os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

__version__ = "0.1.0"
