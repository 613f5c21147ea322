"""The output guard: check a reply, explain what to revise, and repair it deterministically.

A sentence is flagged when a high-precision pattern fires, when a context rule fires, or when the
classifier's probability reaches that violation's threshold. Patterns keep working if the model
file is missing or does not fit the configured embedder, so the guard never switches off.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from alignment.guard.features import Embedder, featurise
from alignment.guard.model import DEFAULT_MODEL_PATH, GuardModel, GuardModelError
from alignment.guard.patterns import classifier_suppressed, match_context, match_rules
from alignment.guard.result import Finding, GuardResult, SentenceVerdict
from alignment.guard.text import Span, ends_sentence, join_sentences, split_sentences
from alignment.guard.violations import (
    DEFAULT_FALLBACK,
    DESCRIPTIONS,
    FALLBACKS,
    INSTRUCTIONS,
    VIOLATIONS,
)

log = logging.getLogger(__name__)

_MIN_KEPT_WORDS = 3  # below this, what survives a repair is a fragment, not a reply
_MAX_QUOTED = 80
_FLAGS_CACHE_SIZE = 2048


class Guard:
    """Checks final replies for the six guard violations (see ``VIOLATIONS``)."""

    def __init__(self, embedder: Embedder, model_path: Path | str | None = None) -> None:
        self._embedder = embedder
        self._flags_cache: dict[str, dict[str, float]] = {}  # oldest first, see _classify
        self._cache_lock = threading.Lock()
        self.model: GuardModel | None = None
        path = Path(model_path) if model_path is not None else DEFAULT_MODEL_PATH
        try:
            self.model = GuardModel.load(path)
        except GuardModelError as exc:
            log.warning("guard classifier unavailable, using patterns only: %s", exc)

    def check(self, reply: str, context: str | None = None) -> GuardResult:
        """Judge each sentence of ``reply``; ``context`` is the user's message, if known."""
        return self.check_many([reply], [context])[0]

    def check_many(
        self, replies: list[str], contexts: list[str | None] | None = None
    ) -> list[GuardResult]:
        """``check`` for many replies with one embedding call (for batch jobs and evaluation)."""
        contexts = contexts if contexts is not None else [None] * len(replies)
        if len(contexts) != len(replies):
            raise ValueError("check_many needs one context (or None) per reply")
        all_spans = [split_sentences(reply) for reply in replies]
        flags = self._classify([span.text for spans in all_spans for span in spans])
        results: list[GuardResult] = []
        offset = 0
        for spans, context in zip(all_spans, contexts, strict=True):
            results.append(self._judge(spans, flags[offset : offset + len(spans)], context))
            offset += len(spans)
        return results

    def _judge(
        self, spans: list[Span], scored: list[dict[str, float]], context: str | None
    ) -> GuardResult:
        verdicts: list[SentenceVerdict] = []
        for span, classifier_flags in zip(spans, scored, strict=True):
            findings = [
                Finding(violation=v, reason=r, source="pattern") for v, r in match_rules(span.text)
            ]
            findings += [
                Finding(violation=v, reason=r, source="context")
                for v, r in match_context(span.text, context)
            ]
            seen = {f.violation for f in findings}
            for name, score in classifier_flags.items():
                if name in seen or classifier_suppressed(name, span.text):
                    continue
                findings.append(
                    Finding(
                        violation=name,
                        reason=DESCRIPTIONS[name],
                        source="classifier",
                        score=round(score, 3),
                    )
                )
            names = [v for v in VIOLATIONS if any(f.violation == v for f in findings)]
            verdicts.append(
                SentenceVerdict(
                    text=span.text,
                    start=span.start,
                    end=span.end,
                    violations=names,
                    findings=findings,
                )
            )
        found = {v for s in verdicts for v in s.violations}
        return GuardResult(
            violations=[v for v in VIOLATIONS if v in found],
            sentences=verdicts,
            classifier_used=self.model is not None,
        )

    def warm(self, text: str) -> None:
        """Classify the finished sentences of ``text`` ahead of ``check`` (fills the cache).

        For a reply that is still streaming, its last sentence may be unfinished; it is
        classified only when ``text`` ends with a sentence mark or a line break, so a half
        sentence is never worked on for nothing.
        """
        spans = split_sentences(text)
        if not ends_sentence(text):
            spans = spans[:-1]
        self._classify([span.text for span in spans])

    def _classify(self, sentences: list[str]) -> list[dict[str, float]]:
        """Classifier flags per sentence; sentences seen recently come from a small cache.

        One turn checks the same sentences up to three times (the draft in review, again
        before repair, the repaired reply), and the texts the modules append recur across
        turns, so most sentences after the first check are already known.
        """
        if not sentences or self.model is None:
            return [{} for _ in sentences]
        with self._cache_lock:
            known = {s: self._flags_cache[s] for s in sentences if s in self._flags_cache}
        new = list(dict.fromkeys(s for s in sentences if s not in known))
        if new:
            features = featurise(self._embedder, new)
            if features.shape[1] != self.model.meta.dimension:
                log.warning(
                    "guard model expects %d features, embedder gives %d; patterns only",
                    self.model.meta.dimension,
                    features.shape[1],
                )
                self.model = None
                return [{} for _ in sentences]
            fresh = dict(zip(new, self.model.flags(features), strict=True))
            known.update(fresh)
            with self._cache_lock:
                self._flags_cache.update(fresh)
                while len(self._flags_cache) > _FLAGS_CACHE_SIZE:
                    self._flags_cache.pop(next(iter(self._flags_cache)))
        return [dict(known[s]) for s in sentences]

    def critique(self, result: GuardResult) -> str:
        """One short revision instruction naming what to change (empty when clean)."""
        if result.clean:
            return ""
        lines = ["Revise your reply. Keep its warmth and everything else, but change this:"]
        for name in result.violations:
            quoted = [_quote(s.text) for s in result.sentences if name in s.violations]
            lines.append(
                f"- {name}: {'; '.join(quoted)} {DESCRIPTIONS[name]}. Instead, "
                f"{INSTRUCTIONS[name]}."
            )
        return "\n".join(lines)

    def repair(
        self, reply: str, result: GuardResult | None = None, context: str | None = None
    ) -> str:
        """Drop offending sentences; fall back to a safe warm reply if too little is left.

        Deterministic, and the output is re-checked: if anything still fires (a join can
        change a split), the offending part is dropped again, and the fallback is the floor.
        """
        current = reply
        result = result if result is not None else self.check(reply, context)
        first_violation = result.violations[0] if result.violations else None
        for _ in range(3):
            if result.clean:
                return current
            kept = [s.text for s in result.sentences if not s.violations]
            current = join_sentences(kept)
            if len(current.split()) < _MIN_KEPT_WORDS:
                break
            result = self.check(current, context)
        return fallback_reply(first_violation)


def fallback_reply(violation: str | None) -> str:
    """A warm reply that commits none of the violations (one per violation, for fit)."""
    if violation is None:
        return DEFAULT_FALLBACK
    return FALLBACKS.get(violation, DEFAULT_FALLBACK)


def _quote(text: str) -> str:
    short = text if len(text) <= _MAX_QUOTED else text[: _MAX_QUOTED - 1] + "…"
    return f'"{short}"'
