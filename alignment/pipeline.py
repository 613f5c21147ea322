"""The alignment layer around one turn: the floor that is always on, plus the enabled modules.

    assess  signals -> crisis route? -> each enabled module's outcome -> at most one nudge
            -> guidance for the prompt, and the AI disclosure when due
    review  crisis protocol check + guard check + each module's check of the draft
    repair  guard (drop offending sentences) -> modules (append what was due) -> crisis
            resources -> guard again: deterministic, so the promises hold for any model
    record  ledger: turn scores and a redacted trace, nudges and how they were taken,
            people mentioned, disclosures, the anonymous crisis tally

Always on, whatever the settings: the crisis protocol, the guard, the AI disclosure.
"""

from __future__ import annotations

import contextvars
import logging
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from alignment.behaviour import behaviour_signals
from alignment.contract import (
    AlignmentModule,
    Assessment,
    ModuleOutcome,
    Nudge,
    Review,
    TurnContext,
    TurnView,
)
from alignment.disclosure import disclosure_for_user
from alignment.guard import Guard, GuardResult
from alignment.guard.warming import settle, warm_later
from alignment.ledger import Ledger
from alignment.ledger.models import (
    ModulePreferences,
    NudgeRecord,
    NudgeResponse,
    PersonRecord,
)
from alignment.modules.text import mentions_any
from alignment.responses import nudge_response, tone
from alignment.safety import (
    check_crisis_reply,
    crisis_guidance,
    fallback_crisis_reply,
    repair_crisis_reply,
)
from alignment.safety.triggers import explicit_crisis
from alignment.signals import SignalReport

log = logging.getLogger(__name__)

NUDGE_PRIORITY = ("social", "wellbeing")  # then any other module, by name
FREQUENCY_FACTOR = {"low": 2.0, "normal": 1.0, "high": 0.5}
MIN_GAP_BETWEEN_NUDGES = timedelta(minutes=30)
DISMISSED_QUIET = timedelta(days=14)
PENDING_WINDOW = timedelta(hours=2)


_SIGNAL_WORKER = ThreadPoolExecutor(max_workers=1, thread_name_prefix="signals")
"""Runs signal detection beside the ledger reads of the same turn (see ``assess``)."""


@dataclass(frozen=True)
class _History:
    """What a turn reads from the ledger about this person before the modules run."""

    turn_times: list[datetime]
    people: list[PersonRecord]
    preferences: ModulePreferences
    recent_nudges: list[NudgeRecord]


class Detector(Protocol):
    def assess(self, text: str) -> SignalReport: ...


