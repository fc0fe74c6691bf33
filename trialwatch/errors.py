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


class LockLost(TrialwatchError):
    """The refresh lock was lost before the refresh could commit (nothing was stored)."""


class AlertError(TrialwatchError):
    """An alert could not go out (the mail server refused or could not be reached)."""


class NotFound(TrialwatchError):
    """The study asked for is not in the store or not in the registry."""


class Stopped(TrialwatchError):
    """SIGTERM or SIGINT stopped a run; what it had done was rolled back. Not a failure."""

    exit_code = 0


def unexpected(exc: BaseException) -> str:
    """One line for an exception nobody foresaw: what failed and why, no secret in it.

    A database error keeps only the driver's first line (not the SQL and its parameters); an
    OS error names its errno text and file (`No space left on device: /dev/full`).
    """
    if isinstance(exc, KeyboardInterrupt):
        return "interrupted (SIGINT)"
    if isinstance(exc, TrialwatchError):  # foreseen after all: its own message
        return safe_text(exc)
    origin = getattr(exc, "orig", None)
    if isinstance(origin, BaseException):  # SQLAlchemy wraps the driver's error
        return safe_text(f"the database failed: {_first_line(origin) or type(origin).__name__}")
    if isinstance(exc, OSError) and exc.strerror:
        where = f": {exc.filename}" if exc.filename else ""
        return safe_text(f"{exc.strerror} (errno {exc.errno}){where}")
    text = f"unexpected error: {type(exc).__name__}"
    message = _first_line(exc)
    return safe_text(f"{text}: {message}" if message else text)


def _first_line(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    return " ".join(lines[0].split())[:500] if lines else ""
