import pytest

from memory.errors import InvalidMemoryText
from memory.text import MAX_RECORD_CHARS, analyse, clean, memorable_parts, slot_of


def test_clean_removes_invisible_characters_and_lone_surrogates():
    assert clean("a\x00b\u202e c\ud800 d\u200b  e") == "ab c d e"


def test_clean_keeps_emoji_and_accents():
    assert clean("Café 👩‍👧 ok") == "Café 👩‍👧 ok"


@pytest.mark.parametrize("text", ["", "   ", "\n\t", "\u200b\u200b"])
def test_clean_refuses_empty_text(text):
    with pytest.raises(InvalidMemoryText, match="empty"):
        clean(text)


def test_clean_refuses_huge_text():
    with pytest.raises(InvalidMemoryText, match="too long"):
        clean("word " * 10_000)


def test_chatter_is_not_remembered():
    assert memorable_parts("Hey! Thanks so much! How are you?") == []
    assert memorable_parts("Ana: Thanks!") == []


def test_informative_sentences_are_kept_and_chatter_dropped():
    parts = memorable_parts("Hi there! I started a pottery class at the community centre. Cool?")
    assert parts == ["I started a pottery class at the community centre."]


def test_speaker_label_is_kept_on_each_piece():
    assert memorable_parts("Ana: Thanks! I adopted a grey cat called Miso.") == [
        "Ana: I adopted a grey cat called Miso."
    ]


def test_long_message_is_split_into_record_sized_pieces():
    text = " ".join(f"I visited museum number {i} in the old town." for i in range(100))
    parts = memorable_parts(text)
    assert len(parts) > 1
    assert all(len(p) <= MAX_RECORD_CHARS for p in parts)


def test_analyse_finds_people_and_relations_but_not_places_or_openers():
    facts = analyse("My sister Anna moved to Lisbon last week. Running helps her.")
    assert facts.people == ["Anna"]
    assert facts.relations == {"Anna": "sister"}
    assert facts.kind == "person"


def test_languages_software_and_holidays_are_not_people():
    text = "In Python my script hangs. My friend Ben showed me a Linux trick at Christmas."
    assert analyse(text).people == ["Ben"]
    assert analyse("I'm learning Japanese with my friend Kenji on Zoom.").people == ["Kenji"]


def test_analyse_kinds():
    assert analyse("I really love rainy mornings with tea.").kind == "preference"
    assert analyse("Yesterday I went to the dentist downtown.").kind == "event"


def test_slots_for_contradictions():
    assert slot_of("My favourite colour is green, I think.") == ("favorite colour", "green")
    assert slot_of("I live in Porto now") == ("home", "porto now")
    assert slot_of("I went swimming") is None
