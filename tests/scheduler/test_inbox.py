"""The inbox: per-person messages that wait in the app, readable, exportable, forgettable."""

from __future__ import annotations

from datetime import timedelta

import pytest

from companion.inbox import Inbox, InboxError
from tests.scheduler.conftest import T0


@pytest.fixture
def inbox(jobs_db):
    box = Inbox(jobs_db)
    yield box
    box.close()


def test_post_read_and_mark_read(inbox):
    a = inbox.post("ana", "reflection", "Your week: we talked twice.", "weekly", at=T0)
    b = inbox.post("ana", "proactive", "Hope the week is kind.", "opted in", at=T0 + timedelta(1))
    inbox.post("ben", "proactive", "Hello Ben.", "opted in", at=T0)
    assert [m.id for m in inbox.unread("ana")] == [a.id, b.id]
    assert inbox.unread_count("ana") == 2
    assert inbox.mark_read("ana", [a.id], at=T0 + timedelta(days=2)) == 1
    assert [m.id for m in inbox.unread("ana")] == [b.id]
    assert inbox.messages("ana")[0].read_at == T0 + timedelta(days=2)
    assert inbox.mark_read("ana") == 1
    assert inbox.unread_count("ana") == 0 and inbox.unread_count("ben") == 1


def test_one_person_cannot_read_or_mark_anothers_messages(inbox):
    m = inbox.post("ana", "proactive", "For Ana only.", "opted in", at=T0)
    assert inbox.mark_read("ben", [m.id]) == 0
    assert not inbox.delete("ben", m.id)
    assert inbox.messages("ben") == [] and inbox.unread("ana")[0].id == m.id


@pytest.mark.parametrize(
    ("kind", "text"), [("advert", "Buy now"), ("proactive", "   "), ("proactive", "x" * 2001)]
)
def test_bad_messages_are_refused(inbox, kind, text):
    with pytest.raises(InboxError):
        inbox.post("ana", kind, text, "why", at=T0)


def test_export_forget_import(inbox):
    inbox.post("ana", "reflection", "Your week: we talked twice.", "weekly", at=T0)
    inbox.post("ben", "proactive", "Hello Ben.", "opted in", at=T0)
    data = inbox.export_user("ana")
    assert [m["text"] for m in data["messages"]] == ["Your week: we talked twice."]
    assert inbox.forget_user("ana") == 1
    assert inbox.messages("ana") == [] and len(inbox.messages("ben")) == 1
    assert inbox.import_user("ana", data) == 1
    assert inbox.import_user("ana", data) == 1  # same ids: replaced, not duplicated
    assert [m.text for m in inbox.messages("ana")] == ["Your week: we talked twice."]
    with pytest.raises(InboxError):
        inbox.import_user("ana", {"messages": [{"nope": 1}]})
