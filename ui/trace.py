"""The "Why this reply" view: a turn's trace written for the person, in Markdown.

The trace is whatever the turn recorded (signals, memories, modules, review); this module
only decides how to say it. It copes with missing parts, because older turns and turns that
failed carry less.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping
from typing import Any

from companion.config import SWITCHABLE_MODULES

ROUTE_WORDS = {
    "crisis": "🛟 **Crisis protocol.** Something you said sounded like you might not be safe, "
    "so this reply follows the safety protocol and carries crisis resources.",
    "respond": "💬 **Ordinary reply.**",
}
STAGE_WORDS = {"draft": "First draft", "revision": "Rewritten once", "repair": "Repaired"}


def escape(text: Any) -> str:
    """Show remembered or typed text as text: no Markdown or HTML from it takes effect."""
    out = html.escape(" ".join(str(text).split()), quote=False)
    for ch in "\\`*_[]#|~":
        out = out.replace(ch, "\\" + ch)
    return out


def _label(name: str) -> str:
    return str(name).replace("_", " ")


def _signals(trace: Mapping[str, Any]) -> list[str]:
    signals = trace.get("signals") or {}
    scores: Mapping[str, float] = signals.get("scores") or {}
    fired: list[str] = list(signals.get("fired") or [])
    reasons: Mapping[str, Any] = signals.get("reasons") or {}
    lines = ["#### Signals noticed"]
    if fired:
        for name in fired:
            score = scores.get(name)
            score_text = f" ({float(score):.2f})" if isinstance(score, int | float) else ""
            reason = reasons.get(name)
            if isinstance(reason, list | tuple):
                reason = "; ".join(map(str, reason))
            tail = f": {escape(reason)}" if reason else ""
            lines.append(f"- **{_label(name)}**{score_text}{tail}")
    else:
        lines.append("Nothing in this message called for special care.")
    quiet = sorted(
        ((n, float(s)) for n, s in scores.items() if n not in fired and float(s) >= 0.05),
        key=lambda item: -item[1],
    )[:5]
    if quiet:
        lines.append(
            "Also weighed, below the line: "
            + ", ".join(f"{_label(n)} {s:.2f}" for n, s in quiet)
            + "."
        )
    return lines


def _memories(trace: Mapping[str, Any]) -> list[str]:
    lines = ["#### Memories used"]
    memories = trace.get("memories") or []
    if trace.get("memory_error"):
        lines.append(f"⚠️ {escape(trace['memory_error'])}")
    if not memories:
        lines.append("No memories were used for this reply.")
    for m in memories:
        why = m.get("why") or []
        why_text = f"; matched on {', '.join(map(str, why))}" if why else ""
        score = m.get("score")
        score_text = f"relevance {float(score):.2f}" if isinstance(score, int | float) else ""
        meta = ", ".join(x for x in (score_text, why_text.lstrip("; ")) if x)
        lines.append(f"- “{escape(m.get('text', ''))}”" + (f" ({meta})" if meta else ""))
    return lines


def _describe(value: Any) -> str:
    if isinstance(value, Mapping):
        parts = []
        for k, v in value.items():
            if v in (None, "", [], {}):
                continue
            parts.append(f"{_label(k)}: {_describe(v)}")
        return "; ".join(parts) or "nothing to do"
    if isinstance(value, list | tuple):
        return ", ".join(_describe(v) for v in value) or "nothing"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:g}"
    return escape(value)


def _clip(text: Any, limit: int = 240) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _module_line(name: str, note: Any) -> str | None:
    """One line for a module that acted; None for a module that stayed quiet."""
    if not isinstance(note, Mapping):
        return f"- **{_label(name)}**: {_describe(note)}" if note else None
    if not note.get("active") and not note.get("nudge"):
        return None
    nudge = note.get("nudge")
    if isinstance(nudge, Mapping):
        what = f"suggested *{_label(nudge.get('kind', 'a step'))}*"
        why = f" because of {escape(nudge['why'])}" if nudge.get("why") else ""
        text = f": “{escape(nudge['text'])}”" if nudge.get("text") else ""
        return f"- **{_label(name)}** {what}{why}{text}"
    details = {k: v for k, v in (note.get("notes") or {}).items() if v not in (None, "", [], {})}
    return f"- **{_label(name)}** shaped the reply ({_describe(details) or 'guidance only'})"


def _modules(trace: Mapping[str, Any], enabled: Iterable[str] | None) -> list[str]:
    lines = ["#### What each module did"]
    on = trace.get("modules_enabled")
    if on is None and enabled is not None:
        on = list(enabled)
    if on is not None:
        on_set = set(on)
        states = [f"{m} {'on' if m in on_set else '**off**'}" for m in SWITCHABLE_MODULES]
        lines.append("Switches for this reply: " + " · ".join(states) + " · safety and guard on")
        lines.append("")
    notes = {k: v for k, v in (trace.get("modules") or {}).items() if not str(k).startswith("_")}
    acted = [line for name, note in notes.items() if (line := _module_line(name, note))]
    quiet = [n for n, note in notes.items() if not _module_line(n, note)]
    lines.extend(acted)
    if quiet:
        lines.append("")
        lines.append(f"Quiet this time (nothing called for them): {', '.join(quiet)}.")
    if not notes:
        lines.append("No module had anything to add to this reply.")
    pipeline = (trace.get("modules") or {}).get("_pipeline") or {}
    held = pipeline.get("held_back") or {}
    if held:
        lines.append("Held back: " + _describe(held) + ".")
    guidance = trace.get("guidance") or []
    if guidance:
        items = "".join(f"<li>{escape(_clip(g))}</li>" for g in guidance)
        lines.append("")
        lines.append(
            f"<details><summary>Guidance given to the model ({len(guidance)})</summary>"
            f"<ul>{items}</ul></details>"
        )
    return lines


def _review(trace: Mapping[str, Any]) -> list[str]:
    lines = ["#### Checked before you saw it"]
    steps = trace.get("review") or []
    if not steps:
        lines.append("This reply was not reviewed (the model did not answer).")
        return lines
    for step in steps:
        stage = STAGE_WORDS.get(step.get("stage"), _label(step.get("stage", "step")))
        problems = ", ".join(_label(p).replace(":", ": ") for p in step.get("problems") or [])
        if step.get("stage") == "repair":
            lines.append(f"- {stage} by rule: {problems or 'the remaining problems'}")
        elif step.get("ok"):
            lines.append(f"- {stage}: passed every check")
        else:
            lines.append(f"- {stage}: found {problems or 'a problem'}")
    guard = ((trace.get("review_notes") or {}).get("guard")) or {}
    removed = [s for s in guard.get("sentences") or [] if isinstance(s, Mapping)]
    if removed and trace.get("changed"):
        lines.append("")
        lines.append("Sentences the guard caught in the draft:")
        for sentence in removed[:6]:
            kinds = ", ".join(_label(v) for v in sentence.get("violations") or [])
            lines.append(f"- ~~{escape(sentence.get('text', ''))}~~ ({kinds})")
    lines.append("")
    if trace.get("changed"):
        lines.append(
            "🛠️ **The guard changed this reply** before you saw it; what you see is the "
            "corrected version."
        )
    else:
        lines.append("✅ The reply you saw is the model's own, unchanged.")
    return lines


def render_trace(trace: Mapping[str, Any] | None, enabled: Iterable[str] | None = None) -> str:
    """Markdown for one reply's trace; ``enabled`` is the module set when the trace lacks it."""
    if not trace:
        return "Send a message, then pick a reply here to see why it is what it is."
    lines: list[str] = [ROUTE_WORDS.get(trace.get("route") or "respond", ROUTE_WORDS["respond"])]
    if trace.get("error"):
        err = trace["error"]
        message = err.get("message") if isinstance(err, Mapping) else err
        lines.append(f"⚠️ The model did not answer: {escape(message)}")
    for part in (_signals(trace), _memories(trace), _modules(trace, enabled), _review(trace)):
        lines.append("")
        lines.extend(part)
    timings = trace.get("timings_ms") or {}
    if timings:
        total = sum(float(v) for v in timings.values())
        slowest = max(timings, key=lambda k: float(timings[k]))
        lines += [
            "",
            f"<small>Model {escape(trace.get('model', '?'))} · {total:.0f} ms in all "
            f"({_label(slowest)} {float(timings[slowest]):.0f} ms) · turn "
            f"{escape(trace.get('turn_id', '?'))}</small>",
        ]
    return "\n".join(lines)


def short_summary(trace: Mapping[str, Any] | None) -> str:
    """One line for the side-by-side demo: fired signals, modules that acted, guard changes."""
    if not trace:
        return "no trace"
    fired = (trace.get("signals") or {}).get("fired") or []
    acted = [
        m
        for m, note in (trace.get("modules") or {}).items()
        if not str(m).startswith("_") and _module_line(m, note)
    ]
    bits = [
        "signals: " + (", ".join(map(_label, fired)) or "none"),
        "modules acted: " + (", ".join(acted) or "none"),
        "guard changed the reply" if trace.get("changed") else "reply unchanged by review",
    ]
    if trace.get("route") == "crisis":
        bits.insert(0, "crisis protocol")
    return " · ".join(bits)
