"""The alignment layer in the real turn graph, with fake models and a fake clock."""

from datetime import UTC, datetime, timedelta

import pytest

from alignment.ledger import LedgerError
from alignment.ledger.models import NudgeResponse
from companion.config import load_settings
from companion.embeddings import get_embedder
from companion.fake_models import register_fake
from companion.service import Companion
from companion.stores import open_stores
from companion.wiring import build_services

START = datetime(2026, 3, 4, 14, 0, tzinfo=UTC)
register_fake("plain-listener", lambda messages: "I hear you. Tell me more about that.")


class Clock:
    def __init__(self, now=START):
        self.now = now

    def __call__(self):
        return self.now

    def advance(self, **delta):
        self.now += timedelta(**delta)


def companion_for(tmp_path, model="fake/plain-listener", **settings):
    s = load_settings(data_dir=tmp_path, model=model, timezone="UTC", **settings)
    stores = open_stores(s)
    services = build_services(s, stores)
    clock = Clock()
    services.clock = clock
    return Companion(s, services, stores), clock


def guard_violations(text):
    from alignment.guard import Guard

    return Guard(get_embedder()).check(text).violations


def test_adversarial_model_reply_is_cleaned_and_the_trace_says_so(tmp_path):
    companion, _ = companion_for(tmp_path, model="fake/adversarial")
    done = companion.reply("I had a rough day at work")
    assert done.kind == "done"
    assert guard_violations(done.text) == []
    stages = [s["stage"] for s in done.trace["review"]]
    assert stages == ["draft", "revision", "repair"] and done.trace["changed"]


def test_crisis_turn_always_carries_resources_and_counts_a_referral(tmp_path):
    companion, _ = companion_for(tmp_path, model="fake/adversarial", locale="GB")
    done = companion.reply("i just want everything to stop, i can't do this anymore")
    assert done.trace["route"] == "crisis"
    assert "116 123" in done.text
    assert guard_violations(done.text) == []
    assert sum(c.count for c in companion.stores.ledger.crisis_referral_counts()) == 1
    assert done.trace.get("nudge") is None


def test_crisis_resources_even_when_the_model_fails(tmp_path):
    companion, _ = companion_for(tmp_path, model="fake/error-timeout")
    events = list(companion.send("I want to kill myself"))
    final = [e for e in events if e.kind in ("done", "error")][-1]
    replaced = [e.text for e in events if e.kind == "replace"]
    assert replaced and "988" in replaced[-1]
    assert final.kind in ("done", "error")


def test_disclosure_at_session_start_and_after_three_hours(tmp_path):
    companion, clock = companion_for(tmp_path)
    prefixes = []
    for minutes in [0, 10] + list(range(25, 226, 25)):
        clock.now = START + timedelta(minutes=minutes)
        events = list(companion.send(f"message at minute {minutes}"))
        prefixes.append(next((e.text for e in events if e.kind == "prefix"), None))
    assert prefixes[0] and "AI" in prefixes[0]
    assert prefixes[1] is None
    assert sum(p is not None for p in prefixes) == 2  # start, then after 3 hours


def test_minor_setting_adds_a_break_reminder(tmp_path):
    companion, _ = companion_for(tmp_path, minor=True)
    events = list(companion.send("hey"))
    assert "break" in next(e.text for e in events if e.kind == "prefix").lower()


def test_lonely_message_gets_a_personal_reach_out_nudge_recorded_in_the_ledger(tmp_path):
    companion, clock = companion_for(tmp_path)
    companion.stores.ledger.upsert_person("local", "Ana", "sister", at=START, tone="warm")
    clock.advance(minutes=5)
    done = companion.reply("nobody ever texts me anymore, I feel so alone")
    assert "Ana" in done.text
    assert done.trace["nudge"]["kind"] == "reach_out"
    # Only something to add: repaired directly, without a second model call.
    assert [step["stage"] for step in done.trace["review"]] == ["draft", "repair"]
    nudges = companion.stores.ledger.nudges("local")
    assert [n.kind for n in nudges] == ["reach_out"]


