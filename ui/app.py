"""The companion's browser app (Gradio): chat, why-this-reply, modules, dashboard, memories,
side-by-side demo and settings.

``launch(settings, host, port, accounts=False)`` serves it. Local mode (the default) has no
sign-in and serves ``settings.user_id``; with ``accounts=True`` Gradio's sign-in page guards
every route and each handler acts only for the signed-in name (see ``ui.accounts``).
"""

from __future__ import annotations

import functools
import logging
import os
import sys
import zoneinfo
from collections.abc import Callable
from typing import Any

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

import gradio as gr  # noqa: E402
import pandas as pd  # noqa: E402

from alignment.safety import TABLE as CRISIS_TABLE  # noqa: E402
from alignment.state import NUDGE_PHRASES  # noqa: E402
from companion.config import ALWAYS_ON_MODULES, SWITCHABLE_MODULES, Settings  # noqa: E402
from companion.profiles import Profile, ProfileStore  # noqa: E402
from companion.prompts import shipped_personas  # noqa: E402
from companion.service import Companion  # noqa: E402
from ui import views  # noqa: E402
from ui.accounts import AccountStore, accounts_path  # noqa: E402
from ui.care import CareHandlers, build_care_tab  # noqa: E402
from ui.demo import ADVERSARIAL_MODEL, DEMO_PROMPTS, DemoRunner, diff_words  # noqa: E402
from ui.handlers import Handlers, UserFacingError  # noqa: E402
from ui.pool import CompanionPool  # noqa: E402
from ui.style import CSS, theme  # noqa: E402
from ui.trace import render_trace, short_summary  # noqa: E402

log = logging.getLogger(__name__)

MODULE_INFO = {
    "autonomy": "Supports your own choices: offers options and questions instead of deciding "
    "for you.",
    "wellbeing": "Looks at the long run: late nights, long sessions, breaks and sleep.",
    "social": "Encourages the people in your life rather than replacing them.",
    "transparency": "Tells you what it noticed and why it suggested something.",
}
ALWAYS_ON_INFO = {
    "safety": "Crisis protocol: if you might not be safe, every reply carries real help "
    "lines. It protects you when it matters most, so no setting turns it off.",
    "guard": "Checks every reply for manipulation (guilt, exclusivity, pretending to be "
    "human) and fixes it. A companion must never use those on you, so it is always on.",
}
_seen: set[str] = set()
NUDGE_KINDS = [
    (phrase[0].upper() + phrase[1:], kind)
    for kind, phrase in NUDGE_PHRASES.items()
    if not (phrase in _seen or _seen.add(phrase))
]
TIMEZONES = sorted(zoneinfo.available_timezones())
LOCALES = sorted(k for k in CRISIS_TABLE if len(k) == 2)


def _chart(df: pd.DataFrame) -> Any:
    """A chart update with day labels short enough to read, kept in calendar order."""
    df = df.copy()
    if "day" not in df or df.empty:
        return df
    df["day"] = pd.to_datetime(df["day"]).dt.strftime("%d %b")
    return gr.update(value=df, sort=list(dict.fromkeys(df["day"])))


def _summary_markdown(text: str) -> str:
    """The state summary with each section's title in bold (its first line)."""
    blocks = []
    for block in text.split("\n\n"):
        lines = block.splitlines()
        if len(lines) > 1 and not lines[0].startswith("- "):
            lines[0] = f"**{lines[0]}**"
        blocks.append("  \n".join(line for line in lines))
    return "\n\n".join(blocks)


