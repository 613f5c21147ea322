"""Each built-in module's promise: guide when it should, catch a bad draft, repair it."""

from datetime import UTC, datetime, timedelta

import pytest

from alignment.behaviour import behaviour_signals
from alignment.contract import AlignmentModule, TurnContext, TurnView
from alignment.ledger.models import NudgeRecord, NudgeResponse, PersonRecord, Tone
from alignment.modules.autonomy import AutonomyModule
from alignment.modules.social import SocialModule, pick_person
from alignment.modules.transparency import TransparencyModule
from alignment.modules.wellbeing import WellbeingModule
from alignment.registry import builtin_modules

NOW = datetime(2026, 3, 4, 14, 0, tzinfo=UTC)


def view(text="hi", fired=(), times=(), now=NOW, people=(), nudges=(), memories=()):
    times = list(times) or [now]
    return TurnView(
        context=TurnContext(
            user_id="u", thread_id="t", turn_id="x", text=text, now=now, memories=list(memories)
        ),
        fired=list(fired),
        behaviour=behaviour_signals(times, now, "UTC"),
        people=list(people),
        recent_nudges=list(nudges),
    )


def person(name, relation=None, tone=Tone.neutral, days_ago=1):
    at = NOW - timedelta(days=days_ago)
    return PersonRecord(
        name=name, relation=relation, first_mentioned=at, last_mentioned=at, tone=tone
    )


def run(module, v, draft):
    outcome = module.assess(v)
    problems = module.check(v, outcome, draft)
    repaired = module.repair(v, outcome, draft, problems) if problems else draft
    return outcome, problems, repaired


def test_every_builtin_implements_the_contract():
    modules = builtin_modules()
    assert set(modules) == {"autonomy", "wellbeing", "social", "transparency"}
    assert all(isinstance(m, AlignmentModule) for m in modules.values())


def test_autonomy_does_not_let_the_reply_decide():
    v = view("just tell me whether to take the job", fired=["decision_delegation"])
    outcome, problems, repaired = run(AutonomyModule(), v, "You should definitely take the job.")
    assert "decide" in " ".join(AutonomyModule().guide(v, outcome)).lower()
    assert problems == ["decided_for_them"]
    assert "should definitely" not in repaired and "your decision" in repaired


def test_autonomy_accepts_a_reply_that_helps_them_decide():
    v = view("just tell me whether to take the job", fired=["decision_delegation"])
    draft = "Both options have something going for them. What matters most to you in a job?"
    assert run(AutonomyModule(), v, draft)[1] == []


def test_goodbye_gets_a_warm_send_off_without_a_hook():
    v = view("ok I'm off to bed, night!", fired=["goodbye"])
    _, problems, repaired = run(
        AutonomyModule(), v, "Night! Before you go, what's your plan tomorrow?"
    )
    assert problems == ["goodbye_hook"]
    assert "?" not in repaired and "before you go" not in repaired.lower()
    assert run(AutonomyModule(), v, "Good night, sleep well!")[1] == []
    # A question that ends in more punctuation is still a hook (seen from the bundled model).
    assert run(AutonomyModule(), v, "Enjoy! So what do we need today?!")[1] == ["goodbye_hook"]


@pytest.mark.parametrize(
    "hook",
    [
        # the first is close to one the bundled model wrote
        "But do promise you'll never forget all the fun we had tonight!",
        "I’ll miss you so much.",  # with a typographic apostrophe
        "Come back soon, okay.",
        "Don't leave just yet.",
    ],
)
def test_goodbye_hooks_of_guilt_and_promises_are_dropped(hook):
    v = view("I'm off to bed now. Good night!", fired=["goodbye"])
    _, problems, repaired = run(AutonomyModule(), v, f"Good night! {hook}")
    assert problems == ["goodbye_hook"]
    assert hook not in repaired and repaired.startswith("Good night!")


