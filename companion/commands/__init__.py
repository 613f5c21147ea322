"""CLI command groups. Each module exposes ``app`` (a typer.Typer) and is mounted in cli.py."""
