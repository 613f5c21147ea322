"""Classifying a reply's finished sentences while the model is still writing the rest.

With a local model on 2 cores, the model decodes on one core and the embedder would otherwise
wait for it: embedding a long reply's sentences after it is complete took 40-70 ms of the
turn. So, as the reply streams, each text so far is handed to one background worker (one per
process: warming is best effort and must not compete with itself), which fills the guard's
sentence cache. Review then finds most sentences already classified.

One text is worked on at a time. A text that arrives meanwhile replaces any text still
waiting (each text holds all the sentences before it), and the worker takes it up as soon as
it is free.
"""

from __future__ import annotations

import logging
import threading
from concurrent.futures import ThreadPoolExecutor
from functools import cache
from typing import NamedTuple

from alignment.guard.guard import Guard

log = logging.getLogger(__name__)

_SAME_REPLY_CHARS = 60  # a waiting text the reply under review starts with is its own


class _Job(NamedTuple):
    guard: Guard
    text: str
    done: threading.Event


_lock = threading.Lock()
_running = False  # whether the worker is looping over jobs
_waiting: _Job | None = None  # the newest text not yet taken up
_in_hand: _Job | None = None  # the text the worker is on


@cache
def _worker() -> ThreadPoolExecutor:
    return ThreadPoolExecutor(max_workers=1, thread_name_prefix="guard-warm")


def warm_later(guard: Guard, text: str) -> None:
    """Queue ``text`` for classification in the background; returns at once."""
    global _running, _waiting
    with _lock:
        _waiting = _Job(guard, text, threading.Event())
        if not _running:
            _running = True
            _worker().submit(_work)


def settle(guard: Guard, reply: str, timeout_s: float = 0.5) -> None:
    """Call before ``guard`` checks ``reply``: the check should not embed what the worker is
    embedding at the same moment (the two copies would split the cores between them).

    A waiting text of this same reply is withdrawn, since the check is about to do it; the
    text in hand is waited for, at most ``timeout_s`` (the check never depends on it).
    """
    global _waiting
    with _lock:
        if _waiting is not None and _waiting.guard is guard and _same_reply(_waiting.text, reply):
            _waiting = None
        in_hand = _in_hand
    if in_hand is not None and not in_hand.done.wait(timeout_s):
        log.debug("guard warm-up still busy after %.2f s", timeout_s)


def _same_reply(partial: str, reply: str) -> bool:
    return reply.strip().startswith(partial.strip()[:_SAME_REPLY_CHARS])


def _work() -> None:
    """Warm the newest waiting text until none is left."""
    global _running, _waiting, _in_hand
    while True:
        with _lock:
            job, _waiting = _waiting, None
            _in_hand = job
            if job is None:
                _running = False  # decided under the lock, so a new text starts a new loop
                return
        try:
            job.guard.warm(job.text)
        except Exception:  # a warm-up is an optimisation; review does the real check
            log.debug("guard warm-up failed", exc_info=True)
        finally:
            job.done.set()