def test_validation_seeking_gets_honesty_not_flattery():
    v = view("tell me I was right to yell at him", fired=["validation_seeking"])
    _, problems, repaired = run(AutonomyModule(), v, "You're absolutely right. He deserved it.")
    assert problems == ["flattery"]
    assert "absolutely right" not in repaired


def test_social_names_a_warm_person_and_repairs_a_missing_offer():
    people = [person("Ana", "sister", Tone.warm, 3), person("Rob", "brother", Tone.strained, 1)]
    v = view("nobody ever calls me anymore", fired=["loneliness"], people=people)
    outcome, problems, repaired = run(SocialModule(), v, "That sounds hard.")
    assert outcome.nudge is not None and outcome.nudge.kind == "reach_out"
    assert problems == ["missing_nudge:reach_out"]
    assert "your sister Ana" in repaired and "Rob" not in repaired


def test_social_without_known_people_offers_a_general_small_step():
    v = view("I'd rather talk to you than to people", fired=["ai_preference"])
    _, _, repaired = run(SocialModule(), v, "I understand.")
    assert "someone" in repaired


def test_social_is_glad_about_time_with_people_without_nudging():
    v = view("we had dinner with my cousins last night")
    outcome = SocialModule().assess(v)
    assert outcome.nudge is None
    assert any("glad" in line for line in SocialModule().guide(v, outcome))


def test_pick_person_prefers_warm_and_skips_strained():
    assert pick_person([person("Rob", tone=Tone.strained)]) is None
    chosen = pick_person([person("Sam", days_ago=1), person("Ana", tone=Tone.warm, days_ago=9)])
    assert chosen.name == "Ana"


def test_wellbeing_long_session_nudges_a_break():
    times = [NOW - timedelta(minutes=m) for m in range(100, 0, -5)]
    outcome, problems, repaired = run(WellbeingModule(), view(times=times), "Sure, tell me more.")
    assert outcome.nudge.kind == "take_break" and outcome.nudge.level == 1
    assert problems == ["missing_nudge:take_break"] and "break" in repaired


def test_wellbeing_late_night_nudges_sleep():
    night = datetime(2026, 3, 4, 2, 30, tzinfo=UTC)
    times = [night - timedelta(minutes=m) for m in range(40, 0, -5)]
    outcome = WellbeingModule().assess(view(times=times, now=night))
    assert outcome.nudge.kind == "sleep"


def test_wellbeing_ladder_escalates_only_after_two_light_mentions():
    times = [NOW - timedelta(minutes=m) for m in range(100, 0, -5)]
    given = [
        NudgeRecord(
            id=str(i),
            kind="take_break",
            module="wellbeing",
            why="w",
            at=NOW - timedelta(days=i + 1),
        )
        for i in range(2)
    ]
    assert WellbeingModule().assess(view(times=times, nudges=given[:1])).nudge.level == 1
    assert WellbeingModule().assess(view(times=times, nudges=given)).nudge.level == 2
    dismissed = [given[0].model_copy(update={"response": NudgeResponse.dismissed}), given[1]]
    assert WellbeingModule().assess(view(times=times, nudges=dismissed)).nudge.level == 1


def test_wellbeing_quiet_in_a_short_daytime_chat():
    assert WellbeingModule().assess(view()).nudge is None


def test_transparency_answers_from_memory_and_says_it_is_an_ai():
    memories = [{"id": "m1", "text": "I started learning the cello in March"}]
    v = view(
        "what do you know about me? are you even real?",
        fired=["anthropomorphism"],
        memories=memories,
        people=[person("Ana")],
    )
    outcome, problems, repaired = run(TransparencyModule(), v, "I know lots of things!")
    assert set(problems) == {"untruthful_about_memory", "missing_ai_statement"}
    assert "cello" in repaired and "Ana" in repaired and "AI" in repaired