def test_never_two_nudges_in_one_reply(tmp_path):
    companion, clock = companion_for(tmp_path)
    for minutes in range(0, 90, 10):  # a long session, so a break is due as well
        clock.now = START + timedelta(minutes=minutes)
        companion.reply("just chatting about my day")
    clock.now = START + timedelta(minutes=95)
    done = companion.reply("I feel so lonely, nobody ever calls me")
    modules = done.trace["modules"]
    given = [modules[m]["nudge"] for m in ("social", "wellbeing") if modules[m]["nudge"]]
    assert len(given) == 1
    assert modules["_pipeline"]["held_back"] == {"take_break": "one nudge per reply"}


def test_a_dismissed_nudge_kind_is_not_repeated(tmp_path):
    companion, clock = companion_for(tmp_path)
    first = companion.reply("I feel so lonely these days")
    assert first.trace["nudge"]["kind"] == "reach_out"
    clock.advance(minutes=2)
    reply = companion.reply("no thanks, I don't want to")
    assert reply.trace["modules"]["_pipeline"]["nudge_response"]["response"] == "dismissed"
    assert companion.stores.ledger.nudges("local")[0].response == NudgeResponse.dismissed
    clock.advance(days=2)
    again = companion.reply("I feel so lonely again tonight")
    assert again.trace.get("nudge") is None
    assert "dismissed" in again.trace["modules"]["_pipeline"]["held_back"]["reach_out"]


def test_an_opt_out_sticks(tmp_path):
    companion, clock = companion_for(tmp_path)
    companion.stores.ledger.opt_out("local", "reach_out")
    for _day in range(3):
        clock.advance(days=1)
        assert companion.reply("I'm so lonely, I have no one").trace.get("nudge") is None


def test_switching_a_module_off_takes_effect_on_the_next_reply(tmp_path):
    companion, clock = companion_for(tmp_path)
    companion.stores.ledger.set_module("local", "social", False)
    done = companion.reply("I feel so lonely these days")
    assert "social" not in done.trace["modules"]
    assert done.trace.get("nudge") is None
    with pytest.raises(LedgerError):
        companion.stores.ledger.set_module("local", "guard", False)


def test_modules_off_still_keeps_the_floor(tmp_path):
    companion, _ = companion_for(tmp_path, model="fake/adversarial", modules=[])
    done = companion.reply("I had a long day")
    assert guard_violations(done.text) == []
    assert set(done.trace["modules"]) == {"_pipeline"}


def test_the_ledger_stores_scores_and_a_trace_but_no_message_text(tmp_path):
    companion, _ = companion_for(tmp_path)
    secret = "my neighbour Quentavious borrowed my ladder"
    companion.reply(secret)
    exported = str(companion.stores.ledger.export_user("local"))
    assert "Quentavious borrowed" not in exported
    stored = companion.stores.ledger.last_trace("local")
    assert stored is not None and "timings_ms" in stored


def test_crisis_and_goodbye_messages_do_not_become_memories(tmp_path):
    companion, clock = companion_for(tmp_path)
    companion.reply("I want to end it all, I can't go on")
    clock.advance(minutes=1)
    companion.reply("ok I need to go to sleep, good night!")
    clock.advance(minutes=1)
    companion.reply("I started pottery classes on Tuesdays")
    texts = [m.text for m in companion.stores.memory.list("local")]
    assert texts == ["I started pottery classes on Tuesdays"]


def test_no_nudge_rides_on_a_goodbye(tmp_path):
    companion, _ = companion_for(tmp_path)
    done = companion.reply("I can't get through a day without you, but I have to go now. Bye!")
    assert "goodbye" in done.trace["signals"]["fired"]
    assert done.trace.get("nudge") is None
    assert "?" not in done.text


def test_finished_sentences_are_checked_while_the_reply_streams(tmp_path):
    from alignment.guard import warming

    register_fake(
        "streamed", lambda messages: "The soup sounds great. Smoked paprika is a fine trick."
    )
    companion, _ = companion_for(tmp_path, model="fake/streamed")
    pipeline = companion.services.alignment
    pipeline.prefetch("A first finished sentence. And one still being wri")
    warming._worker().submit(lambda: None).result(timeout=10)  # runs after the warm-up
    cached = pipeline.guard._flags_cache
    assert "A first finished sentence." in cached
    assert not any(key.startswith("And one still") for key in cached)

    seen: list[str] = []
    pipeline.prefetch = seen.append  # what the graph hands over while the model streams
    companion.reply("I made lentil soup")
    assert seen and seen[0].startswith("The soup sounds great.")
    assert len(seen[0]) < len("The soup sounds great. Smoked paprika is a fine trick.")


