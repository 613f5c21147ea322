"""Errors with messages a person can act on (the CLI prints them instead of a traceback)."""


class SignalError(Exception):
    """Base class for every error raised by alignment.signals."""


class SignalModelError(SignalError):
    """The trained artefact is missing, unreadable or does not fit the embedder."""


class SignalDatasetError(SignalError):
    """A line of the labelled dataset is not valid."""
