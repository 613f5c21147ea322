"""One warmed-up companion deployment shared by the UI tests (a cold first turn is slow).

Each test uses its own invented user ids on the shared stores, so tests stay independent.
The ``server`` fixture serves the real app with sign-in on a free port in a thread.
"""

from __future__ import annotations

import socket
import time
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from companion.config import load_settings
from companion.service import Companion

PASSWORDS = {"alice": "alice-password-1", "bob": "bob-password-22"}


@pytest.fixture(scope="session")
def deployment(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Companion]:
    data = tmp_path_factory.mktemp("ui-data")
    companion = Companion(load_settings(data_dir=data, model="fake/echo"))
    companion.for_user("warmup").reply("hello")  # loads the model layer once for every test
    yield companion
    companion.close()


@pytest.fixture
def user() -> str:
    return f"u{uuid.uuid4().hex[:10]}"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    url: str
    app: object
    data_dir: Path


@pytest.fixture(scope="session")
def server(deployment: Companion) -> Iterator[Server]:
    """The real app with accounts (alice, bob), served on a free port in this process."""
    from ui.accounts import AccountStore, accounts_path
    from ui.app import build_app, serve

    settings = deployment.settings
    store = AccountStore(accounts_path(settings.data_dir), rounds=4)
    for name, password in PASSWORDS.items():
        if name not in store.usernames():
            store.add(name, password)
    app = build_app(settings, deployment, accounts=True)
    port = free_port()
    serve(app, settings, "127.0.0.1", port, accounts=True, block=False, quiet=True)
    url = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(url + "/", timeout=2)
            break
        except OSError:
            time.sleep(0.1)
    yield Server(url=url, app=app, data_dir=settings.data_dir)
    app.close()