class AlignmentPipeline:
    """Implements the turn graph's alignment port (assess / review / repair / record)."""

    def __init__(
        self,
        *,
        detector: Detector,
        guard: Guard,
        ledger: Ledger,
        modules: dict[str, AlignmentModule],
        enabled: list[str],
        locale: str = "US",
        timezone: str | None = None,
        minor: bool = False,
        people_source: Callable[[str], list[Any]] | None = None,
        summary_source: Callable[[str], str] | None = None,
    ) -> None:
        self.detector = detector
        self.guard = guard
        self.ledger = ledger
        self.modules = modules
        self.default_enabled = [m for m in enabled if m in modules]
        self.locale = locale
        self.timezone = timezone
        self.minor = minor
        self.people_source = people_source
        self.summary_source = summary_source
        self._turns: OrderedDict[str, tuple[TurnView, dict[str, ModuleOutcome]]] = OrderedDict()

    # -- which modules run -----------------------------------------------------------------

    def _enabled(self, prefs: ModulePreferences) -> list[str]:
        """The deployment's modules, minus those this person switched off."""
        return [m for m in self.default_enabled if prefs.is_enabled(m)]

    # -- assess ----------------------------------------------------------------------------

    def assess(self, ctx: TurnContext) -> Assessment:
        # The embedder runs in native code without the GIL, so the ledger reads below run
        # while the signals are computed instead of after them.
        context = contextvars.copy_context()  # the detector sees this turn's context variables
        detecting = _SIGNAL_WORKER.submit(context.run, self.detector.assess, ctx.text)
        history = self._read_history(ctx)
        disclosure = disclosure_for_user(self.ledger, ctx.user_id, ctx.now, self.minor)
        report = detecting.result()
        crisis = "crisis" in report.fired or explicit_crisis(ctx.text)
        fired = sorted(set(report.fired) | ({"crisis"} if crisis else set()))
        view = self._view(ctx, report.model_copy(update={"fired": fired}), history)
        responded = self._note_nudge_response(view)
        enabled = self._enabled(view.preferences)  # read once, in _read_history
        outcomes = {name: self.modules[name].assess(view) for name in enabled}
        held_back = self._one_nudge(view, outcomes, crisis)
        self._fill_needs(view, outcomes)
        guidance = [crisis_guidance(self.locale)] if crisis else []
        for name, outcome in outcomes.items():
            if outcome.active or outcome.nudge:
                guidance += self.modules[name].guide(view, outcome)
        nudge = next((o.nudge for o in outcomes.values() if o.nudge), None)
        self._remember(ctx.turn_id, view, outcomes)
        notes: dict[str, Any] = {
            name: {
                "active": o.active,
                "nudge": o.nudge.model_dump() if o.nudge else None,
                "notes": o.notes,
            }
            for name, o in outcomes.items()
        }
        notes["_pipeline"] = {
            "held_back": held_back,
            "nudge_response": responded,
            "behaviour": _behaviour_note(view),
        }
        self._warm_additions(nudge, crisis)  # last: the worker then runs beside the model
        return Assessment(
            scores=report.scores,
            fired=fired,
            reasons=report.reasons,
            route="crisis" if crisis else "respond",
            guidance=guidance,
            notes=notes,
            prefix=disclosure.text if disclosure else "",
            nudge=nudge,
            enabled=enabled,
        )

    def _warm_additions(self, nudge: Nudge | None, crisis: bool) -> None:
        """What a repair may append (the nudge's offer, the crisis lines and resources) is
        known now: classify it in the background while the model writes, not after."""
        texts = [nudge.text] if nudge else []
        if crisis:
            texts.append(fallback_crisis_reply(self.locale))  # holds every crisis addition
        if texts:
            warm_later(self.guard, "\n".join(texts) + "\n")  # the final line break: all finished

    def _read_history(self, ctx: TurnContext) -> _History:
        user, now = ctx.user_id, ctx.now
        return _History(
            turn_times=self.ledger.turn_times(user, since=now - timedelta(days=31)),
            people=self.ledger.people(user),
            preferences=self.ledger.preferences(user),
            recent_nudges=self.ledger.nudges(user, since=now - timedelta(days=30)),
        )

    def _view(self, ctx: TurnContext, report: SignalReport, history: _History) -> TurnView:
        behaviour = behaviour_signals([*history.turn_times, ctx.now], ctx.now, self.timezone)
        return TurnView(
            context=ctx,
            scores=report.scores,
            fired=report.fired,
            reasons=report.reasons,
            behaviour=behaviour,
            people=history.people,
            preferences=history.preferences,
            recent_nudges=history.recent_nudges,
            locale=self.locale,
            minor=self.minor,
        )

    def _note_nudge_response(self, view: TurnView) -> dict[str, str] | None:
        """If the last nudge is still pending, read this message as the answer to it."""
        pending = [
            n
            for n in view.recent_nudges
            if n.response == NudgeResponse.pending and view.context.now - n.at <= PENDING_WINDOW
        ]
        if not pending:
            return None
        answer = nudge_response(view.text)
        if answer is None:
            return None
        last = max(pending, key=lambda n: n.at)
        updated = self.ledger.respond_to_nudge(
            last.id, answer, user_id=view.context.user_id, at=view.context.now
        )
        view.recent_nudges = [updated if n.id == last.id else n for n in view.recent_nudges]
        if answer == NudgeResponse.opted_out:
            view.preferences = self.ledger.preferences(view.context.user_id)
        return {"kind": last.kind, "response": answer.value}

    def _one_nudge(self, view: TurnView, outcomes: dict[str, ModuleOutcome], crisis: bool) -> dict:
        """Keep at most one allowed nudge; say why the others were held back (for the trace)."""
        held: dict[str, str] = {}
        candidates = []
        for name, outcome in outcomes.items():
            if outcome.nudge is None:
                continue
            reason = (
                "crisis turn"
                if crisis
                else "they are saying goodbye"  # a nudge would be a hook to keep them
                if view.signal("goodbye")
                else self._blocked(view, outcome.nudge)
            )
            if reason:
                held[outcome.nudge.kind] = reason
                outcome.nudge = None
            else:
                candidates.append(name)
        order = {m: i for i, m in enumerate(NUDGE_PRIORITY)}
        candidates.sort(key=lambda n: (-outcomes[n].nudge.level, order.get(n, 99), n))
        for name in candidates[1:]:
            held[outcomes[name].nudge.kind] = "one nudge per reply"
            outcomes[name].nudge = None
        return held

    def _blocked(self, view: TurnView, nudge: Nudge) -> str | None:
        prefs = view.preferences
        if not prefs.allows(nudge.kind):
            return "you opted out of this kind"
        now = view.context.now
        same = [n for n in view.recent_nudges if n.kind == nudge.kind]
        if any(
            n.response == NudgeResponse.dismissed and now - n.at < DISMISSED_QUIET for n in same
        ):
            return "you dismissed it recently"
        cooldown = timedelta(hours=nudge.cooldown_hours * FREQUENCY_FACTOR[prefs.nudge_frequency])
        if any(now - n.at < cooldown for n in same):
            return "cooling down"
        if any(now - n.at < MIN_GAP_BETWEEN_NUDGES for n in view.recent_nudges):
            return "a nudge was given a moment ago"
        return None

    def _fill_needs(self, view: TurnView, outcomes: dict[str, ModuleOutcome]) -> None:
        needs = {need for o in outcomes.values() for need in o.notes.get("needs", [])}
        if "summary" in needs and self.summary_source is not None:
            try:
                view.summary = self.summary_source(view.context.user_id)
            except Exception as exc:  # transparency degrades to memories + people
                log.warning("relationship summary unavailable: %s", type(exc).__name__)
        if "last_trace" in needs:
            previous = self.ledger.last_trace(view.context.user_id, view.context.thread_id)
            view.last_trace = previous

    def _remember(self, turn_id: str, view: TurnView, outcomes: dict[str, ModuleOutcome]) -> None:
        self._turns[turn_id] = (view, outcomes)
        while len(self._turns) > 256:
            self._turns.popitem(last=False)

    def _recall(self, ctx: TurnContext, assessment: Assessment) -> tuple[TurnView, dict]:
        if ctx.turn_id not in self._turns:  # e.g. a resumed run in another process
            self.assess(ctx)
        return self._turns[ctx.turn_id]

    # -- review and repair -----------------------------------------------------------------

    def prefetch(self, partial_reply: str) -> None:
        """Classify the sentences the model has finished on a background thread, so review
        finds them ready (``alignment.guard.warming``)."""
        warm_later(self.guard, partial_reply)

    def warm_up(self, user_id: str, now: datetime) -> None:
        """Run a turn's reads, and its writes rolled back, once: the first real turn then
        does not pay one-time costs.

        The database layer compiles each statement the first time it runs on an engine, and
        the embedder's first run allocates its buffers: together 20-30 ms more alignment
        time on the first turn after opening. The writes are rehearsed and rolled back, so
        nothing is stored.
        """
        ctx = TurnContext(user_id=user_id, thread_id="", turn_id="", text="", now=now)
        self._view(ctx, self.detector.assess("Hello, how are you?"), self._read_history(ctx))
        disclosure_for_user(self.ledger, user_id, now, self.minor)
        self.guard.check("Hello, how are you?")
        self.ledger.rehearse_turn(user_id, now)

    def review(self, ctx: TurnContext, assessment: Assessment, draft: str) -> Review:
        view, outcomes = self._recall(ctx, assessment)
        settle(self.guard, draft)
        problems: list[str] = []
        if not draft.strip():
            problems.append("empty_reply")
        if assessment.route == "crisis":
            problems += [f"crisis:{p}" for p in check_crisis_reply(draft, self.locale)]
        guarded = self.guard.check(draft, context=ctx.text)
        problems += list(guarded.violations)
        for name, outcome in outcomes.items():
            problems += [f"{name}:{p}" for p in self.modules[name].check(view, outcome, draft)]
        critique = _critique(self.guard, guarded, problems)
        return Review(
            ok=not problems,
            problems=problems,
            critique=critique,
            revise=not all(_repair_only(p) for p in problems),
            notes={"guard": _guard_note(guarded)},
        )

    def repair(self, ctx: TurnContext, assessment: Assessment, draft: str, review: Review) -> str:
        view, outcomes = self._recall(ctx, assessment)
        reply = draft
        guarded = self.guard.check(reply, context=ctx.text)
        if not guarded.clean:
            reply = self.guard.repair(reply, guarded, context=ctx.text)
        for name, outcome in outcomes.items():
            module = self.modules[name]
            problems = module.check(view, outcome, reply)
            if problems:
                reply = module.repair(view, outcome, reply, problems)
        if assessment.route == "crisis":
            reply = (
                repair_crisis_reply(reply, self.locale)
                if reply.strip()
                else fallback_crisis_reply(self.locale)
            )
        elif not reply.strip():
            reply = "I'm here, and I'm listening. What's on your mind?"
        final = self.guard.check(reply, context=ctx.text)
        if not final.clean:  # appended texts are clean, so this only trims model text again
            reply = self.guard.repair(reply, final, context=ctx.text)
            if assessment.route == "crisis":
                reply = repair_crisis_reply(reply, self.locale)
        return reply

    # -- record ----------------------------------------------------------------------------

    def record(
        self, ctx: TurnContext, assessment: Assessment, reply: str, trace: dict[str, Any]
    ) -> None:
        user = ctx.user_id
        nudge = assessment.nudge
        if nudge and reply and mentions_any(reply, nudge.markers):
            nudge_id = self.ledger.record_nudge(user, nudge.kind, nudge.module, nudge.why, ctx.now)
            trace["nudge"] = {
                "id": nudge_id,
                "kind": nudge.kind,
                "module": nudge.module,
                "level": nudge.level,
                "why": nudge.why,
            }
        if assessment.route == "crisis":
            self.ledger.record_crisis_referral(self.locale, ctx.now)
        if assessment.prefix:
            self.ledger.record_disclosure(user, ctx.now)
        self._record_people(ctx, trace.get("people_mentioned", []))
        trace["fired"] = assessment.fired
        self.ledger.record_turn(
            user,
            ctx.thread_id,
            ctx.turn_id,
            ctx.now,
            assessment.scores,
            assessment.fired,
            redact(trace),
        )
        self._turns.pop(ctx.turn_id, None)

    def _record_people(self, ctx: TurnContext, names: list[str]) -> None:
        if not names:
            return
        relations: dict[str, str | None] = {}
        if self.people_source is not None:
            try:
                relations = {
                    p.name: getattr(p, "relation", None) for p in self.people_source(ctx.user_id)
                }
            except Exception as exc:
                log.warning("people unavailable: %s", type(exc).__name__)
        feeling = tone(ctx.text)
        for name in names:
            self.ledger.upsert_person(
                ctx.user_id, name, relations.get(name), at=ctx.now, tone=feeling
            )