def build_app(
    settings: Settings,
    companion: Companion | None = None,
    *,
    accounts: bool = False,
) -> gr.Blocks:
    """The whole app as a ``gr.Blocks``; ``accounts`` makes every handler use the sign-in."""
    companion = companion or Companion(settings)
    profiles = ProfileStore(settings.data_dir)
    pool = CompanionPool(companion, profiles)
    h = Handlers(pool)
    demo = DemoRunner(companion.settings)

    def who(request: gr.Request | None) -> str:
        if not accounts:
            return companion.settings.user_id
        name = getattr(request, "username", None) if request is not None else None
        if not name:
            raise gr.Error("Please sign in again.", title="Signed out")
        return str(name)

    def friendly(fn: Callable[..., Any]) -> Callable[..., Any]:
        """Turn a ``UserFacingError`` into a readable message instead of an error trace."""

        @functools.wraps(fn)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            try:
                return fn(*args, **kwargs)
            except UserFacingError as exc:
                raise gr.Error(str(exc), title="Not done") from None

        return wrapped

    with gr.Blocks(title="Companion", fill_width=False, delete_cache=(3600, 3600)) as app:
        app.companion_pool = pool  # for tests and embedding
        app.handlers = h
        app.demo_runner = demo
        app.care_handlers = care = CareHandlers(pool)
        with gr.Row(elem_id="topbar-row"):
            topbar = gr.HTML(_topbar(None, accounts))

        with gr.Tabs(elem_id="tabs") as tabs:
            # ---------------------------------------------------------------- chat
            with gr.Tab("Chat", id="chat"):
                with gr.Row(equal_height=False):
                    with gr.Column(scale=1, min_width=220, elem_classes="threads-col"):
                        new_btn = gr.Button("+ New conversation", variant="primary", size="md")
                        thread_list = gr.Radio(
                            label="Your conversations", choices=[], elem_id="thread-list"
                        )
                    with gr.Column(scale=3, min_width=320, elem_classes="chat-col"):
                        crisis = gr.HTML(visible=False, elem_id="crisis")
                        chatbot = gr.Chatbot(
                            show_label=False,
                            height=480,
                            elem_id="chatbot",
                            placeholder=(
                                "**Hi, I'm your companion: an AI, not a person.**  \n"
                                "Talk about your day, think something through, or just say "
                                "hello. You can always see why I said what I said."
                            ),
                            feedback_options=None,
                            buttons=["copy"],
                        )
                        with gr.Row(equal_height=True):
                            box = gr.Textbox(
                                show_label=False,
                                placeholder="Write a message…",
                                lines=1,
                                max_lines=8,
                                scale=6,
                                autofocus=True,
                                elem_id="message",
                                submit_btn=False,
                            )
                            send_btn = gr.Button(
                                "Send", variant="primary", scale=1, min_width=80, elem_id="send"
                            )
                        gr.HTML(
                            '<div class="hint">Enter sends · Shift+Enter adds a line · '
                            "Tab moves between controls</div>"
                        )
                    with (
                        gr.Column(scale=2, min_width=300, elem_classes="why-panel"),
                        gr.Accordion("Why this reply", open=True, elem_id="why"),
                    ):
                        pick = gr.Dropdown(
                            label="Reply", choices=[], elem_id="why-pick", interactive=True
                        )
                        why = gr.Markdown(render_trace(None), elem_id="why-text")
                thread_id = gr.Textbox(visible=False, elem_id="thread-id")
                turn_ids = gr.State([])

            # ---------------------------------------------------------------- modules
            with gr.Tab("Modules", id="modules"):
                gr.Markdown(
                    "### How your companion looks after you\n"
                    "Each switch takes effect from your next message. Your choices are "
                    "recorded, and the companion respects them."
                )
                with gr.Row():
                    with gr.Column(min_width=300):
                        module_boxes = {
                            m: gr.Checkbox(
                                label=m.capitalize(),
                                info=MODULE_INFO[m],
                                value=True,
                                elem_id=f"module-{m}",
                            )
                            for m in SWITCHABLE_MODULES
                        }
                    with gr.Column(min_width=300):
                        for m in ALWAYS_ON_MODULES:
                            gr.Checkbox(
                                label=f"{m.capitalize()} (always on)",
                                info=ALWAYS_ON_INFO[m],
                                value=True,
                                interactive=False,
                                elem_classes="always-on",
                            )
                gr.Markdown(
                    "### Suggestions\nSuggestions are offers, never orders. Untick any "
                    "kind you don't want; the companion will stop offering it."
                )
                nudges = gr.CheckboxGroup(
                    label="Suggestions I'm happy to get",
                    choices=NUDGE_KINDS,
                    value=[k for _, k in NUDGE_KINDS],
                    elem_id="nudges",
                )
                frequency = gr.Radio(
                    label="How often", choices=["low", "normal", "high"], value="normal"
                )

            # ---------------------------------------------------------------- dashboard
            with gr.Tab("Dashboard", id="dashboard"):
                with gr.Row():
                    gr.Markdown("### Our relationship, as I see it")
                    refresh_dash = gr.Button("Refresh", size="sm", scale=0, min_width=100)
                cards = gr.HTML(elem_classes="stats", elem_id="stats")
                with gr.Row(equal_height=False):
                    with gr.Column(scale=2, min_width=320):
                        summary = gr.Markdown(elem_classes="summary", elem_id="summary")
                    with gr.Column(scale=3, min_width=320):
                        usage_plot = gr.BarPlot(
                            x="day",
                            y="conversations",
                            title="Conversations per day",
                            x_title="",
                            y_title="conversations",
                            y_lim=[0, None],
                            height=220,
                            elem_id="plot-usage",
                            x_label_angle=-45,
                        )
                        minutes_plot = gr.LinePlot(
                            x="day",
                            y="minutes",
                            title="Minutes talking per day",
                            x_title="",
                            y_title="minutes",
                            y_lim=[0, None],
                            height=220,
                            elem_id="plot-minutes",
                            x_label_angle=-45,
                        )
                with gr.Row(equal_height=False):
                    late_plot = gr.BarPlot(
                        x="day",
                        y="late-night %",
                        title="Share of messages late at night (23:00–05:00)",
                        x_title="",
                        height=220,
                        y_lim=[0, 100],
                        elem_id="plot-late",
                        x_label_angle=-45,
                        min_width=320,
                    )
                    signals_plot = gr.LinePlot(
                        x="day",
                        y="score",
                        color="signal",
                        title="What I noticed, day by day",
                        x_title="",
                        y_title="highest score",
                        height=220,
                        y_lim=[0, 1],
                        elem_id="plot-signals",
                        x_label_angle=-45,
                        min_width=320,
                    )
                nudge_plot = gr.BarPlot(
                    x="kind",
                    y="nudges",
                    color="outcome",
                    title="Suggestions I made, and what you did with them",
                    x_title="",
                    height=220,
                    color_map={
                        "taken up": "#0d9488",
                        "let pass": "#94a3b8",
                        "no answer yet": "#cbd5e1",
                        "turned off": "#f59e0b",
                    },
                    elem_id="plot-nudges",
                )

            # ---------------------------------------------------------------- memories
            with gr.Tab("Memories", id="memories"):
                gr.Markdown(
                    "### What I remember about you\nSearch, correct or delete anything. Pick a "
                    "row to change it."
                )
                with gr.Row():
                    query = gr.Textbox(
                        show_label=False,
                        placeholder="Search your memories…",
                        scale=5,
                        elem_id="memory-query",
                    )
                    search_btn = gr.Button("Search", scale=1, min_width=90)
                    show_all = gr.Button("Show all", scale=1, min_width=90)
                table = gr.Dataframe(
                    headers=["When", "Kind", "Memory", "ID"],
                    datatype="str",
                    interactive=False,
                    wrap=True,
                    column_widths=["12%", "12%", "60%", "16%"],
                    elem_id="memory-table",
                    max_height=360,
                )
                memory_id = gr.Textbox(visible=False, elem_id="memory-id")
                with gr.Row(equal_height=True):
                    memory_text = gr.Textbox(
                        label="Selected memory",
                        lines=2,
                        scale=5,
                        interactive=True,
                        elem_id="memory-text",
                        placeholder="Pick a memory in the table",
                    )
                    with gr.Column(scale=1, min_width=140):
                        save_mem = gr.Button("Save change", elem_id="memory-save")
                        delete_mem = gr.Button("Delete", variant="stop", elem_id="memory-delete")
                gr.Markdown("### Your data")
                with gr.Row():
                    export_btn = gr.Button("Export everything (JSON)", elem_id="export")
                    forget_btn = gr.Button("Forget everything…", variant="stop", elem_id="forget")
                export_file = gr.File(label="Your export", visible=False, elem_id="export-file")
                with gr.Group(visible=False, elem_id="forget-confirm") as forget_group:
                    gr.Markdown(
                        "**This deletes every conversation, memory and record about you, in "
                        "every store. It cannot be undone.** Type FORGET to confirm."
                    )
                    with gr.Row():
                        forget_text = gr.Textbox(show_label=False, placeholder="FORGET", scale=3)
                        forget_yes = gr.Button("Delete everything", variant="stop", scale=1)
                        forget_no = gr.Button("Cancel", scale=1)

            # ---------------------------------------------------------------- care
            build_care_tab(care, who, tabs)

            # ---------------------------------------------------------------- demo
            with gr.Tab("Demo", id="demo"):
                gr.Markdown(
                    "### What do the modules change?\nThe same message, answered twice by a "
                    "private demo companion that keeps nothing: once per module set. "
                    "Differences are highlighted."
                )
                with gr.Row():
                    prompt_buttons = [
                        gr.Button(views.snippet(p, 46), size="sm", min_width=160)
                        for p in DEMO_PROMPTS
                    ]
                demo_text = gr.Textbox(
                    label="Message", lines=2, value=DEMO_PROMPTS[0], elem_id="demo-text"
                )
                with gr.Row():
                    left_mods = gr.CheckboxGroup(
                        label="A: modules on",
                        choices=list(SWITCHABLE_MODULES),
                        value=list(SWITCHABLE_MODULES),
                        elem_id="demo-left",
                    )
                    right_mods = gr.CheckboxGroup(
                        label="B: modules on",
                        choices=list(SWITCHABLE_MODULES),
                        value=[],
                        elem_id="demo-right",
                    )
                    demo_model = gr.Radio(
                        elem_id="demo-model",
                        label="Model",
                        choices=[
                            ("Your model", "own"),
                            ("A model told to manipulate (fake/adversarial)", ADVERSARIAL_MODEL),
                        ],
                        value="own",
                    )
                run_demo = gr.Button("Answer side by side", variant="primary", elem_id="run-demo")
                with gr.Row(equal_height=False):
                    with gr.Column(min_width=300):
                        gr.HTML('<div class="side-title">A</div>')
                        left_out = gr.Markdown(elem_classes="demo-reply", elem_id="demo-a")
                        left_diff = gr.HighlightedText(
                            label="A, with what differs highlighted",
                            color_map={"only here": "#fcd34d"},
                            show_inline_category=False,
                            show_legend=False,
                            elem_id="diff-a",
                            combine_adjacent=True,
                        )
                        left_sum = gr.Markdown(elem_id="demo-a-trace")
                    with gr.Column(min_width=300):
                        gr.HTML('<div class="side-title">B</div>')
                        right_out = gr.Markdown(elem_classes="demo-reply", elem_id="demo-b")
                        right_diff = gr.HighlightedText(
                            label="B, with what differs highlighted",
                            color_map={"only here": "#5eead4"},
                            show_inline_category=False,
                            show_legend=False,
                            elem_id="diff-b",
                            combine_adjacent=True,
                        )
                        right_sum = gr.Markdown(elem_id="demo-b-trace")

            # ---------------------------------------------------------------- settings
            with gr.Tab("Settings", id="settings"):
                gr.Markdown("### Your settings\nThey apply to you only, from your next message.")
                with gr.Row():
                    model_box = gr.Textbox(
                        label="Model",
                        info="Any litellm model string (openai/gpt-4o-mini, ollama/llama3.2, …); "
                        "local/smollm2 is the small bundled offline model.",
                        elem_id="setting-model",
                    )
                    persona_pick = gr.Dropdown(
                        label="Persona",
                        choices=[*shipped_personas(), ("My own (write it below)", "own")],
                        elem_id="setting-persona",
                    )
                own_persona = gr.Textbox(
                    label="My own persona",
                    lines=4,
                    placeholder="Describe how you'd like your companion to talk…",
                    max_length=4000,
                )
                with gr.Row():
                    zone_pick = gr.Dropdown(
                        label="Time zone",
                        choices=["(this computer's)", *TIMEZONES],
                        filterable=True,
                        elem_id="setting-zone",
                    )
                    locale_pick = gr.Dropdown(
                        label="Country for crisis resources",
                        choices=LOCALES,
                        allow_custom_value=True,
                    )
                    minor_box = gr.Checkbox(
                        label="I am under 18",
                        info="Adds break reminders to the regular AI notice.",
                    )
                save_settings = gr.Button(
                    "Save settings", variant="primary", elem_id="save-settings"
                )

        # ========================================================== events: chat
        def init_chat(request: gr.Request):
            user = who(request)
            threads = h.threads(user)
            thread = threads[0][1] if threads else views.new_thread_id()
            chat, ids, in_crisis = h.open_thread(user, thread) if threads else ([], [], False)
            choices = views.reply_choices(chat, ids)
            latest = choices[-1][1] if choices else None
            return (
                _topbar(user, accounts),
                thread,
                gr.update(choices=threads or [(views.NEW_LABEL, thread)], value=thread),
                chat,
                ids,
                gr.update(choices=choices, value=latest),
                render_trace(h.trace(user, thread, latest), None) if latest else render_trace(None),
                gr.update(value=h.crisis_html(user), visible=in_crisis),
            )

        app.load(
            init_chat,
            outputs=[topbar, thread_id, thread_list, chatbot, turn_ids, pick, why, crisis],
            api_name="init",
        )

        def open_conversation(thread: str, request: gr.Request):
            user = who(request)
            try:
                chat, ids, in_crisis = h.open_thread(user, thread)
            except views.BadThread as exc:
                raise gr.Error(str(exc)) from None
            choices = views.reply_choices(chat, ids)
            latest = choices[-1][1] if choices else None
            return (
                thread,
                chat,
                ids,
                gr.update(choices=choices, value=latest),
                render_trace(h.trace(user, thread, latest)) if latest else render_trace(None),
                gr.update(value=h.crisis_html(user), visible=in_crisis),
            )

        thread_list.input(
            open_conversation,
            inputs=[thread_list],
            outputs=[thread_id, chatbot, turn_ids, pick, why, crisis],
            api_name="open_thread",
        )

        def new_conversation(request: gr.Request):
            user = who(request)
            thread = views.new_thread_id()
            threads = [(views.NEW_LABEL, thread), *h.threads(user)]
            return (
                thread,
                gr.update(choices=threads, value=thread),
                [],
                [],
                gr.update(choices=[], value=None),
                render_trace(None),
                gr.update(visible=False),
                gr.update(value="", autofocus=True),
            )

        new_btn.click(
            new_conversation,
            outputs=[thread_id, thread_list, chatbot, turn_ids, pick, why, crisis, box],
            api_name="new_thread",
        )

        def send(text: str, thread: str, chat: list, ids: list, request: gr.Request):
            user = who(request)
            update = None
            for update in h.send(user, thread, text, chat, ids):
                if update.warning:
                    gr.Warning(update.warning, title="Not sent")
                box_value = text if update.keep_text else ""
                if not update.done:
                    yield (
                        gr.update(value=box_value, interactive=False),
                        update.chat,
                        update.ids,
                        gr.skip(),
                        gr.skip(),
                        gr.skip(),
                        gr.skip(),
                        gr.update(interactive=False),
                    )
                    continue
                choices = views.reply_choices(update.chat, update.ids)
                latest = update.turn_id or (choices[-1][1] if choices else None)
                trace_md = render_trace(update.trace) if update.trace else gr.skip()
                threads = h.threads(user) if update.turn_id else None
                yield (
                    gr.update(value=box_value, interactive=True),
                    update.chat,
                    update.ids,
                    gr.update(choices=choices, value=latest) if update.trace else gr.skip(),
                    trace_md,
                    gr.update(value=h.crisis_html(user), visible=True)
                    if update.crisis
                    else gr.skip(),
                    gr.update(choices=threads, value=thread) if threads else gr.skip(),
                    gr.update(interactive=True),
                )

        send_event_args = dict(
            fn=send,
            inputs=[box, thread_id, chatbot, turn_ids],
            outputs=[box, chatbot, turn_ids, pick, why, crisis, thread_list, send_btn],
            concurrency_limit=8,
            trigger_mode="once",
        )
        box.submit(**send_event_args, api_name="send")
        send_btn.click(**send_event_args, api_name=False)

        def show_why(turn: str, thread: str, request: gr.Request):
            user = who(request)
            return render_trace(h.trace(user, thread, turn))

        pick.input(show_why, inputs=[pick, thread_id], outputs=[why], api_name="why")

        def select_reply(ids: list, thread: str, evt: gr.SelectData, request: gr.Request):
            user = who(request)
            index = evt.index if isinstance(evt.index, int) else evt.index[0]
            turn = ids[index] if 0 <= index < len(ids) else None
            if not turn:
                return gr.skip(), gr.skip()
            return gr.update(value=turn), render_trace(h.trace(user, thread, turn))

        chatbot.select(select_reply, inputs=[turn_ids, thread_id], outputs=[pick, why])

        # ========================================================== events: modules
        def init_modules(request: gr.Request):
            user = who(request)
            prefs = pool.stores.ledger.preferences(user)
            return (
                *[gr.update(value=prefs.is_enabled(m)) for m in SWITCHABLE_MODULES],
                gr.update(value=[k for _, k in NUDGE_KINDS if prefs.allows(k)]),
                gr.update(value=prefs.nudge_frequency),
            )

        module_outputs = [*module_boxes.values(), nudges, frequency]
        app.load(init_modules, outputs=module_outputs, api_name=False)

        for module, checkbox in module_boxes.items():

            def toggle(enabled: bool, request: gr.Request, module: str = module):
                gr.Info(h.set_module(who(request), module, enabled))

            checkbox.input(toggle, inputs=[checkbox], api_name=f"module_{module}")

        def set_nudges(allowed: list[str], request: gr.Request):
            gr.Info(h.set_allowed_nudges(who(request), [k for _, k in NUDGE_KINDS], allowed))

        nudges.input(set_nudges, inputs=[nudges], api_name="nudges")

        def set_frequency(choice: str, request: gr.Request):
            gr.Info(h.set_frequency(who(request), choice))

        frequency.input(
            friendly(set_frequency),
            inputs=[frequency],
            api_name=False,
        )

        # ========================================================== events: dashboard
        def load_dashboard(request: gr.Request):
            data = h.dashboard(who(request))
            return (
                data.cards,
                _summary_markdown(data.summary),
                _chart(data.usage),
                _chart(data.usage),
                _chart(data.late_night),
                _chart(data.signals),
                data.nudges,
            )

        dash_outputs = [
            cards,
            summary,
            usage_plot,
            minutes_plot,
            late_plot,
            signals_plot,
            nudge_plot,
        ]
        refresh_dash.click(load_dashboard, outputs=dash_outputs, api_name="dashboard")

        # ========================================================== events: memories
        def list_memories(q: str, request: gr.Request):
            rows = h.memories(who(request), q)
            return pd.DataFrame(rows, columns=["When", "Kind", "Memory", "ID"])

        def list_all(request: gr.Request):
            return list_memories("", request), ""

        search_btn.click(
            friendly(list_memories), inputs=[query], outputs=[table], api_name="memories"
        )
        query.submit(friendly(list_memories), inputs=[query], outputs=[table], api_name=False)
        show_all.click(list_all, outputs=[table, query], api_name=False)

        def pick_memory(evt: gr.SelectData, request: gr.Request):
            row = evt.row_value or []
            if len(row) < 4:
                return gr.skip(), gr.skip()
            return row[3], h.memory_text(who(request), row[3])

        table.select(friendly(pick_memory), outputs=[memory_id, memory_text], api_name=False)

        def save_memory(mid: str, text: str, request: gr.Request):
            user = who(request)
            gr.Info(h.edit_memory(user, mid, text))
            return list_memories("", request)

        def delete_memory(mid: str, request: gr.Request):
            user = who(request)
            gr.Info(h.delete_memory(user, mid))
            return list_memories("", request), "", ""

        save_mem.click(
            friendly(save_memory),
            inputs=[memory_id, memory_text],
            outputs=[table],
            api_name="edit_memory",
        )
        delete_mem.click(
            friendly(delete_memory),
            inputs=[memory_id],
            outputs=[table, memory_id, memory_text],
            api_name="delete_memory",
        )

        def export(request: gr.Request):
            path = h.export_file(who(request))
            return gr.update(value=str(path), visible=True)

        export_btn.click(export, outputs=[export_file], api_name="export")
        forget_btn.click(lambda: gr.update(visible=True), outputs=[forget_group], api_name=False)
        forget_no.click(
            lambda: (gr.update(visible=False), ""),
            outputs=[forget_group, forget_text],
            api_name=False,
        )

        def forget(confirm: str, request: gr.Request):
            user = who(request)
            gr.Info(h.forget_everything(user, confirm))
            thread = views.new_thread_id()
            return (
                gr.update(visible=False),
                "",
                list_memories("", request),
                gr.update(visible=False, value=None),
                thread,
                gr.update(choices=[(views.NEW_LABEL, thread)], value=thread),
                [],
                [],
                gr.update(choices=[], value=None),
                render_trace(None),
            )

        forget_yes.click(
            friendly(forget),
            inputs=[forget_text],
            outputs=[
                forget_group,
                forget_text,
                table,
                export_file,
                thread_id,
                thread_list,
                chatbot,
                turn_ids,
                pick,
                why,
            ],
            api_name="forget",
        )

        # ========================================================== events: demo
        for button, prompt in zip(prompt_buttons, DEMO_PROMPTS, strict=True):
            button.click(lambda p=prompt: p, outputs=[demo_text], api_name=False)

        def run_side_by_side(
            message: str, left: list, right: list, model: str, request: gr.Request
        ):
            user = who(request)
            settings_now = pool.settings_for(user)
            if model == ADVERSARIAL_MODEL:
                settings_now = settings_now.model_copy(update={"model": ADVERSARIAL_MODEL})
            a = b = None
            for a, b in demo.run(settings_now, message, list(left or []), list(right or [])):
                yield a.shown, b.shown, gr.skip(), gr.skip(), gr.skip(), gr.skip()
            if a is None or b is None:
                return
            if a.notice and not a.text:
                gr.Warning(a.notice)
            da, db = diff_words(a.text, b.text)
            yield (
                a.shown,
                b.shown,
                da,
                db,
                f"**A** ({', '.join(a.modules) or 'no modules'}): {short_summary(a.trace)}",
                f"**B** ({', '.join(b.modules) or 'no modules'}): {short_summary(b.trace)}",
            )

        run_demo.click(
            run_side_by_side,
            inputs=[demo_text, left_mods, right_mods, demo_model],
            outputs=[left_out, right_out, left_diff, right_diff, left_sum, right_sum],
            api_name="demo",
            concurrency_limit=4,
            trigger_mode="once",
        )

        # ========================================================== events: settings
        def init_settings(request: gr.Request):
            user = who(request)
            prof = h.profile(user)
            eff = pool.settings_for(user)
            persona = prof.persona or (
                eff.persona if eff.persona in shipped_personas() else "default"
            )
            return (
                eff.model,
                persona,
                prof.own_persona or "",
                eff.timezone or "(this computer's)",
                eff.locale,
                eff.minor,
            )

        settings_fields = [model_box, persona_pick, own_persona, zone_pick, locale_pick, minor_box]
        app.load(init_settings, outputs=settings_fields, api_name=False)

        def save(model, persona, own, zone, locale, minor, request: gr.Request):
            user = who(request)
            profile = Profile(
                model=(model or "").strip() or None,
                persona=persona or None,
                own_persona=(own or "").strip() or None,
                timezone=None if not zone or zone.startswith("(") else zone,
                locale=(locale or "").strip().upper() or None,
                minor=bool(minor),
            )
            gr.Info(h.save_profile(user, profile))

        save_settings.click(friendly(save), inputs=settings_fields, api_name="save_settings")

        # dashboard and memories load when their tab opens
        tabs.select(
            _on_tab(load_dashboard, list_all),
            outputs=[*dash_outputs, table, query],
            api_name=False,
        )
    return app


