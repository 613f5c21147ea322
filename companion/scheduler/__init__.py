"""Background jobs, opt-in check-ins and proactive messages, on the person's terms.

Public API (what ``companion serve``, the CLI and the UI call):

- ``start_background_scheduler(settings, companion) -> Jobs`` and ``open_jobs(settings, ...)``;
- ``Jobs``: ``note_activity``, ``list_jobs``, ``cancel``, ``prefs``, ``set_prefs``, ``opt_in``,
  ``opt_out``, ``run_due``, and ``export_user``/``forget_user``/``import_user`` (store "jobs");
- ``proactive.decide`` and ``prefs.in_quiet_hours``: the pure decision logic.
"""

from companion.scheduler.errors import PreferenceError, SchedulerError, UnknownJobError
from companion.scheduler.prefs import FEATURES, OPT_INS, CarePreferences, in_quiet_hours
from companion.scheduler.proactive import Decision, History, decide
from companion.scheduler.service import JobContext, JobInfo, Jobs, RunResult, build_scheduler
from companion.scheduler.setup import (
    enrol_known_users,
    jobs_url,
    open_jobs,
    start_background_scheduler,
)

__all__ = [
    "FEATURES",
    "OPT_INS",
    "CarePreferences",
    "Decision",
    "History",
    "JobContext",
    "JobInfo",
    "Jobs",
    "PreferenceError",
    "RunResult",
    "SchedulerError",
    "UnknownJobError",
    "build_scheduler",
    "decide",
    "enrol_known_users",
    "in_quiet_hours",
    "jobs_url",
    "open_jobs",
    "start_background_scheduler",
]
