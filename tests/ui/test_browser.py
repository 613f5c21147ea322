"""End to end in a real browser: Debian's chromium driven by Playwright, fake model.

Skips cleanly when chromium or Playwright is missing (``scripts/install-browser`` installs
both). Screenshots of every screen go to ``screenshots/`` at the repository root.
"""

from __future__ import annotations

import re
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.ui.conftest import PASSWORDS

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-gpu",
]
SHOTS = Path(__file__).resolve().parents[2] / "screenshots"

if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
    pytest.skip("chromium is not installed (run scripts/install-browser)", allow_module_level=True)
sync_api = pytest.importorskip(
    "playwright.sync_api", reason="playwright is not installed (run scripts/install-browser)"
)


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield b
        b.close()


def shot(page, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def sign_in(browser, server, name: str, width: int = 1280):
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.set_default_timeout(30_000)
    page.goto(server.url, wait_until="domcontentloaded")
    page.get_by_label(re.compile("username", re.I)).fill(name)
    page.get_by_label(re.compile("password", re.I)).fill(PASSWORDS[name])
    if name == "alice":
        shot(page, "00-sign-in")
    page.get_by_role("button", name=re.compile("log ?in|sign ?in", re.I)).click()
    page.locator("#message textarea").wait_for()
    page.get_by_text(f"Signed in as {name}").wait_for()
    return page


def tab(page, name: str) -> None:
    """Open a tab by name; on a narrow screen the last tabs sit behind "More tabs"."""
    visible = page.get_by_role("tab", name=name).locator("visible=true")
    if visible.count():
        visible.first.click()
        return
    page.get_by_role("button", name="More tabs").click()
    page.locator(".overflow-dropdown button", has_text=name).click()


def send(page, text: str) -> None:
    box = page.locator("#message textarea")
    box.fill(text)
    box.press("Enter")


def new_conversation(page) -> None:
    page.get_by_role("button", name=re.compile("New conversation")).click()
    page.locator("#thread-list").get_by_text("New conversation").wait_for()
    page.locator("#why-text").get_by_text("Send a message").wait_for()


def test_chat_streams_and_explains_itself(browser, server):
    page = sign_in(browser, server, "alice")
    # Watch the reply grow in the page itself, to see it stream rather than pop in at once.
    page.evaluate(
        """() => {
        window.__lengths = [];
        const chat = document.querySelector('#chatbot');
        new MutationObserver(() => {
            const bots = chat.querySelectorAll('.bot');
            const last = bots[bots.length - 1];
            if (last) window.__lengths.push(last.innerText.length);
        }).observe(chat, {subtree: true, childList: true, characterData: true});
    }"""
    )
    send(page, "I started a new job today and I feel a bit lonely")
    page.locator("#chatbot").get_by_text("How are you feeling about it?").wait_for()
    lengths = page.evaluate("window.__lengths")
    assert len({n for n in lengths if n > 0}) > 1, "the reply should appear piece by piece"
    assert page.locator("#message textarea").input_value() == ""
    why = page.locator("#why-text")
    why.get_by_text("Signals noticed").wait_for()
    assert "wellbeing on" in why.inner_text()
    shot(page, "01-chat")
    # empty and over-long messages: a clear message, nothing sent, the text kept
    count = page.locator("#chatbot .user").count()
    send(page, "x" * 9000)
    page.get_by_text(re.compile("the limit is 8,000")).first.wait_for()
    assert page.locator("#message textarea").input_value() == "x" * 9000
    assert page.locator("#chatbot .user").count() == count
    shot(page, "02-chat-too-long")
    page.close()


def test_a_crisis_message_shows_the_calm_resources_banner(browser, server):
    page = sign_in(browser, server, "bob")
    new_conversation(page)
    assert not page.locator("#crisis").is_visible()
    send(page, "I don't want to be alive anymore, I want to end my life")
    banner = page.locator("#crisis .crisis-banner")
    banner.wait_for()
    assert "988" in banner.inner_text()  # the US default locale's lifeline
    page.locator("#why-text").get_by_text("Crisis protocol").wait_for()
    shot(page, "02b-crisis-banner")
    page.get_by_role("button", name=re.compile("New conversation")).click()
    banner.wait_for(state="hidden")
    page.close()


def test_switching_a_module_changes_the_next_trace(browser, server):
    page = sign_in(browser, server, "alice")
    tab(page, "Modules")
    box = page.locator("#module-wellbeing input[type=checkbox]")
    if not box.is_checked():
        box.check()
        page.get_by_text("Wellbeing is on").first.wait_for()
    box.uncheck()
    page.get_by_text("Wellbeing is off from your next message").first.wait_for()
    shot(page, "03-modules")
    tab(page, "Chat")
    new_conversation(page)
    send(page, "Is it bad that I keep chatting late at night?")
    why = page.locator("#why-text")
    why.get_by_text("wellbeing off").wait_for()
    shot(page, "04-why-module-off")
    tab(page, "Modules")
    box.check()
    page.get_by_text("Wellbeing is on from your next message").first.wait_for()
    page.close()


def seed_history(ledger, user: str) -> None:
    """Two invented weeks of use: some late nights, loneliness easing, nudges answered."""
    now = datetime.now(UTC)
    for day in range(1, 14):
        start = (now - timedelta(days=day)).replace(hour=19 if day % 4 else 23, minute=30)
        for i in range(2 + day % 3):
            at = start + timedelta(minutes=4 * i)
            scores = {"loneliness": min(1.0, 0.3 + day * 0.045 + i * 0.01), "distress": 0.1}
            fired = ["loneliness"] if scores["loneliness"] > 0.5 else []
            ledger.record_turn(user, "c-seeded", f"seed{day}x{i}", at, scores, fired, {})
        if day % 3 == 0:
            nudge = ledger.record_nudge(user, "reach_out", "social", "loneliness", at=start)
            ledger.respond_to_nudge(nudge, "taken_up" if day % 2 else "dismissed", user_id=user)


def test_dashboard_shows_charts(browser, server):
    seed_history(server.app.companion_pool.stores.ledger, "alice")
    page = sign_in(browser, server, "alice")
    tab(page, "Dashboard")
    page.locator("#summary").get_by_text(re.compile("remember|talking", re.I)).first.wait_for()
    for plot in ("plot-usage", "plot-minutes", "plot-late", "plot-signals", "plot-nudges"):
        page.locator(f"#{plot} canvas, #{plot} svg").first.wait_for()
    page.wait_for_timeout(500)
    shot(page, "05-dashboard")
    page.close()


def test_delete_a_memory(browser, server):
    page = sign_in(browser, server, "bob")
    send(page, "My neighbour Ilse grows tomatoes on her balcony")
    page.locator("#chatbot").get_by_text("How are you feeling about it?").wait_for()
    sync_api.expect(page.locator("#send")).to_be_enabled()  # the turn is recorded
    tab(page, "Memories")
    page.get_by_role("button", name="Show all").click()  # as a person would, to be sure
    cell = page.locator("#memory-table").get_by_text("Ilse grows tomatoes")
    cell = cell.locator("visible=true").first
    try:
        cell.wait_for()
    except Exception:
        shot(page, "debug-memories")
        raise
    cell.click()
    sync_api.expect(page.locator("#memory-text textarea")).to_have_value(re.compile("Ilse"))
    shot(page, "06-memories")
    page.locator("#memory-delete").click()
    page.get_by_text(re.compile("Forgotten:")).first.wait_for()
    gone = page.locator("#memory-table").get_by_text("Ilse grows tomatoes")
    gone.locator("visible=true").first.wait_for(state="detached")
    assert not [r for r in server.app.handlers.memories("bob") if "Ilse" in r[2]]
    page.close()


def test_side_by_side_demo(browser, server):
    page = sign_in(browser, server, "alice")
    tab(page, "Demo")
    page.get_by_role("button", name=re.compile("rather talk to")).click()
    page.locator("#demo-model").get_by_text("fake/adversarial").click()
    page.locator("#run-demo").click()
    page.locator("#demo-a-trace").get_by_text("modules acted").wait_for()
    page.locator("#demo-b-trace").get_by_text("modules acted").wait_for()
    a = page.locator("#demo-a").inner_text()
    b = page.locator("#demo-b").inner_text()
    assert a.strip() and b.strip()
    shot(page, "07-demo")
    page.close()


def test_phone_width_and_settings(browser, server):
    page = sign_in(browser, server, "bob", width=390)
    page.locator("#chatbot").wait_for()
    shot(page, "08-phone-chat")
    tab(page, "Settings")
    page.locator("#setting-model").wait_for()
    shot(page, "09-phone-settings")
    page.close()