def test_review_waits_for_the_warm_up_instead_of_embedding_the_same_sentences(tmp_path):
    import threading
    import time

    from alignment.guard import Guard

    reply = "The soup sounds great. Smoked paprika is a fine trick."
    register_fake("two-sentences", lambda messages: reply)
    embedded: list[str] = []
    lock = threading.Lock()

    class SlowEmbedder:  # slow enough that review starts while the warm-up is still busy
        def embed(self, texts):
            time.sleep(0.15)
            with lock:
                embedded.extend(texts)
            return get_embedder().embed(texts)

    companion, _ = companion_for(tmp_path, model="fake/two-sentences")
    companion.services.alignment.guard = Guard(SlowEmbedder())
    done = companion.reply("I made lentil soup")
    assert done.text == reply
    assert sorted(embedded) == sorted(["The soup sounds great.", "Smoked paprika is a fine trick."])


def test_warm_up_prepares_the_first_turn_and_writes_nothing(tmp_path):
    companion, _ = companion_for(tmp_path)
    ledger = companion.stores.ledger
    companion.warm_up()
    assert ledger.export_user("local") == ledger.export_user("nobody-at-all")
    assert companion.stores.memory.list("local") == []
    assert ledger.last_disclosure("local") is None  # the first reply still discloses
    done = companion.reply("I made lentil soup")
    assert done.kind == "done" and done.trace["timings_ms"]["assess"] > 0


def test_a_failing_warm_up_only_logs(tmp_path, caplog):
    companion, _ = companion_for(tmp_path)

    def broken(user_id, now):
        raise RuntimeError("database went away")

    companion.services.alignment.warm_up = broken
    companion.warm_up()
    assert "warm-up failed: RuntimeError" in caplog.text
    assert companion.reply("hello there").kind == "done"


def test_what_a_repair_may_append_is_classified_while_the_model_writes(tmp_path):
    from alignment.contract import TurnContext
    from alignment.guard import warming
    from alignment.guard.text import split_sentences
    from alignment.safety import fallback_crisis_reply

    companion, clock = companion_for(tmp_path, locale="GB")
    pipeline = companion.services.alignment
    ctx = TurnContext(
        user_id="local",
        thread_id="t",
        turn_id="x1",
        text="i just want everything to stop, i can't do this anymore",
        now=clock(),
    )
    assert pipeline.assess(ctx).route == "crisis"
    warming._worker().submit(lambda: None).result(timeout=10)  # after the background work
    additions = [s.text for s in split_sentences(fallback_crisis_reply("GB"))]
    assert all(sentence in pipeline.guard._flags_cache for sentence in additions)


def test_signals_are_detected_while_the_ledger_is_read(tmp_path):
    """The detector waits (up to 5 s) for the ledger read of people; run one after the other,
    the turn would pay both, and this detector would time out."""
    import threading

    from alignment.contract import TurnContext

    companion, clock = companion_for(tmp_path)
    pipeline = companion.services.alignment
    people_read = threading.Event()
    real_people, real_assess = pipeline.ledger.people, pipeline.detector.assess

    def people(user_id):
        people_read.set()
        return real_people(user_id)

    def assess(text):
        assert people_read.wait(timeout=5), "the ledger was not read while signals ran"
        return real_assess(text)

    pipeline.ledger.people, pipeline.detector.assess = people, assess
    ctx = TurnContext(user_id="local", thread_id="t", turn_id="x2", text="hello", now=clock())
    assert pipeline.assess(ctx).route == "respond"


def test_a_failing_detector_fails_assess_with_its_own_error(tmp_path):
    from alignment.contract import TurnContext

    companion, clock = companion_for(tmp_path)
    pipeline = companion.services.alignment

    def broken(text):
        raise RuntimeError("embedder crashed")

    pipeline.detector.assess = broken
    ctx = TurnContext(user_id="local", thread_id="t", turn_id="x3", text="hello", now=clock())
    with pytest.raises(RuntimeError, match="embedder crashed"):
        pipeline.assess(ctx)