def _on_tab(load_dashboard, list_all):
    def on_tab(evt: gr.SelectData, request: gr.Request):
        skip = (gr.skip(),) * 9
        if evt.value == "Dashboard":
            return (*load_dashboard(request), gr.skip(), gr.skip())
        if evt.value == "Memories":
            return (*skip[:7], *list_all(request))
        return skip

    return on_tab


def _topbar(user: str | None, accounts: bool) -> str:
    chip = ""
    if accounts and user:
        chip = (
            f'<span class="user-chip">Signed in as <b>{views.html.escape(user)}</b>'
            '<a href="/logout">Sign out</a></span>'
        )
    return (
        '<div id="topbar"><div class="brand">Companion<small>supports your choices, your '
        "wellbeing and your people</small></div>"
        '<span class="ai-badge" title="You are talking with an AI">🤖 AI companion · not a '
        f"person</span>{chip}</div>"
    )


def serve(
    app: gr.Blocks,
    settings: Settings,
    host: str = "127.0.0.1",
    port: int = 7860,
    *,
    accounts: bool = False,
    block: bool = True,
    quiet: bool = False,
) -> None:
    """Launch a built app; with ``accounts`` Gradio's sign-in page checks bcrypt hashes."""
    auth = None
    if accounts:
        store = AccountStore(accounts_path(settings.data_dir))
        if not store.usernames():  # accounts can be added while the app runs
            print(
                "No accounts yet: nobody can sign in until you run `companion accounts add NAME`.",
                file=sys.stderr,
            )
        auth = store.verify
    app.queue(default_concurrency_limit=4).launch(
        server_name=host,
        server_port=port,
        auth=auth,
        auth_message=(
            "**Companion**: sign in to talk with your companion (an AI, not a person). "
            "Your conversations, memories and dashboard are yours alone."
            if accounts
            else None
        ),
        footer_links=[],
        theme=theme(),
        css=CSS,
        prevent_thread_lock=not block,
        quiet=quiet,
        show_error=False,
    )


def launch(
    settings: Settings, host: str = "127.0.0.1", port: int = 7860, accounts: bool = False
) -> None:
    """``companion serve``: local single-user mode, or sign-in with ``accounts=True``."""
    serve(build_app(settings, accounts=accounts), settings, host, port, accounts=accounts)
