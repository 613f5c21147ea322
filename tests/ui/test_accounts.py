"""Accounts: bcrypt hashes only, sign-in checks, username rules, the CLI."""

from __future__ import annotations

import sqlite3

import pytest
from typer.testing import CliRunner

from ui.accounts import AccountError, AccountStore, accounts_path, cli


@pytest.fixture
def store(tmp_path) -> AccountStore:
    return AccountStore(tmp_path / "accounts.sqlite3", rounds=4)


def test_passwords_are_stored_as_bcrypt_hashes_only(store):
    store.add("Ada", "correct horse battery")
    rows = sqlite3.connect(store.path).execute("SELECT username, password_hash FROM accounts")
    ((name, hashed),) = list(rows)
    assert name == "ada"
    assert hashed.startswith(b"$2b$") and b"correct horse" not in hashed


def test_sign_in_needs_the_right_password(store):
    store.add("ada", "correct horse battery")
    assert store.verify("ada", "correct horse battery")
    assert store.verify("ADA ", "correct horse battery")  # same rules as when created
    assert not store.verify("ada", "wrong horse battery")
    assert not store.verify("nobody", "correct horse battery")
    assert not store.verify("../etc", "x")


def test_repeated_failures_lock_the_name_for_a_while(store):
    store.add("ada", "correct horse battery")
    for _ in range(5):
        assert not store.verify("ada", "guess-guess")
    assert not store.verify("ada", "correct horse battery")


@pytest.mark.parametrize(
    ("name", "password", "problem"),
    [
        ("", "long enough pw", "username"),
        ("has space", "long enough pw", "username"),
        ("demo-x", "long enough pw", "reserved"),
        ("..", "long enough pw", "cannot start with"),
        ("ada", "short", "at least 8"),
        ("ada", "é" * 40, "at most 72 bytes"),
    ],
)
def test_bad_accounts_are_refused_with_a_reason(store, name, password, problem):
    with pytest.raises(AccountError, match=problem):
        store.add(name, password)


def test_a_taken_username_is_refused_and_passwords_can_change(store):
    store.add("ada", "first password")
    with pytest.raises(AccountError, match="taken"):
        store.add("ada", "second password")
    store.set_password("ada", "second password")
    assert store.verify("ada", "second password") and not store.verify("ada", "first password")
    assert store.remove("ada") and store.usernames() == []


def test_the_cli_creates_and_lists_accounts(tmp_path, monkeypatch):
    monkeypatch.setenv("COMPANION_DATA_DIR", str(tmp_path))
    runner = CliRunner()
    made = runner.invoke(cli, ["add", "grace"], input="a long password\na long password\n")
    assert made.exit_code == 0, made.output
    assert "grace" in runner.invoke(cli, ["list"]).output
    bad = runner.invoke(cli, ["add", "bad name"], input="a long password\na long password\n")
    assert bad.exit_code == 2 and "username" in bad.output
    assert AccountStore(accounts_path(tmp_path)).verify("grace", "a long password")
