import pytest

from companion.text import (
    InputProblem,
    clean_text,
    collapse_repetition,
    repeating_tail,
    validate_message,
)


def test_control_characters_are_dropped_but_newlines_kept():
    assert clean_text("hi\x00 there\x07\r\nfriend\x1b") == "hi there\nfriend"


def test_invalid_utf8_bytes_become_replacement_characters():
    assert clean_text(b"caf\xc3\xa9 \xff\xfe ok") == "café \ufffd\ufffd ok"


def test_lone_surrogates_cannot_reach_storage():
    cleaned = clean_text("bad \udcff end")
    cleaned.encode("utf-8")  # would raise if a surrogate survived
    assert cleaned.startswith("bad") and cleaned.endswith("end")


@pytest.mark.parametrize("raw", ["", "   ", "\n\t\n", "\x00\x01"])
def test_empty_messages_are_refused_gently(raw):
    with pytest.raises(InputProblem) as problem:
        validate_message(raw, 100)
    assert problem.value.kind == "empty"


def test_over_long_message_names_the_limit():
    with pytest.raises(InputProblem) as problem:
        validate_message("a" * 101, 100)
    assert problem.value.kind == "too_long"
    assert "100" in str(problem.value)
    assert validate_message("a" * 100, 100) == "a" * 100


def test_a_degenerate_loop_is_cut_back_to_one_copy():
    looped = "Welcome! " + "a Lisbon, " * 12
    assert collapse_repetition(looped) == "Welcome! a Lisbon"
    assert repeating_tail("I like tea. I like tea. And you?") is None


def test_ordinary_text_is_left_alone():
    text = "Ha, that's funny. No no no, I mean it: well done!"
    assert collapse_repetition(text) == text
