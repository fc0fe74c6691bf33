"""The project's own exceptions: each carries a message clinic staff can act on."""


class TrialwatchError(Exception):
    """Base class; `exit_code` is what the command line exits with."""

    exit_code = 1


class UsageError(TrialwatchError):
    """Bad input from the person at the keyboard (a malformed id, a bad option)."""

    exit_code = 2


class ConfigError(UsageError):
    """The configuration file is missing or wrong; the message names file, key and problem."""


class InvalidNctId(UsageError):
    """A string that is not an NCT id."""


class ApiError(TrialwatchError):
    """The registry could not be reached or answered with something that is not data."""


class StoreError(TrialwatchError):
    """The database is unusable: not a database, or its schema is out of date."""


class LockBusy(TrialwatchError):
    """Another refresh holds the lock."""


class AlertError(TrialwatchError):
    """An alert could not go out (the mail server refused or could not be reached)."""


class NotFound(TrialwatchError):
    """The study asked for is not in the store or not in the registry."""
