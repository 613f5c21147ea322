"""Per-user accounts for a shared deployment: usernames and bcrypt password hashes.

Passwords are never stored or logged, only bcrypt hashes (a salted, deliberately slow hash
from a well-kept library). The username is the person's ``user_id`` everywhere else, so it
follows the same rules as ``Settings.user_id``. Accounts are created by whoever runs the
deployment (``companion accounts add NAME``); the app itself only signs people in.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections import defaultdict, deque
from datetime import UTC, datetime
from pathlib import Path

import bcrypt
import typer

MIN_PASSWORD = 8
MAX_PASSWORD_BYTES = 72  # bcrypt ignores anything longer; refuse rather than truncate silently
MAX_FAILURES = 5
FAILURE_WINDOW = 300.0  # seconds
_SCHEMA = """
CREATE TABLE IF NOT EXISTS accounts (
    username TEXT PRIMARY KEY,
    password_hash BLOB NOT NULL,
    created_at TEXT NOT NULL
)
"""


class AccountError(ValueError):
    """An account cannot be created or changed; the message says why."""


def check_username(name: str) -> str:
    name = (name or "").strip().lower()
    if not name or len(name) > 64 or not all(c.isalnum() or c in "-_." for c in name):
        raise AccountError("a username is 1-64 letters, digits, '-', '_' or '.'")
    if name.startswith("."):
        raise AccountError("a username cannot start with '.'")
    if name.startswith("demo-"):
        raise AccountError("usernames starting with 'demo-' are reserved for demo mode")
    return name


def check_password(password: str) -> bytes:
    raw = (password or "").encode("utf-8")
    if len(password or "") < MIN_PASSWORD:
        raise AccountError(f"a password needs at least {MIN_PASSWORD} characters")
    if len(raw) > MAX_PASSWORD_BYTES:
        raise AccountError(f"a password can be at most {MAX_PASSWORD_BYTES} bytes long")
    return raw


class AccountStore:
    """Accounts in a small SQLite file beside the rest of the deployment's data."""

    def __init__(self, path: Path, rounds: int = 12) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.rounds = rounds
        self._lock = threading.Lock()
        self._failures: dict[str, deque[float]] = defaultdict(deque)
        with self._connect() as conn:
            conn.execute(_SCHEMA)
        # Compared against when the username is unknown, so a wrong name costs as much
        # time as a wrong password and timing does not reveal who has an account.
        self._decoy = bcrypt.hashpw(b"decoy-password", bcrypt.gensalt(rounds))

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self.path, timeout=10)

    def add(self, username: str, password: str) -> str:
        name, raw = check_username(username), check_password(password)
        hashed = bcrypt.hashpw(raw, bcrypt.gensalt(self.rounds))
        try:
            with self._lock, self._connect() as conn:
                conn.execute(
                    "INSERT INTO accounts VALUES (?, ?, ?)",
                    (name, hashed, datetime.now(UTC).isoformat()),
                )
        except sqlite3.IntegrityError:
            raise AccountError(f"the username {name!r} is taken") from None
        return name

    def set_password(self, username: str, password: str) -> None:
        name, raw = check_username(username), check_password(password)
        hashed = bcrypt.hashpw(raw, bcrypt.gensalt(self.rounds))
        with self._lock, self._connect() as conn:
            done = conn.execute(
                "UPDATE accounts SET password_hash = ? WHERE username = ?", (hashed, name)
            ).rowcount
        if not done:
            raise AccountError(f"no account named {name!r}")

    def remove(self, username: str) -> bool:
        name = check_username(username)
        with self._lock, self._connect() as conn:
            return bool(conn.execute("DELETE FROM accounts WHERE username = ?", (name,)).rowcount)

    def usernames(self) -> list[str]:
        with self._connect() as conn:
            return [r[0] for r in conn.execute("SELECT username FROM accounts ORDER BY username")]

    def _throttled(self, name: str) -> bool:
        now = time.monotonic()
        recent = self._failures[name]
        while recent and now - recent[0] > FAILURE_WINDOW:
            recent.popleft()
        return len(recent) >= MAX_FAILURES

    def verify(self, username: str, password: str) -> bool:
        """True when the password is right; after 5 failures a name is locked for 5 minutes."""
        try:
            name = check_username(username)
        except AccountError:
            return False
        raw = (password or "").encode("utf-8")[:MAX_PASSWORD_BYTES]
        with self._connect() as conn:
            row = conn.execute(
                "SELECT password_hash FROM accounts WHERE username = ?", (name,)
            ).fetchone()
        if self._throttled(name):
            return False
        ok = bcrypt.checkpw(raw, row[0] if row else self._decoy) and row is not None
        if not ok:
            self._failures[name].append(time.monotonic())
        else:
            self._failures.pop(name, None)
        return ok


def accounts_path(data_dir: Path) -> Path:
    return Path(data_dir) / "ui" / "accounts.sqlite3"


# -- CLI: `companion accounts ...` (the lead mounts ``cli`` in companion/cli.py) ---------------

cli = typer.Typer(help="Sign-in accounts for `companion serve --accounts`.", no_args_is_help=True)


def _store() -> AccountStore:
    from companion.config import load_settings

    return AccountStore(accounts_path(load_settings().data_dir))


@cli.command("add")
def add_command(
    username: str,
    password: str = typer.Option(
        ..., prompt=True, hide_input=True, confirmation_prompt=True, help="Asked when omitted."
    ),
) -> None:
    """Create an account; the username becomes the person's user id."""
    try:
        name = _store().add(username, password)
    except AccountError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    typer.echo(f"account {name!r} created")


@cli.command("password")
def password_command(
    username: str,
    password: str = typer.Option(..., prompt=True, hide_input=True, confirmation_prompt=True),
) -> None:
    """Set a new password for an account."""
    try:
        _store().set_password(username, password)
    except AccountError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    typer.echo("password changed")


@cli.command("list")
def list_command() -> None:
    """List usernames (never passwords)."""
    for name in _store().usernames():
        typer.echo(name)


@cli.command("remove")
def remove_command(username: str) -> None:
    """Remove an account (its data stays until the person, or `companion forget`, deletes it)."""
    try:
        removed = _store().remove(username)
    except AccountError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    typer.echo("removed" if removed else "no such account")
