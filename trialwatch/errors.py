"""The project's own exceptions: each carries a message clinic staff can act on."""

import re

# `scheme://user:password@host` and `password=`, `token=`, `secret=`, `key=` in a query string
_CREDENTIALS = re.compile(r"(?<=://)[^/\s@]*@")
_SECRET_PARAMS = re.compile(
    r"(?i)\b((?:[a-z_.]*?(?:password|passwd|pwd|token|secret|key|auth))=)[^&\s'\"]*"
)


def safe_text(value: object) -> str:
    """`str(value)` with any password, token or query secret replaced by `***`.

    Every message that names a URL goes through here: a `user:pass@` in `[api] base_url` or a
    `?password=` in the database URL is never printed and never stored in the run log.
    """
    text = str(value)
    return _SECRET_PARAMS.sub(r"\1***", _CREDENTIALS.sub("***@", text))


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


class Stopped(TrialwatchError):
    """SIGTERM or SIGINT stopped a run; what it had done was rolled back. Not a failure."""

    exit_code = 0


def unexpected(exc: BaseException) -> str:
    """One line for an exception nobody foresaw: its type and message, no secret in it."""
    if isinstance(exc, KeyboardInterrupt):
        return "interrupted (SIGINT)"
    message = " ".join(str(exc).split())
    text = f"unexpected error: {type(exc).__name__}"
    return safe_text(f"{text}: {message}" if message else text)
