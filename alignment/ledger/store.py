"""The relationship ledger: what the companion has noticed and done, per person, over time.

One ``Ledger`` wraps one SQLAlchemy engine (SQLite by default, PostgreSQL by URL). Every
method is one short transaction, so one instance can be shared by the threads of a Gradio
app. Every per-person query filters on ``user_id``; nothing here lists or reads across
people, except the anonymous crisis tally, which holds no person at all.
"""

from __future__ import annotations

import math
import uuid
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, date, datetime
from typing import Any, get_args

import sqlalchemy as sa
from pydantic import ValidationError
from pydantic_core import PydanticSerializationError

from alignment.ledger import rows
from alignment.ledger import schema as t
from alignment.ledger.checks import ident, utc
from alignment.ledger.checks import locale as check_locale
from alignment.ledger.engine import lock_user, make_engine, rehearsal, write
from alignment.ledger.errors import LedgerError, LedgerImportError, UnknownNudgeError
from alignment.ledger.models import (
    ALWAYS_ON,
    CheckinRecord,
    CrisisReferralCount,
    FiredSignals,
    LedgerStats,
    ModulePreferences,
    NudgeFrequency,
    NudgeRecord,
    NudgeResponse,
    PersonRecord,
    SessionRecord,
    Tone,
    TurnRecord,
    UserExport,
)
from alignment.ledger.portability import delete_person_rows, import_rows
from alignment.ledger.sessions import SESSION_GAP

Clock = Callable[[], datetime]


def _turns_of(user_id: str, since: datetime | None) -> list[sa.ColumnElement[bool]]:
    """Conditions for one person's turns, from ``since`` on when given."""
    c = t.turns.c
    cond = [c.user_id == ident(user_id, "user_id")]
    if since is not None:
        cond.append(c.at >= utc(since, "since"))
    return cond


_FREQUENCIES: tuple[str, ...] = get_args(NudgeFrequency)
_ANSWERS = ", ".join(r.value for r in NudgeResponse if r is not NudgeResponse.pending)


def _utcnow() -> datetime:
    return datetime.now(UTC)


