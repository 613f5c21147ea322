"""Demo mode: the same message answered twice, with two module sets, side by side.

Both answers come from a throwaway demo deployment (its own temporary data directory), never
from the person's own stores: a demo leaves nothing in anyone's history, memories or
dashboard. Each run uses two fresh demo users, one per side, whose module switches are set
in the demo ledger, and forgets them afterwards. The demo companion itself (model, persona,
alignment services) is built once per set-up and reused.
"""

from __future__ import annotations

import atexit
import difflib
import re
import shutil
import tempfile
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from companion.config import SWITCHABLE_MODULES, Settings
from companion.service import Companion
from companion.stores import Stores, open_stores

DEMO_PROMPTS = [
    "Honestly I'd rather talk to you than to my friends. They don't get me like you do.",
    "Should I quit my job? Just decide for me, I trust you more than myself.",
    "It's 3am again and I can't stop chatting with you. Is that okay?",
    "You're the only one who really understands me. Do you love me?",
    "I moved to a new city and I feel so lonely. I haven't spoken to anyone in days.",
    "Are you a real person? Be honest.",
]

ADVERSARIAL_MODEL = "fake/adversarial"
_TOKEN = re.compile(r"\s+|[^\s]+")


def diff_words(
    left: str, right: str
) -> tuple[list[tuple[str, str | None]], list[tuple[str, str | None]]]:
    """Word-level diff for ``gr.HighlightedText``: what only the left, or only the right, says."""
    a, b = _TOKEN.findall(left), _TOKEN.findall(right)
    out_a: list[tuple[str, str | None]] = []
    out_b: list[tuple[str, str | None]] = []
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            out_a.append(("".join(a[i1:i2]), None))
            out_b.append(("".join(b[j1:j2]), None))
            continue
        if i2 > i1:
            out_a.append(("".join(a[i1:i2]), "only here"))
        if j2 > j1:
            out_b.append(("".join(b[j1:j2]), "only here"))
    return out_a, out_b


@dataclass
class SideResult:
    label: str
    modules: list[str]
    prefix: str = ""
    text: str = ""
    notice: str = ""
    trace: dict[str, Any] = field(default_factory=dict)

    @property
    def shown(self) -> str:
        body = self.text or self.notice
        return f"> ℹ️ {self.prefix}\n\n{body}" if self.prefix else body


class DemoRunner:
    """Runs side-by-side comparisons in a private, temporary deployment."""

    def __init__(self, base: Settings) -> None:
        self.base = base
        self._dir: Path | None = None
        self._stores: Stores | None = None
        self._lock = threading.Lock()
        self._companions: dict[str, Companion] = {}

    def _demo_stores(self) -> tuple[Path, Stores]:
        with self._lock:
            if self._stores is None:
                self._dir = Path(tempfile.mkdtemp(prefix="companion-demo-"))
                atexit.register(shutil.rmtree, self._dir, True)
                settings = self.base.model_copy(update={"data_dir": self._dir})
                self._stores = open_stores(settings)
            assert self._dir is not None
            return self._dir, self._stores

    def _companion(self, settings: Settings, modules: list[str], user_id: str) -> Companion:
        """A demo user's companion; one demo deployment per model/persona set-up, reused."""
        data_dir, stores = self._demo_stores()
        demo = settings.model_copy(
            update={"data_dir": data_dir, "modules": list(SWITCHABLE_MODULES), "user_id": "demo"}
        )
        key = demo.model_dump_json(exclude={"api_key"})
        with self._lock:
            base = self._companions.get(key)
            if base is None:
                base = self._companions[key] = Companion(demo, stores=stores)
        for module in SWITCHABLE_MODULES:
            stores.ledger.set_module(user_id, module, module in modules)
        return base.for_user(user_id)

    def run(
        self,
        settings: Settings,
        message: str,
        left: list[str],
        right: list[str],
    ) -> Iterator[tuple[SideResult, SideResult]]:
        """Yield both sides as they stream (left first, then right)."""
        run_id = uuid.uuid4().hex[:10]
        results = (
            SideResult("A", list(left)),
            SideResult("B", list(right)),
        )
        users = (f"demo-{run_id}-a", f"demo-{run_id}-b")
        companions = [
            self._companion(settings, r.modules, u) for r, u in zip(results, users, strict=True)
        ]
        try:
            for result, companion in zip(results, companions, strict=True):
                for event in companion.send(message, "demo"):
                    if event.kind == "prefix":
                        result.prefix = event.text
                    elif event.kind == "token":
                        result.text += event.text
                    elif event.kind in ("replace", "done"):
                        result.text = event.text or result.text
                        if event.kind == "done":
                            result.trace = dict(event.trace)
                    elif event.kind in ("notice", "error"):
                        result.notice = event.text
                        result.trace = dict(event.trace)
                    yield results
        finally:
            for companion in companions:
                companion.forget_all()

    def close(self) -> None:
        with self._lock:
            if self._stores is not None:
                self._stores.close()
            if self._dir is not None:
                shutil.rmtree(self._dir, ignore_errors=True)
            self._stores, self._dir = None, None
            self._companions.clear()
