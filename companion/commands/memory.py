"""`companion memory ...`: the person sees, searches, corrects, exports and erases memories.

Every command works on one user (``--user``, default: the configured user id). Errors are
printed as one readable line with exit code 1, never as a traceback.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer

from companion.commands.common import settings_or_exit
from memory import MemoryKind, MemoryRecord, MemoryStore, MemoryStoreError

app = typer.Typer(
    help="See, search, correct, export and erase what the companion remembers about you.",
    no_args_is_help=True,
)

UserOpt = Annotated[str | None, typer.Option("--user", "-u", help="User id (default: settings).")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]


@contextmanager
def _friendly_errors() -> Iterator[None]:
    try:
        yield
    except (MemoryStoreError, ValueError, OSError) as exc:
        typer.secho(f"error: {exc}", err=True, fg=typer.colors.RED)
        raise typer.Exit(1) from None


def _settings() -> Any:
    return settings_or_exit()


def build_store(settings: Any) -> MemoryStore:
    from companion.stores import open_memory

    return open_memory(settings)


def _all_stores(settings: Any, store: MemoryStore) -> list[Any]:
    """Every per-user store, so export/forget cover all of a person's data."""
    try:
        from companion.stores import user_data_stores
    except ImportError:
        typer.secho(
            "warning: companion.stores is not available; only memories are covered",
            err=True,
            fg=typer.colors.YELLOW,
        )
        return [store]
    return user_data_stores(settings)


def _context(user: str | None) -> tuple[Any, MemoryStore, str]:
    settings = _settings()
    return settings, build_store(settings), user or settings.user_id


def _line(record: MemoryRecord) -> str:
    status = "" if record.status == "active" else f" [{record.status.value}]"
    when = f"{record.created_at:%Y-%m-%d}"
    return f"{record.id[:12]}  {when}  {record.kind.value:<10} {record.text}{status}"


def _resolve(store: MemoryStore, user: str, memory_id: str) -> str:
    """Accept the short id shown by `list` as long as it is unambiguous."""
    if len(memory_id) >= 32:
        return memory_id
    matches = [r.id for r in store.list(user, include_history=True) if r.id.startswith(memory_id)]
    if len(matches) == 1:
        return matches[0]
    if len(matches) > 1:
        raise ValueError(
            f"id prefix {memory_id!r} matches {len(matches)} memories; give more of it"
        )
    return memory_id  # let the store say it does not exist


@app.command("list")
def list_memories(
    user: UserOpt = None,
    history: Annotated[
        bool, typer.Option("--all", help="Include superseded/merged/faded.")
    ] = False,
    kind: Annotated[MemoryKind | None, typer.Option(help="Only this kind.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """List what the companion remembers, newest first."""
    with _friendly_errors():
        _, store, user = _context(user)
        records = store.list(user, include_history=history, kind=kind)
        if as_json:
            typer.echo(json.dumps([r.model_dump(mode="json") for r in records], indent=2))
        elif not records:
            typer.echo("No memories.")
        for record in records if not as_json else []:
            typer.echo(_line(record))


@app.command()
def search(
    query: str,
    user: UserOpt = None,
    k: Annotated[int, typer.Option("-k", min=1, max=100)] = 10,
    as_json: JsonOpt = False,
) -> None:
    """Search memories the way the companion does (meaning, words, people, recency)."""
    with _friendly_errors():
        _, store, user = _context(user)
        results = store.search(user, query, k=k)
        if as_json:
            typer.echo(json.dumps([r.model_dump(mode="json") for r in results], indent=2))
            return
        if not results:
            typer.echo("Nothing found.")
        for r in results:
            typer.echo(f"{r.score:6.2f}  {_line(r.record)}\n        why: {'; '.join(r.why)}")


@app.command()
def show(memory_id: str, user: UserOpt = None) -> None:
    """Show one memory with everything stored about it."""
    with _friendly_errors():
        _, store, user = _context(user)
        record = store.get(user, _resolve(store, user, memory_id))
        typer.echo(json.dumps(record.model_dump(mode="json"), indent=2, ensure_ascii=False))


@app.command()
def edit(memory_id: str, text: str, user: UserOpt = None) -> None:
    """Correct a memory's text."""
    with _friendly_errors():
        _, store, user = _context(user)
        record = store.edit(user, _resolve(store, user, memory_id), text)
        typer.echo(f"updated {record.id[:12]}: {record.text}")


@app.command()
def delete(memory_id: str, user: UserOpt = None) -> None:
    """Delete one memory for good."""
    with _friendly_errors():
        _, store, user = _context(user)
        record = store.delete(user, _resolve(store, user, memory_id))
        typer.echo(f"deleted {record.id[:12]}")


@app.command()
def forget(
    all_: Annotated[bool, typer.Option("--all", help="Erase everything about the user.")] = False,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
    user: UserOpt = None,
) -> None:
    """Erase everything held about the person, in every store."""
    with _friendly_errors():
        if not all_:
            raise ValueError(
                "say --all to erase everything (one memory: companion memory delete ID)"
            )
        settings, store, user = _context(user)
        if not yes and not typer.confirm(
            f"Erase everything the companion holds about {user!r}? This cannot be undone."
        ):
            typer.echo("Nothing erased.")
            raise typer.Exit(0)
        from companion.privacy import forget_user

        counts = forget_user(_all_stores(settings, store), user)
        typer.echo("erased: " + ", ".join(f"{name} {n}" for name, n in counts.items()))


@app.command("export")
def export_(
    output: Annotated[Path | None, typer.Option("--output", "-o", help="File to write.")] = None,
    force: Annotated[bool, typer.Option(help="Overwrite an existing file.")] = False,
    user: UserOpt = None,
) -> None:
    """Write one JSON file with everything held about the person."""
    with _friendly_errors():
        settings, store, user = _context(user)
        path = output or Path(f"companion-export-{user}.json")
        if path.exists() and not force:
            raise ValueError(f"{path} exists; use --force to overwrite it")
        from companion.privacy import export_user

        data = export_user(_all_stores(settings, store), user)
        path.write_text(json.dumps(data, indent=2, ensure_ascii=False), encoding="utf-8")
        typer.echo(f"exported to {path}")


@app.command("import")
def import_(path: Path, user: UserOpt = None) -> None:
    """Restore an export file (made by `companion memory export`)."""
    with _friendly_errors():
        settings, store, user = _context(user)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            raise ValueError(f"{path} is not valid JSON ({exc})") from exc
        if not isinstance(data, dict):
            raise ValueError(f"{path} is not a companion export")
        from companion.privacy import import_user

        counts = import_user(_all_stores(settings, store), user, data)
        typer.echo("imported: " + ", ".join(f"{name} {n}" for name, n in counts.items()))


@app.command()
def consolidate(
    user: UserOpt = None,
    every_user: Annotated[bool, typer.Option("--every-user", help="All users.")] = False,
) -> None:
    """Write episode summaries, merge near-duplicates and let old trivia fade."""
    with _friendly_errors():
        _, store, user = _context(user)
        users = store.user_ids() if every_user else [user]
        for uid in users:
            result = store.consolidate(uid)
            typer.echo(f"{uid}: " + ", ".join(f"{k} {v}" for k, v in result.items()))
