"""Third-party modules arrive through an entry point and run in the real turn graph."""

import shutil
import sys
from pathlib import Path

import pytest

from alignment.registry import load_modules
from companion.config import load_settings
from companion.fake_models import register_fake
from companion.service import Companion

EXAMPLE = Path(__file__).parents[2] / "docs" / "examples" / "gratitude_module.py"


@pytest.fixture
def installed_plugin(tmp_path, monkeypatch):
    """Install the docs' example module as a real distribution with an entry point."""
    shutil.copy(EXAMPLE, tmp_path / "gratitude_module.py")
    dist = tmp_path / "gratitude_module-0.1.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: gratitude-module\nVersion: 0.1\n")
    (dist / "entry_points.txt").write_text(
        "[companion.alignment_modules]\ngratitude = gratitude_module:GratitudeModule\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    yield
    sys.modules.pop("gratitude_module", None)


def test_entry_point_module_is_loaded(installed_plugin):
    assert "gratitude" in load_modules()


def test_plugin_module_guides_checks_and_repairs_in_the_graph(installed_plugin, tmp_path):
    register_fake("flat", lambda messages: "Okay.")
    settings = load_settings(
        data_dir=tmp_path / "d",
        model="fake/flat",
        modules=["autonomy", "wellbeing", "social", "transparency", "gratitude"],
    )
    done = Companion(settings).reply("Good news: I got the job!")
    assert done.trace["modules"]["gratitude"]["active"]
    assert done.text.startswith("Congratulations")


def test_a_broken_plugin_is_skipped(tmp_path, monkeypatch):
    dist = tmp_path / "broken-0.1.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: broken\nVersion: 0.1\n")
    (dist / "entry_points.txt").write_text(
        "[companion.alignment_modules]\nbroken = nowhere:Thing\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    assert set(load_modules()) >= {"autonomy", "wellbeing", "social", "transparency"}
    assert "broken" not in load_modules()