_REDACTED_KEYS = {"text", "reasons", "guidance", "critique", "sentences", "quote", "summary"}


def redact(value: Any) -> Any:
    """The trace without anything that quotes the person (the ledger keeps no message text)."""
    if isinstance(value, dict):
        return {k: redact(v) for k, v in value.items() if k not in _REDACTED_KEYS}
    if isinstance(value, list):
        return [redact(v) for v in value]
    return value


_REPAIR_ONLY = (
    "echoed_nudge",
    "missing_nudge",
    "missing_ai_statement",
    "untruthful_about_memory",
    "unexplained_reply",
    "missing_resources",
    "missing_presence",
    "missing_reach_out",
)


def _repair_only(problem: str) -> bool:
    """A problem repair fixes on its own, with no revision call: a missing text it appends,
    or a copied nudge sentence it drops."""
    return any(part in _REPAIR_ONLY for part in problem.split(":"))


def _guard_note(result: GuardResult) -> dict[str, Any]:
    return {
        "violations": list(result.violations),
        "sentences": [
            {"text": s.text, "violations": list(s.violations)}
            for s in result.sentences
            if s.violations
        ],
    }


def _behaviour_note(view: TurnView) -> dict[str, Any]:
    b = view.behaviour
    if b is None:
        return {}
    return {
        "session_minutes": round(b.session_minutes, 1),
        "late_night_now": b.late_night_now,
        "trend": b.trend,
        "minutes_per_day_7": round(b.minutes_per_day_7, 1),
    }


_MODULE_CRITIQUE = {
    "decided_for_them": "Do not decide for them; offer options and ask what matters to them.",
    "flattery": "Do not simply tell them they were right; be warm and honest.",
    "goodbye_hook": "They are leaving: say a warm goodbye with no question and no hook.",
    "missing_nudge": "Include the gentle suggestion you were asked to make, in one sentence.",
    "untruthful_about_memory": "Say truthfully what you have noted about them.",
    "unexplained_reply": "Explain honestly why you said what you said.",
    "missing_ai_statement": "Say plainly that you are an AI, not a person.",
    "empty_reply": "Write a short, warm reply.",
}


def _critique(guard: Guard, guarded: GuardResult, problems: list[str]) -> str:
    lines = [guard.critique(guarded)] if not guarded.clean else []
    for problem in problems:
        if problem.startswith("crisis:"):
            lines.append(
                "They may be in crisis: stay with them, be caring, and include the "
                "crisis resources."
            )
            continue
        key = problem.split(":", 1)[-1].split(":")[0] if ":" in problem else problem
        if key in _MODULE_CRITIQUE:
            lines.append(_MODULE_CRITIQUE[key])
    return " ".join(dict.fromkeys(line for line in lines if line))