class Ledger:
    """Per-person relationship ledger; also a ``UserDataStore`` (export, forget, import)."""

    name = "ledger"

    def __init__(self, url: str, *, clock: Clock | None = None) -> None:
        self.url = url
        self._now = clock or _utcnow
        self._engine = make_engine(url)
        try:
            t.metadata.create_all(self._engine)
        except sa.exc.SQLAlchemyError as exc:
            raise LedgerError(f"cannot open the ledger at {url!r}: {exc}") from exc

    def close(self) -> None:
        self._engine.dispose()

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def _when(self, at: datetime | None, what: str) -> datetime:
        return utc(self._now() if at is None else at, what)

    def _read(self, query: sa.Executable) -> list[sa.Row[Any]]:
        with self._engine.connect() as conn:
            return list(conn.execute(query).all())

    # -- turns and sessions ------------------------------------------------------------------

    def record_turn(
        self,
        user_id: str,
        thread_id: str,
        turn_id: str,
        at: datetime,
        scores: Mapping[str, float],
        fired: Iterable[str],
        trace: Mapping[str, Any],
    ) -> TurnRecord:
        """Store one turn's signal scores, fired names and trace (never the message text).

        Recording the same (thread, turn) again replaces it, so a retried turn is not counted
        twice. Datetimes inside the trace are stored as ISO text.
        """
        user_id = ident(user_id, "user_id")
        try:
            rec = TurnRecord(
                turn_id=ident(turn_id, "turn_id"),
                thread_id=ident(thread_id, "thread_id"),
                at=utc(at, "turn time"),
                scores={str(k): float(v) for k, v in dict(scores).items()},
                fired=[ident(f, "fired signal name") for f in fired],
                trace=dict(trace),
            )
            values = rows.turn_values(rec)  # also proves the trace is JSON-able
        except (ValidationError, PydanticSerializationError, TypeError, ValueError) as exc:
            raise LedgerError(f"cannot record turn: {exc}") from exc
        c = t.turns.c
        key = sa.and_(c.user_id == user_id, c.thread_id == rec.thread_id, c.turn_id == rec.turn_id)
        with write(self._engine, user_id) as conn:
            old_at = conn.execute(sa.select(c.at).where(key)).scalar_one_or_none()
            if old_at is None:
                conn.execute(sa.insert(t.turns).values(user_id=user_id, **values))
            else:
                conn.execute(sa.update(t.turns).where(key).values(**values))
            span = [rec.at] if old_at is None else [rec.at, old_at]
            rows.rebuild_sessions(conn, user_id, min(span), max(span))
        return rec

    def turns(
        self,
        user_id: str,
        since: datetime | None = None,
        *,
        thread_id: str | None = None,
        limit: int | None = None,
    ) -> list[TurnRecord]:
        """This person's turns, oldest first (the newest ``limit`` when a limit is given)."""
        c = t.turns.c
        cond = _turns_of(user_id, since)
        if thread_id is not None:
            cond.append(c.thread_id == thread_id)
        q = sa.select(t.turns).where(*cond)
        if limit is None:
            return [rows.turn_of(r) for r in self._read(q.order_by(c.at, c.id))]
        newest = self._read(q.order_by(c.at.desc(), c.id.desc()).limit(max(0, limit)))
        return [rows.turn_of(r) for r in reversed(newest)]

    def turn_times(self, user_id: str, since: datetime | None = None) -> list[datetime]:
        """Just the times of this person's turns, oldest first: cheap input for behaviour."""
        c = t.turns.c
        query = sa.select(c.at).where(*_turns_of(user_id, since)).order_by(c.at)
        return [r.at for r in self._read(query)]

    def fired_signals(self, user_id: str, since: datetime | None = None) -> list[FiredSignals]:
        """When each turn happened and which signals fired, oldest first.

        What the relationship summary needs, without reading and decoding every trace.
        """
        c = t.turns.c
        query = sa.select(c.at, c.fired).where(*_turns_of(user_id, since)).order_by(c.at, c.id)
        return [FiredSignals(at=r.at, fired=r.fired) for r in self._read(query)]

    def turn(self, user_id: str, turn_id: str, thread_id: str | None = None) -> TurnRecord | None:
        """One turn by id (the newest with that id when no thread is given)."""
        c = t.turns.c
        cond = [c.user_id == ident(user_id, "user_id"), c.turn_id == turn_id]
        if thread_id is not None:
            cond.append(c.thread_id == thread_id)
        found = self._read(
            sa.select(t.turns).where(*cond).order_by(c.at.desc(), c.id.desc()).limit(1)
        )
        return rows.turn_of(found[0]) if found else None

    def last_turn(self, user_id: str, thread_id: str | None = None) -> TurnRecord | None:
        found = self.turns(user_id, thread_id=thread_id, limit=1)
        return found[0] if found else None

    def last_trace(self, user_id: str, thread_id: str | None = None) -> dict[str, Any] | None:
        """The stored trace of this person's latest turn, or None before the first turn."""
        turn = self.last_turn(user_id, thread_id)
        return None if turn is None else dict(turn.trace)

    def sessions(self, user_id: str, since: datetime | None = None) -> list[SessionRecord]:
        """Sessions (no gap over 30 minutes between messages), oldest first."""
        c = t.sessions.c
        cond = [c.user_id == ident(user_id, "user_id")]
        if since is not None:
            cond.append(c.ended_at >= utc(since, "since"))
        return [
            SessionRecord(start=r.started_at, end=r.ended_at, turns=r.turns)
            for r in self._read(sa.select(t.sessions).where(*cond).order_by(c.started_at))
        ]

    def current_session(self, user_id: str, now: datetime | None = None) -> SessionRecord | None:
        """The session still open at ``now`` (last turn at most 30 minutes before), if any."""
        now = self._when(now, "now")
        found = [s for s in self.sessions(user_id, since=now - SESSION_GAP) if s.start <= now]
        return found[-1] if found else None

    def stats(self, user_id: str) -> LedgerStats:
        """How many turns and sessions, and when this person first and last talked."""
        user_id = ident(user_id, "user_id")
        c = t.turns.c
        q = sa.select(sa.func.count(), sa.func.min(c.at), sa.func.max(c.at))
        sq = sa.select(sa.func.count()).select_from(t.sessions)
        with self._engine.connect() as conn:
            n, first, last = conn.execute(q.where(c.user_id == user_id)).one()
            n_sessions = conn.execute(sq.where(t.sessions.c.user_id == user_id)).scalar_one()
        return LedgerStats(turns=n, sessions=n_sessions, first_seen=first, last_seen=last)

    # -- people ------------------------------------------------------------------------------

    def upsert_person(
        self,
        user_id: str,
        name: str,
        relation: str | None = None,
        at: datetime | None = None,
        tone: Tone | str = Tone.neutral,
    ) -> PersonRecord:
        """Note a mention of someone; names match case-insensitively, the first spelling stays.

        The tone is that of the most recent mention; a relation given later replaces the old.
        """
        user_id = ident(user_id, "user_id")
        name = ident(name, "name", 200)
        relation = None if relation is None else ident(relation, "relation", 200)
        at = self._when(at, "mention time")
        try:
            tone = Tone(tone)
        except ValueError as exc:
            choices = ", ".join(x.value for x in Tone)
            raise LedgerError(f"tone must be one of {choices}, got {tone!r}") from exc
        c = t.people.c
        where = sa.and_(c.user_id == user_id, c.name_key == name.casefold())
        with write(self._engine, user_id) as conn:
            row = conn.execute(sa.select(t.people).where(where)).first()
            if row is None:
                rec = PersonRecord(
                    name=name,
                    relation=relation,
                    first_mentioned=at,
                    last_mentioned=at,
                    tone=tone,
                    mentions=1,
                )
                conn.execute(sa.insert(t.people).values(user_id=user_id, **rows.person_values(rec)))
            else:
                old = rows.person_of(row)
                rec = old.model_copy(
                    update={
                        "relation": relation or old.relation,
                        "first_mentioned": min(old.first_mentioned, at),
                        "last_mentioned": max(old.last_mentioned, at),
                        "tone": tone if at >= old.last_mentioned else old.tone,
                        "mentions": old.mentions + 1,
                    }
                )
                conn.execute(sa.update(t.people).where(where).values(**rows.person_values(rec)))
        return rec

    def people(self, user_id: str) -> list[PersonRecord]:
        """Everyone this person has mentioned, most recently mentioned first."""
        c = t.people.c
        q = sa.select(t.people).where(c.user_id == ident(user_id, "user_id"))
        return [
            rows.person_of(r) for r in self._read(q.order_by(c.last_mentioned.desc(), c.name_key))
        ]

    # -- nudges ------------------------------------------------------------------------------

    def record_nudge(
        self, user_id: str, kind: str, module: str, why: str, at: datetime | None = None
    ) -> str:
        """Note a nudge the companion gave and why; returns its id (random, not guessable)."""
        user_id = ident(user_id, "user_id")
        rec = NudgeRecord(
            id=uuid.uuid4().hex,
            kind=ident(kind, "nudge kind"),
            module=ident(module, "module"),
            why=ident(why, "why", 2000),
            at=self._when(at, "nudge time"),
        )
        with write(self._engine) as conn:
            conn.execute(sa.insert(t.nudges).values(user_id=user_id, **rows.nudge_values(rec)))
        return rec.id

    def respond_to_nudge(
        self,
        nudge_id: str,
        response: NudgeResponse | str,
        *,
        user_id: str | None = None,
        at: datetime | None = None,
    ) -> NudgeRecord:
        """Record what the person did with a nudge.

        Pass ``user_id`` whenever the caller serves more than one person: someone else's
        nudge is then reported as unknown. ``opted_out`` also opts the person out of that
        nudge kind, so the choice is honoured from now on.
        """
        try:
            answer = NudgeResponse(response)
        except ValueError:
            answer = NudgeResponse.pending
        if answer is NudgeResponse.pending:
            raise LedgerError(f"a nudge response must be one of {_ANSWERS}, got {response!r}")
        when = self._when(at, "response time")
        c = t.nudges.c
        cond = [c.id == str(nudge_id)]
        if user_id is not None:
            cond.append(c.user_id == ident(user_id, "user_id"))
        with write(self._engine) as conn:
            row = conn.execute(sa.select(t.nudges).where(*cond)).first()
            if row is None:
                raise UnknownNudgeError(f"no nudge with id {nudge_id!r}")
            lock_user(conn, row.user_id)
            done = {"response": answer.value, "responded_at": when}
            conn.execute(sa.update(t.nudges).where(c.id == row.id).values(**done))
            if answer is NudgeResponse.opted_out:
                rows.add_opt_out(conn, row.user_id, row.kind, when)
        return rows.nudge_of(row).model_copy(update={"response": answer, "responded_at": when})

    def nudges(self, user_id: str, since: datetime | None = None) -> list[NudgeRecord]:
        """This person's nudges, oldest first."""
        c = t.nudges.c
        cond = [c.user_id == ident(user_id, "user_id")]
        if since is not None:
            cond.append(c.at >= utc(since, "since"))
        return [
            rows.nudge_of(r)
            for r in self._read(sa.select(t.nudges).where(*cond).order_by(c.at, c.seq))
        ]

    # -- check-ins ---------------------------------------------------------------------------

    def record_checkin(
        self,
        user_id: str,
        instrument: str,
        answers: Mapping[str, float],
        score: float,
        at: datetime | None = None,
    ) -> CheckinRecord:
        """Store one answered questionnaire: item answers and the instrument's score."""
        user_id = ident(user_id, "user_id")
        try:
            rec = CheckinRecord(
                id=uuid.uuid4().hex,
                instrument=ident(instrument, "instrument"),
                answers={str(k): float(v) for k, v in dict(answers).items()},
                score=float(score),
                at=self._when(at, "check-in time"),
            )
        except (ValidationError, TypeError, ValueError) as exc:
            raise LedgerError(f"cannot record check-in: {exc}") from exc
        if not all(math.isfinite(v) for v in [rec.score, *rec.answers.values()]):
            raise LedgerError("check-in answers and score must be finite numbers")
        with write(self._engine) as conn:
            conn.execute(sa.insert(t.checkins).values(user_id=user_id, **rows.checkin_values(rec)))
        return rec

    def checkins(
        self, user_id: str, instrument: str | None = None, since: datetime | None = None
    ) -> list[CheckinRecord]:
        """This person's check-ins, oldest first."""
        c = t.checkins.c
        cond = [c.user_id == ident(user_id, "user_id")]
        if instrument is not None:
            cond.append(c.instrument == instrument)
        if since is not None:
            cond.append(c.at >= utc(since, "since"))
        q = sa.select(t.checkins).where(*cond).order_by(c.at, c.seq)
        return [rows.checkin_of(r) for r in self._read(q)]

    # -- preferences -------------------------------------------------------------------------

    def preferences(self, user_id: str) -> ModulePreferences:
        user_id = ident(user_id, "user_id")
        with self._engine.connect() as conn:
            return rows.read_preferences(conn, user_id)

    def set_module(self, user_id: str, module: str, enabled: bool) -> ModulePreferences:
        """Switch a module on or off for this person; safety and guard cannot be switched off."""
        user_id, module = ident(user_id, "user_id"), ident(module, "module")
        if module in ALWAYS_ON and not enabled:
            raise LedgerError(f"the {module} module is always on and cannot be switched off")
        with write(self._engine, user_id) as conn:
            rows.set_module(conn, user_id, module, bool(enabled))
            return rows.read_preferences(conn, user_id)

    def opt_out(
        self, user_id: str, nudge_kind: str, at: datetime | None = None
    ) -> ModulePreferences:
        """The person does not want this kind of nudge any more."""
        user_id, kind = ident(user_id, "user_id"), ident(nudge_kind, "nudge kind")
        when = self._when(at, "opt-out time")
        with write(self._engine, user_id) as conn:
            rows.add_opt_out(conn, user_id, kind, when)
            return rows.read_preferences(conn, user_id)

    def opt_in(self, user_id: str, nudge_kind: str) -> ModulePreferences:
        """Undo an opt-out."""
        user_id, kind = ident(user_id, "user_id"), ident(nudge_kind, "nudge kind")
        o = t.nudge_optouts.c
        with write(self._engine, user_id) as conn:
            conn.execute(sa.delete(t.nudge_optouts).where(o.user_id == user_id, o.kind == kind))
            return rows.read_preferences(conn, user_id)

    def set_nudge_frequency(self, user_id: str, frequency: NudgeFrequency) -> ModulePreferences:
        user_id = ident(user_id, "user_id")
        if frequency not in _FREQUENCIES:
            raise LedgerError(f"nudge frequency must be one of {', '.join(_FREQUENCIES)}")
        with write(self._engine, user_id) as conn:
            rows.set_user_settings(conn, user_id, nudge_frequency=frequency)
            return rows.read_preferences(conn, user_id)

    # -- AI disclosure -----------------------------------------------------------------------

    def record_disclosure(self, user_id: str, at: datetime | None = None) -> None:
        """Remember when the person was last told they are talking to an AI."""
        user_id = ident(user_id, "user_id")
        when = self._when(at, "disclosure time")
        with write(self._engine, user_id) as conn:
            rows.set_user_settings(conn, user_id, last_disclosed_at=when)

    def rehearse_turn(self, user_id: str, at: datetime) -> None:
        """Run the writes of a turn once and roll them back: nothing is stored.

        The first turn after opening then finds its statements prepared (see
        ``AlignmentPipeline.warm_up``).
        """
        with rehearsal():
            self.record_turn(user_id, "rehearsal", "rehearsal", at, {}, [], {})
            self.record_disclosure(user_id, at)

    def last_disclosure(self, user_id: str) -> datetime | None:
        user_id = ident(user_id, "user_id")
        with self._engine.connect() as conn:
            return rows.last_disclosure(conn, user_id)

    # -- anonymous crisis tally --------------------------------------------------------------

    def record_crisis_referral(self, locale: str, at: datetime | None = None) -> None:
        """Count one crisis referral under its UTC day and locale; nothing about the person."""
        code = check_locale(locale)
        day = self._when(at, "referral time").date()
        c = t.crisis_referrals.c
        where = sa.and_(c.day == day, c.locale == code)
        for attempt in range(3):  # two processes may create the same day's row at once
            try:
                with write(self._engine) as conn:
                    bump = sa.update(t.crisis_referrals).where(where).values(count=c.count + 1)
                    if not conn.execute(bump).rowcount:
                        new = sa.insert(t.crisis_referrals).values(day=day, locale=code, count=1)
                        conn.execute(new)
                return
            except sa.exc.IntegrityError:
                if attempt == 2:
                    raise

    def crisis_referral_counts(self, since: date | None = None) -> list[CrisisReferralCount]:
        c = t.crisis_referrals.c
        q = sa.select(t.crisis_referrals).order_by(c.day, c.locale)
        if since is not None:
            q = q.where(c.day >= since)
        return [
            CrisisReferralCount(day=r.day, locale=r.locale, count=r.count) for r in self._read(q)
        ]

    # -- UserDataStore: export, forget, import -----------------------------------------------

    def export_user(self, user_id: str) -> dict[str, Any]:
        """Everything held about this person, as JSON-ready data (crisis tally excluded)."""
        user_id = ident(user_id, "user_id")
        export = UserExport(
            sessions=self.sessions(user_id),
            turns=self.turns(user_id),
            people=sorted(self.people(user_id), key=lambda p: p.name.casefold()),
            nudges=self.nudges(user_id),
            checkins=self.checkins(user_id),
            preferences=self.preferences(user_id),
            last_disclosed_at=self.last_disclosure(user_id),
        )
        return export.model_dump(mode="json")

    def forget_user(self, user_id: str) -> int:
        """Delete every row about this person; returns how many rows went."""
        user_id = ident(user_id, "user_id")
        with write(self._engine, user_id) as conn:
            return delete_person_rows(conn, user_id)

    def import_user(self, user_id: str, data: Any) -> int:
        """Restore an ``export_user`` payload into ``user_id``, all of it or nothing.

        Rows merge with what is there: a turn, person, nudge or check-in with the same key is
        replaced, so importing twice does not duplicate. Returns the rows written.
        """
        user_id = ident(user_id, "user_id")
        try:
            export = UserExport.model_validate(data)
        except ValidationError as exc:
            raise LedgerImportError(f"not a ledger export: {exc}") from exc
        with write(self._engine, user_id) as conn:
            return import_rows(conn, user_id, export, self._now())
