"""Errors the memory package raises, each with a message a person can read.

One base class lets the CLI and the turn loop catch every memory problem in one place,
while ``MemoryUnavailable`` stays distinct: it means "answer without memories", not "bad input".
"""

from __future__ import annotations


class MemoryStoreError(Exception):
    """Base class for every error raised by the memory package."""


class InvalidMemoryText(MemoryStoreError, ValueError):
    """A memory or message text is empty, too long, or unusable after cleaning."""


class InvalidUserId(MemoryStoreError, ValueError):
    """A user id that cannot safely key a person's data."""


class MemoryNotFound(MemoryStoreError, KeyError):
    """No memory with this id exists for this user (it may never have, or it was deleted)."""

    def __str__(self) -> str:  # KeyError would wrap the message in quotes
        return str(self.args[0]) if self.args else "memory not found"


class MemoryUnavailable(MemoryStoreError):
    """The vector store cannot be reached or failed; the turn should go on without memories."""


class InvalidExport(MemoryStoreError, ValueError):
    """An import file is not a memory export this version understands."""
