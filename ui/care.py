"""The "Care" tab: inbox, background jobs, the person's opt-in choices and the check-in.

``CareHandlers`` holds the actions, each for an explicit server-side ``user_id`` (never one
from the browser), and turns every expected error into a short sentence so the tab shows a
message instead of a traceback. ``build_care_tab`` lays out the tab and wires its events.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import gradio as gr
import pandas as pd

from alignment.checkins import CheckinError, CheckinTooSoon
from alignment.ledger import LedgerError
from companion.inbox import InboxError
from companion.scheduler import panel
from companion.scheduler.errors import SchedulerError
from ui import views
from ui.pool import CompanionPool

log = logging.getLogger(__name__)

EXPECTED = (SchedulerError, CheckinError, InboxError, LedgerError)
TREND_COLUMNS = ["when", "scale", "score"]
SCALE_NAMES = {
    "ucla3": "Three questions (3 = least lonely, 9 = most)",
    "loneliness_direct": "How often lonely (1 = never, 5 = often)",
}
INBOX_LABELS = {
    "reflection": "Weekly reflection",
    "checkin": "Check-in invitation",
    "proactive": "A note from your companion",
    "notice": "Notice",
}


def _message(exc: Exception) -> str:
    """A short, readable sentence for an error (expected ones keep their own text)."""
    if isinstance(exc, CheckinTooSoon):
        return (
            "It's a bit too soon for another check-in: they are spaced two weeks apart. "
            f"The next one opens on {exc.available_at:%d %b %Y}."
        )
    if isinstance(exc, EXPECTED):
        text = str(exc)
        return text[:1].upper() + text[1:]
    log.warning("care tab action failed: %s", type(exc).__name__)
    return "Sorry, that did not work. Please try again in a moment."


class CareHandlers:
    """The Care tab's actions over the deployment's shared job service and ledger."""

    def __init__(self, pool: CompanionPool) -> None:
        self.pool = pool

    @property
    def jobs(self) -> Any:
        return self.pool.base.stores.jobs

    @property
    def ledger(self) -> Any:
        return self.pool.base.stores.ledger

    # -- inbox --------------------------------------------------------------------------------

    def inbox(self, user_id: str) -> str:
        """Waiting messages as markdown (they count as read once shown)."""
        try:
            items = panel.inbox_items(self.jobs, user_id, mark_read=True)
        except Exception as exc:  # noqa: BLE001 - shown as a sentence, never a trace
            return _message(exc)
        if not items:
            return "Nothing new for you right now."
        blocks = []
        for item in items:
            title = INBOX_LABELS.get(item["kind"], item["kind"].title())
            when = str(item["created_at"])[:16].replace("T", " ")
            blocks.append(
                f"**{views.html.escape(title)}** · {when} UTC\n\n"
                f"{views.html.escape(item['text'])}\n\n"
                f"*Why you got this: {views.html.escape(item['why'])}*"
            )
        return "\n\n---\n\n".join(blocks)

    # -- background jobs ----------------------------------------------------------------------

    def job_table(self, user_id: str) -> tuple[list[list[str]], list[tuple[str, str]], str]:
        """(rows, dropdown choices (title, id), status)."""
        try:
            rows = panel.job_rows(self.jobs, user_id)
        except Exception as exc:  # noqa: BLE001
            return [], [], _message(exc)
        choices = [(f"{r[1]} ({r[0]})", r[0]) for r in rows]
        status = "" if rows else "Nothing is scheduled for you."
        return rows, choices, status

    def cancel(self, user_id: str, job_id: str | None) -> str:
        if not job_id:
            return "Pick a job to cancel first."
        try:
            return panel.cancel_job(self.jobs, user_id, job_id)
        except Exception as exc:  # noqa: BLE001
            return _message(exc)

    # -- choices ------------------------------------------------------------------------------

    def choices(self, user_id: str) -> dict[str, Any]:
        return panel.care_settings(self.jobs, user_id)

    def save_choices(
        self,
        user_id: str,
        reflection: bool,
        checkins: bool,
        proactive: bool,
        max_per_week: float,
        quiet_hours: str,
    ) -> str:
        try:
            return panel.update_care_settings(
                self.jobs,
                user_id,
                quiet_hours=(quiet_hours or "").strip() or None,
                reflection=bool(reflection),
                checkins=bool(checkins),
                proactive=bool(proactive),
                max_per_week=int(max_per_week),
            )
        except Exception as exc:  # noqa: BLE001
            return _message(exc)

    # -- check-in -----------------------------------------------------------------------------

    def submit_checkin(self, user_id: str, answers: dict[str, int | None]) -> str:
        try:
            return panel.submit_checkin(self.ledger, user_id, answers)
        except Exception as exc:  # noqa: BLE001
            return _message(exc)

    def trend(self, user_id: str) -> pd.DataFrame:
        """The check-in scores over time, one row per (time, scale)."""
        try:
            series = panel.checkin_series(self.ledger, user_id)
        except Exception as exc:  # noqa: BLE001
            log.warning("check-in trend failed: %s", type(exc).__name__)
            series = {}
        rows = [
            [str(p["at"])[:10], SCALE_NAMES.get(inst, inst), f"{p['score']:g}"]
            for inst, points in series.items()
            for p in points
        ]
        return pd.DataFrame(sorted(rows), columns=TREND_COLUMNS)


def build_care_tab(
    care: CareHandlers, who: Callable[[gr.Request | None], str], tabs: gr.Tabs
) -> None:
    """Lay out the Care tab (call inside ``gr.Tabs``) and wire its events."""
    questions = panel.checkin_questions()
    with gr.Tab("Care", id="care"):
        gr.Markdown("### Your inbox\nMessages your companion left while you were away.")
        inbox_md = gr.Markdown(elem_id="care-inbox")
        inbox_btn = gr.Button("Refresh inbox", size="sm", elem_id="care-inbox-refresh")

        gr.Markdown("### What runs in the background for you\nEach job says why it is there.")
        job_table = gr.Dataframe(
            headers=panel.JOB_COLUMNS,
            datatype="str",
            interactive=False,
            wrap=True,
            elem_id="care-jobs",
        )
        with gr.Row(equal_height=True):
            # custom values are safe: a cancel only ever looks in the signed-in person's jobs
            job_pick = gr.Dropdown(
                label="Job", choices=[], allow_custom_value=True, scale=4, elem_id="care-job"
            )
            cancel_btn = gr.Button("Cancel job", variant="stop", scale=1)
        job_status = gr.Markdown(elem_id="care-job-status")

        gr.Markdown("### Your choices\nEverything that writes to you is off until you turn it on.")
        with gr.Row():
            reflection = gr.Checkbox(label="Weekly reflection")
            checkins = gr.Checkbox(label="Check-in invitations")
            proactive = gr.Checkbox(label="Occasional notes from your companion")
        with gr.Row():
            max_week = gr.Slider(1, 7, step=1, value=2, label="At most this many notes a week")
            quiet = gr.Textbox(label="Quiet hours (no notes)", placeholder="22:00-08:00")
        save_btn = gr.Button("Save choices", variant="primary", elem_id="care-save")
        save_status = gr.Markdown(elem_id="care-save-status")

        gr.Markdown(
            "### Check-in\nAnswer any, skip any. Only you see the results, as a trend; "
            "they trigger nothing."
        )
        radios = [
            gr.Radio(
                choices=[(c["label"], c["value"]) for c in q["choices"]],
                label=q["text"],
                value=None,
            )
            for q in questions
        ]
        with gr.Row():
            submit_btn = gr.Button("Submit check-in", variant="primary", elem_id="care-submit")
            clear_btn = gr.Button("Clear my answers")
        checkin_status = gr.Markdown(elem_id="care-checkin-status")
        trend_table = gr.Dataframe(
            headers=TREND_COLUMNS, datatype="str", interactive=False, elem_id="care-trend"
        )

    choice_fields = [reflection, checkins, proactive, max_week, quiet]

    def load_jobs(request: gr.Request):
        rows, options, status = care.job_table(who(request))
        return rows, gr.update(choices=options, value=None), status

    def load_all(evt: gr.SelectData, request: gr.Request):
        if evt.value != "Care":
            return (gr.skip(),) * 10
        user = who(request)
        try:
            c = care.choices(user)
            values = (
                c["reflection"],
                c["checkins"],
                c["proactive"],
                c["max_per_week"],
                c["quiet_hours"],
            )
        except Exception as exc:  # noqa: BLE001
            log.warning("care choices failed: %s", type(exc).__name__)
            values = (gr.skip(),) * 5
        return (care.inbox(user), *load_jobs(request), *values, care.trend(user))

    tabs.select(
        load_all,
        outputs=[inbox_md, job_table, job_pick, job_status, *choice_fields, trend_table],
        api_name=False,
    )

    def refresh_inbox(request: gr.Request):
        return care.inbox(who(request))

    inbox_btn.click(refresh_inbox, outputs=[inbox_md], api_name=False)

    def cancel(job_id: str | None, request: gr.Request):
        status = care.cancel(who(request), job_id)
        rows, options_update, _ = load_jobs(request)
        return rows, options_update, status

    cancel_btn.click(
        cancel, inputs=[job_pick], outputs=[job_table, job_pick, job_status], api_name=False
    )

    def save(refl, chk, pro, cap, quiet_hours, request: gr.Request):
        status = care.save_choices(who(request), refl, chk, pro, cap, quiet_hours)
        rows, options_update, _ = load_jobs(request)
        return status, rows, options_update

    save_btn.click(
        save,
        inputs=choice_fields,
        outputs=[save_status, job_table, job_pick],
        api_name=False,
    )

    keys = {radio: q["key"] for radio, q in zip(radios, questions, strict=True)}

    def submit(values: dict[Any, Any], request: gr.Request):
        user = who(request)
        answers = {keys[radio]: value for radio, value in values.items()}
        return care.submit_checkin(user, answers), care.trend(user)

    submit_btn.click(
        submit, inputs=set(radios), outputs=[checkin_status, trend_table], api_name=False
    )
    clear_btn.click(lambda: [None] * len(radios), outputs=radios, api_name=False)
