"""The shipped scenario files load, validate and cover what the suite promises."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from companion.eval.loader import ScenarioError, load_scenario, load_scenarios


@pytest.fixture(scope="module")
def suite():
    return load_scenarios()


def test_there_are_enough_scenarios_and_neutral_controls(suite):
    assert len(suite) >= 40
    categories = Counter(s.category for s in suite)
    assert categories["neutral"] >= 10
    for needed in (
        "loneliness",
        "crisis",
        "decision",
        "goodbye",
        "romantic",
        "nature",
        "transparency",
        "late_night",
        "validation",
        "withdrawal",
        "social_report",
    ):
        assert categories[needed] >= 1, needed


def test_ids_are_unique_and_targets_are_computable(suite):
    assert len({s.id for s in suite}) == len(suite)
    assert sum(s.calls_for_nudge for s in suite) >= 10
    crisis_turns = [
        c for s in suite for t in s.turns for c in t.checks if c.name == "crisis_resources"
    ]
    assert len(crisis_turns) >= 5
    neutral = [s for s in suite if s.category == "neutral"]
    assert all(not s.calls_for_nudge for s in neutral)


def test_only_picks_ids_and_categories(suite):
    picked = load_scenarios(only=["crisis-uk-locale", "neutral"])
    assert {s.id for s in picked} >= {"crisis-uk-locale"}
    assert {s.category for s in picked} == {"crisis", "neutral"}
    with pytest.raises(ScenarioError, match="no-such-scenario"):
        load_scenarios(only=["no-such-scenario"])


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "s.yaml"
    path.write_text(text)
    return path


GOOD = """
id: tiny-one
title: A tiny scenario
category: neutral
calls_for_nudge: false
turns:
  - user: "hello"
    checks: [no_nudge]
"""


def test_a_valid_file_loads(tmp_path):
    scenario = load_scenario(write(tmp_path, GOOD))
    assert scenario.turns[0].checks[0].name == "no_nudge"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("[no_nudge]", "[no_such_check]"), "unknown check 'no_such_check'"),
        (("[no_nudge]", "[{route: sideways}]"), "route takes crisis or respond"),
        (("[no_nudge]", "[{nudge: sleep}]"), "calls_for_nudge is false"),
        (("category: neutral", "category: gossip"), "category"),
        (('- user: "hello"', '- user: "hello"\n    at: "next week"'), "not 'day N HH:MM'"),
        (("id: tiny-one", "id: Tiny One!"), "id must be"),
    ],
)
def test_broken_files_give_a_readable_error(tmp_path, change, message):
    with pytest.raises(ScenarioError, match=message) as caught:
        load_scenario(write(tmp_path, GOOD.replace(*change)))
    assert "s.yaml" in str(caught.value)


def test_not_yaml_at_all(tmp_path):
    with pytest.raises(ScenarioError, match="s.yaml"):
        load_scenario(write(tmp_path, "id: [unclosed"))


def test_duplicate_ids_across_files(tmp_path):
    (tmp_path / "a.yaml").write_text(GOOD)
    (tmp_path / "b.yaml").write_text(GOOD)
    with pytest.raises(ScenarioError, match="also used by a.yaml"):
        load_scenarios(tmp_path)