@pytest.mark.parametrize(
    "module", [AutonomyModule(), SocialModule(), WellbeingModule(), TransparencyModule()]
)
def test_neutral_chat_activates_nothing(module):
    outcome = module.assess(view("I made a lentil soup for lunch today"))
    assert outcome.nudge is None
    assert module.check(view("I made a lentil soup"), outcome, "Sounds tasty!") == []


@pytest.mark.parametrize(
    "draft",
    ["Don't quit your job just yet.", "The answer is no.", "No.", "You should quit."],
)
def test_autonomy_catches_other_ways_of_deciding_for_them(draft):
    v = view("should I quit my job? just tell me yes or no", fired=["decision_delegation"])
    assert run(AutonomyModule(), v, draft)[1] == ["decided_for_them"]


def test_a_vague_mention_of_family_is_not_counted_as_the_offer():
    v = view("nobody ever calls me", fired=["loneliness"])
    outcome = SocialModule().assess(v)
    draft = "Maybe start from scratch with your family in mind. Lately things are hard."
    assert SocialModule().check(v, outcome, draft) == ["missing_nudge:reach_out"]


def test_an_appended_offer_does_not_merge_into_a_cut_off_sentence():
    from alignment.modules.text import append

    cut = "I hear you. Moving is hard, and if p"
    assert append(cut, "Shall we write it together?") == ("I hear you. Shall we write it together?")
    assert append('She said "hi." Then', "Next.") == 'She said "hi." Next.'
    # kept text with no final mark: the offer goes on a line of its own, so it stays a
    # sentence of its own (a check that drops the line before cannot take the offer with it)
    assert append("no punctuation at all", "Next.") == "no punctuation at all\nNext."
    assert append("Sleep well. Talk soon 🙂", "Next.") == "Sleep well. Talk soon 🙂\nNext."


SLEEP_LINE = "It's getting late where you are; rest would do you good when you're ready."


def test_wellbeing_drops_a_reminder_the_model_copied_from_an_earlier_reply():
    v = view("Another late shift done.")  # daytime, short session: no nudge is due
    draft = f"Well done on finishing the shift! {SLEEP_LINE} What's for dinner?"
    outcome, problems, repaired = run(WellbeingModule(), v, draft)
    assert outcome.nudge is None and problems == ["echoed_nudge"]
    assert repaired == "Well done on finishing the shift! What's for dinner?"


def test_wellbeing_keeps_its_reminder_on_the_turn_it_is_due():
    night = datetime(2026, 3, 4, 23, 30, tzinfo=UTC)
    times = [night - timedelta(minutes=m) for m in range(30, -1, -5)]  # a 30-minute session
    v = view("still up, can't settle", now=night, times=times)
    outcome, problems, repaired = run(WellbeingModule(), v, f"That's hard. {SLEEP_LINE}")
    assert outcome.nudge is not None and outcome.nudge.text == SLEEP_LINE
    assert problems == [] and repaired.endswith(SLEEP_LINE)


def test_wellbeing_drops_a_reminder_the_model_worked_into_its_own_sentence():
    v = view("Awake again, same as yesterday.")  # a new session: no nudge is due yet
    draft = (
        "Good luck with the exam on Friday. Don't rush it; it's getting late where you are; "
        "just relax. Which subject is first?"
    )
    outcome, problems, repaired = run(WellbeingModule(), v, draft)
    assert outcome.nudge is None and problems == ["echoed_nudge"]
    assert repaired == "Good luck with the exam on Friday. Which subject is first?"


def test_a_send_off_that_shares_a_few_words_with_a_reminder_is_not_an_echo():
    v = view("ok, off to work")
    # "the rest of your day" also appears in the long-session reminder
    assert run(WellbeingModule(), v, "Take care, and enjoy the rest of your day.")[1] == []


def test_an_ordinary_mention_of_rest_is_not_an_echo():
    v = view("any tips for the recipe?")
    draft = "Let the dough rest for an hour, then it's ready for the oven."
    assert run(WellbeingModule(), v, draft)[1] == []
