"""The CLI: `companion jobs`, `checkin`, `inbox`, `worker` - readable output, no tracebacks."""

from __future__ import annotations

import pytest
import typer
from typer.testing import CliRunner

from companion.commands import jobs as jobs_cmd
from companion.inbox import Inbox


@pytest.fixture
def cli(tmp_path, monkeypatch):
    monkeypatch.setenv("COMPANION_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("COMPANION_USER_ID", "ana")
    monkeypatch.setenv("COMPANION_TIMEZONE", "UTC")
    monkeypatch.setenv("COMPANION_MODEL", "fake/echo")
    app = typer.Typer()
    app.add_typer(jobs_cmd.app, name="jobs")
    app.command("worker")(jobs_cmd.worker_command)
    app.command("checkin")(jobs_cmd.checkin_command)
    app.command("inbox")(jobs_cmd.inbox_command)
    runner = CliRunner()

    def run(*args: str, input: str | None = None):  # noqa: A002
        return runner.invoke(app, list(args), input=input)

    run.data_dir = tmp_path / "data"
    return run


def test_jobs_lists_nothing_for_a_new_person_and_names_what_is_off(cli):
    out = cli("jobs")
    assert out.exit_code == 0, out.output
    assert "Nothing is scheduled for you." in out.output
    assert "reflection, checkins, proactive" in out.output


def test_optin_list_and_cancel(cli):
    out = cli("jobs", "optin", "proactive", "--max-per-week", "3", "--quiet", "21:30-07:00")
    assert out.exit_code == 0, out.output
    assert "At most 3 a week, never between 21:30 and 07:00" in out.output
    listed = cli("jobs", "list")
    assert "proactive:ana" in listed.output and "at most 3 a week" in listed.output
    assert "consolidate-nightly:ana" in listed.output and "Why:" in listed.output
    out = cli("jobs", "cancel", "proactive:ana")
    assert out.exit_code == 0 and "Cancelled: Occasional note" in out.output
    assert "proactive:ana" not in cli("jobs", "list").output
    assert '"proactive": false' in cli("jobs", "prefs", "--json").output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("jobs", "optin", "proactive", "--quiet", "late"), "quiet hours must look like"),
        (("jobs", "optin", "proactive", "--max-per-week", "20"), "max_per_week"),
        (("jobs", "optin", "telepathy"), "unknown feature"),
        (("jobs", "optin", "reflection", "--day", "someday"), "--day must be a weekday"),
        (("jobs", "optin", "reflection", "--at", "25:00"), "reflection_time"),
        (("jobs", "cancel", "nope"), "no job 'nope'"),
    ],
)
def test_bad_input_gives_one_readable_line(cli, args, message):
    out = cli(*args)
    assert out.exit_code == 1
    assert message in out.output
    assert "Traceback" not in out.output


def test_checkin_asks_four_skippable_questions_and_shows_the_trend(cli):
    # Invalid answer first (re-asked), then 3, 2, 3 and the direct question skipped.
    out = cli("checkin", input="7\n3\n2\n3\n\n")
    assert out.exit_code == 0, out.output
    assert "Please type one of 1, 2, 3" in out.output
    assert "How often do you feel isolated from others?" in out.output
    assert "Saved" in out.output
    again = cli("checkin")
    assert "spaced at least two weeks apart" in again.output
    trend = cli("checkin", "--trend")
    assert "Loneliness scale (3-9)" in trend.output and " 8" in trend.output
    assert "How often lonely" not in trend.output


def test_checkin_can_be_stopped_without_saving_anything(cli):
    out = cli("checkin", input="q\n")
    assert out.exit_code == 0 and "Nothing saved" in out.output
    assert "No check-ins yet." in cli("checkin", "--trend").output


def test_inbox_shows_waiting_messages_once_and_marks_them_read(cli):
    cli("jobs")  # creates the data directory and database
    box = Inbox(f"sqlite:///{cli.data_dir / 'jobs.sqlite3'}")
    box.post("ana", "reflection", "Your week: we talked twice.", "You turned it on.")
    box.post("ben", "reflection", "Not for Ana.", "You turned it on.")
    box.close()
    assert "1 message(s) wait in your inbox" in cli("jobs").output
    assert "Your week" in cli("inbox", "--keep-unread").output
    out = cli("inbox")
    assert "Your week: we talked twice." in out.output and "Not for Ana." not in out.output
    assert "(Why: You turned it on.)" in out.output
    assert "No new messages." in cli("inbox").output
    assert "Your week" in cli("inbox", "--all").output


@pytest.fixture
def light_stores(monkeypatch, tmp_path):
    """The worker's stores without loading the embedder: a real ledger and a fake memory."""
    from types import SimpleNamespace

    import companion.stores
    from alignment.ledger import Ledger, default_url
    from tests.scheduler.conftest import FakeMemory

    memory = FakeMemory(users=["ana", "ben"])

    def fake_open(settings):  # noqa: ANN001, ANN202
        ledger = Ledger(default_url(settings.data_dir))
        return SimpleNamespace(ledger=ledger, memory=memory, close=ledger.close)

    monkeypatch.setattr(companion.stores, "open_stores", fake_open)
    return memory


def test_worker_starts_enrols_known_people_and_stops_cleanly(cli, light_stores):
    out = cli("worker", "--stop-after", "0.3")
    assert out.exit_code == 0, out.output
    assert "Worker running for 2 people" in out.output and "Worker stopped." in out.output
    listed = cli("jobs", "list")
    assert "consolidate-nightly:ana" in listed.output


def test_run_due_reports_nothing_due(cli, light_stores):
    out = cli("jobs", "run-due")
    assert out.exit_code == 0, out.output
    assert "Nothing was due." in out.output


def test_runs_lists_what_happened_including_silence(cli):
    assert "No job has run for you yet." in cli("jobs", "runs").output
    from datetime import UTC, datetime

    from companion.scheduler.store import CareStore

    cli("jobs", "optin", "proactive")
    store = CareStore(f"sqlite:///{cli.data_dir / 'jobs.sqlite3'}")
    at = datetime(2031, 3, 3, 23, 0, tzinfo=UTC)
    store.claim("proactive:ana", at, "proactive", "ana", at)
    store.finish("proactive:ana", at, "done", "stayed silent: it is within your quiet hours", at)
    store.close()
    out = cli("jobs", "runs")
    assert "proactive:ana  done: stayed silent: it is within your quiet hours" in out.output
