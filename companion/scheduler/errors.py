"""Errors the scheduler raises, each with a message the CLI and the UI can show as is."""

from __future__ import annotations


class SchedulerError(ValueError):
    """Something about background jobs cannot be done; the message says what."""


class UnknownJobError(SchedulerError):
    """No job with that id or kind is scheduled for this person."""


class PreferenceError(SchedulerError):
    """A preference value is not valid (e.g. quiet hours that do not parse)."""
