"""Configuration: `config.toml` read with tomllib into frozen dataclasses.

Every problem becomes one ConfigError naming the file, the key and what is wrong.
"""

from __future__ import annotations

import dataclasses
import os
import tomllib
import types
import typing
from dataclasses import dataclass, field
from email.utils import parseaddr
from pathlib import Path
from typing import Any

from trialwatch.domain.cron import parse_cron
from trialwatch.domain.ids import normalize_nct_id
from trialwatch.domain.severity import SEVERITIES
from trialwatch.errors import ConfigError, InvalidNctId

DEFAULT_PATH = "config.toml"
ENV_PATH = "TRIALWATCH_CONFIG"
ENV_DATABASE_URL = "TRIALWATCH_DATABASE_URL"


@dataclass(frozen=True)
class ApiConfig:
    base_url: str = "https://clinicaltrials.gov/api/v2"
    connect_timeout: float = 10.0
    read_timeout: float = 60.0
    min_interval: float = 1.0  # seconds between requests: robots.txt asks for Crawl-delay: 1
    max_retries: int = 5
    backoff_factor: float = 1.0
    max_retry_after: float = 120.0  # a Retry-After longer than this is capped, not obeyed blindly


@dataclass(frozen=True)
class DatabaseConfig:
    url: str = "sqlite:///trialwatch.db"


@dataclass(frozen=True)
class ReportConfig:
    dir: str = "reports"
    title: str = "Clinical trial evidence summary"


@dataclass(frozen=True)
class RefreshConfig:
    overlap_days: int = 2  # incremental window re-asks this far back: registry dates are US Eastern
    # a periodic full re-check catches derived-data edits and studies leaving a search
    full_every_days: int = 7


@dataclass(frozen=True)
class ScheduleConfig:
    cron: str = "0 6 * * *"
    timezone: str = "America/Denver"
    misfire_grace_seconds: int = 3600
    retry_minutes: int = 30  # first retry delay after a failed run; doubles up to max_retry_minutes
    max_retry_minutes: int = 240
    # how long a scheduled run waits for a refresh already running (a manual one) before retrying
    lock_wait_seconds: int = 600


@dataclass(frozen=True)
class EmailConfig:
    """`[alerts.email]`: where the change digest goes (the password comes from the environment)."""

    host: str
    sender: str
    to: tuple[str, ...]
    port: int = 587
    starttls: bool = True
    user: str = ""
    password_env: str = "TRIALWATCH_SMTP_PASSWORD"
    min_severity: str | None = None  # None: the same as [alerts] min_severity
    timeout: float = 30.0


@dataclass(frozen=True)
class AlertsConfig:
    min_severity: str = "notable"
    feed: bool = True
    feed_entries: int = 200  # the feed keeps this many newest entries
    report_url: str = ""  # where the report is published, to make feed and e-mail links absolute
    email: EmailConfig | None = None

    @property
    def email_min_severity(self) -> str:
        """The e-mail digest's threshold: its own if set, else the one for all alerts."""
        return (self.email.min_severity if self.email else None) or self.min_severity


@dataclass(frozen=True)
class StudyConfig:
    nct_id: str
    cited_as: str = ""
    cited_on: str = ""


@dataclass(frozen=True)
class SearchConfig:
    name: str
    title: str = ""
    params: dict[str, str] = field(default_factory=dict)
    max_studies: int = 10000


@dataclass(frozen=True)
class Config:
    path: Path
    api: ApiConfig = field(default_factory=ApiConfig)
    database: DatabaseConfig = field(default_factory=DatabaseConfig)
    report: ReportConfig = field(default_factory=ReportConfig)
    refresh: RefreshConfig = field(default_factory=RefreshConfig)
    schedule: ScheduleConfig = field(default_factory=ScheduleConfig)
    alerts: AlertsConfig = field(default_factory=AlertsConfig)
    studies: tuple[StudyConfig, ...] = ()
    searches: tuple[SearchConfig, ...] = ()

    @property
    def base_dir(self) -> Path:
        return self.path.parent

    @property
    def database_url(self) -> str:
        """The database URL with a relative SQLite path resolved against the config's folder."""
        url = os.environ.get(ENV_DATABASE_URL) or self.database.url
        prefix = "sqlite:///"
        if url.startswith(prefix) and url != "sqlite://" and not url.startswith(prefix + "/"):
            rel = url[len(prefix) :]
            if rel and rel != ":memory:":
                return prefix + str((self.base_dir / rel).resolve())
        return url

    @property
    def report_dir(self) -> Path:
        return (self.base_dir / self.report.dir).resolve()

    @property
    def cited_ids(self) -> list[str]:
        return [s.nct_id for s in self.studies]


_SECTIONS: dict[str, type] = {
    "api": ApiConfig,
    "database": DatabaseConfig,
    "report": ReportConfig,
    "refresh": RefreshConfig,
    "schedule": ScheduleConfig,
    "alerts": AlertsConfig,
}


def config_path(explicit: str | os.PathLike[str] | None = None) -> Path:
    return Path(explicit or os.environ.get(ENV_PATH) or DEFAULT_PATH)


def load_config(path: str | os.PathLike[str] | None = None) -> Config:
    """Read and validate the config (explicit path, $TRIALWATCH_CONFIG, ./config.toml)."""
    cfg_path = config_path(path)
    try:
        text = cfg_path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(
            f"{cfg_path}: configuration file not found (pass --config PATH or set {ENV_PATH})"
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{cfg_path}: cannot read the configuration file: {exc}") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{cfg_path}: not valid TOML: {exc}") from None
    return parse_config(data, cfg_path.resolve())


def parse_config(data: dict[str, Any], path: Path) -> Config:
    """Validate a parsed TOML document; raise ConfigError naming the key at fault."""
    where = str(path)
    known = set(_SECTIONS) | {"studies", "searches"}
    for key in data:
        if key not in known:
            raise ConfigError(f"{where}: unknown key '{key}' (known: {', '.join(sorted(known))})")
    sections = {
        name: _build(cls, data.get(name, {}), name, where) for name, cls in _SECTIONS.items()
    }
    studies = tuple(
        _build(StudyConfig, item, f"studies[{i}]", where)
        for i, item in enumerate(_array_of_tables(data, "studies", where))
    )
    searches = tuple(
        _build(SearchConfig, item, f"searches[{i}]", where)
        for i, item in enumerate(_array_of_tables(data, "searches", where))
    )
    studies = tuple(_normalise_study(s, i, where) for i, s in enumerate(studies))
    _check_unique([s.nct_id for s in studies], "studies", "nct_id", where)
    _check_unique([s.name for s in searches], "searches", "name", where)
    for i, search in enumerate(searches):
        if not search.name.strip():
            raise ConfigError(f"{where}: key 'searches[{i}].name': must not be empty")
        if not search.params:
            raise ConfigError(f"{where}: key 'searches[{i}].params': needs at least one parameter")
        if search.max_studies < 1:
            raise ConfigError(f"{where}: key 'searches[{i}].max_studies': must be at least 1")
    _check_ranges(sections, where)
    return Config(
        path=path,
        studies=studies,
        searches=searches,
        **sections,
    )


def _array_of_tables(data: dict[str, Any], key: str, where: str) -> list[Any]:
    value = data.get(key, [])
    if not isinstance(value, list):
        raise ConfigError(f"{where}: key '{key}': expected an array of tables ([[{key}]])")
    return value


def _normalise_study(study: StudyConfig, index: int, where: str) -> StudyConfig:
    try:
        nct = normalize_nct_id(study.nct_id)
    except InvalidNctId as exc:
        raise ConfigError(f"{where}: key 'studies[{index}].nct_id': {exc}") from None
    return dataclasses.replace(study, nct_id=nct)


def _check_unique(values: list[str], table: str, key: str, where: str) -> None:
    seen: set[str] = set()
    for i, value in enumerate(values):
        if value in seen:
            raise ConfigError(f"{where}: key '{table}[{i}].{key}': duplicate value {value!r}")
        seen.add(value)


def _check_ranges(sections: dict[str, Any], where: str) -> None:
    api: ApiConfig = sections["api"]
    if not api.base_url.startswith(("http://", "https://")):
        raise ConfigError(f"{where}: key 'api.base_url': must start with http:// or https://")
    for name in ("connect_timeout", "read_timeout"):
        if getattr(api, name) <= 0:
            raise ConfigError(f"{where}: key 'api.{name}': must be greater than 0")
    for name in ("min_interval", "backoff_factor", "max_retry_after"):
        if getattr(api, name) < 0:
            raise ConfigError(f"{where}: key 'api.{name}': must not be negative")
    if api.max_retries < 0:
        raise ConfigError(f"{where}: key 'api.max_retries': must not be negative")
    refresh: RefreshConfig = sections["refresh"]
    if refresh.overlap_days < 0 or refresh.full_every_days < 1:
        raise ConfigError(
            f"{where}: key 'refresh': overlap_days must be >= 0 and full_every_days >= 1"
        )
    _check_alerts(sections["alerts"], where)
    _check_schedule(sections["schedule"], where)


def _check_schedule(schedule: ScheduleConfig, where: str) -> None:
    """The cron expression and time zone, read as the scheduler will (imported only here)."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(schedule.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(
            f"{where}: key 'schedule.timezone': unknown time zone {schedule.timezone!r} "
            "(use an IANA name such as 'America/Denver')"
        ) from None
    try:
        parse_cron(schedule.cron)
    except ValueError as exc:
        raise ConfigError(
            f"{where}: key 'schedule.cron': not a valid cron expression {schedule.cron!r} "
            f"(minute hour day month weekday, e.g. '0 6 * * *'): {exc}"
        ) from None
    for name in ("misfire_grace_seconds", "retry_minutes"):
        if getattr(schedule, name) < 1:
            raise ConfigError(f"{where}: key 'schedule.{name}': must be at least 1")
    if schedule.max_retry_minutes < schedule.retry_minutes:
        raise ConfigError(
            f"{where}: key 'schedule.max_retry_minutes': must be at least retry_minutes"
        )
    if schedule.lock_wait_seconds < 0:
        raise ConfigError(f"{where}: key 'schedule.lock_wait_seconds': must not be negative")


def _check_alerts(alerts: AlertsConfig, where: str) -> None:
    severities = {"alerts.min_severity": alerts.min_severity}
    if alerts.email is not None and alerts.email.min_severity is not None:
        severities["alerts.email.min_severity"] = alerts.email.min_severity
    for key, value in severities.items():
        if value not in SEVERITIES:
            raise ConfigError(f"{where}: key '{key}': must be one of {', '.join(SEVERITIES)}")
    if alerts.feed_entries < 1:
        raise ConfigError(f"{where}: key 'alerts.feed_entries': must be at least 1")
    if alerts.report_url and not alerts.report_url.startswith(("http://", "https://")):
        raise ConfigError(f"{where}: key 'alerts.report_url': must start with http:// or https://")
    email = alerts.email
    if email is None:
        return
    if not email.host.strip():
        raise ConfigError(f"{where}: key 'alerts.email.host': must not be empty")
    if not 0 < email.port < 65536:
        raise ConfigError(f"{where}: key 'alerts.email.port': must be between 1 and 65535")
    if email.timeout <= 0:
        raise ConfigError(f"{where}: key 'alerts.email.timeout': must be greater than 0")
    if not email.to:
        raise ConfigError(f"{where}: key 'alerts.email.to': needs at least one address")
    for i, address in enumerate(email.to):
        if not _is_address(address):
            raise ConfigError(f"{where}: key 'alerts.email.to[{i}]': not an e-mail address")
    if not _is_address(email.sender):
        raise ConfigError(f"{where}: key 'alerts.email.sender': not an e-mail address")


def _is_address(value: str) -> bool:
    """`name@domain` or `Display Name <name@domain>`, on one line."""
    _name, address = parseaddr(value)
    return "@" in address and "\n" not in value and "\r" not in value


def _build(cls: type, raw: Any, prefix: str, where: str) -> Any:
    """Build dataclass `cls` from a TOML table, checking unknown keys and value types."""
    if not isinstance(raw, dict):
        raise ConfigError(f"{where}: key '{prefix}': expected a table")
    hints = typing.get_type_hints(cls)
    fields = {f.name: f for f in dataclasses.fields(cls)}
    for key in raw:
        if key not in fields:
            raise ConfigError(
                f"{where}: unknown key '{prefix}.{key}' (known: {', '.join(sorted(fields))})"
            )
    values: dict[str, Any] = {}
    for name, f in fields.items():
        if name not in raw:
            no_default = (
                f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
            )
            if no_default:
                raise ConfigError(f"{where}: key '{prefix}.{name}' is required")
            continue
        values[name] = _coerce(raw[name], hints[name], f"{prefix}.{name}", where)
    return cls(**values)


def _coerce(value: Any, hint: Any, key: str, where: str) -> Any:
    origin = typing.get_origin(hint)
    if origin is dict:
        if not isinstance(value, dict) or not all(
            isinstance(k, str) and isinstance(v, str | int | float) and not isinstance(v, bool)
            for k, v in value.items()
        ):
            raise ConfigError(f"{where}: key '{key}': expected a table of text values")
        return {k: str(v) for k, v in value.items()}
    if hint is float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ConfigError(f"{where}: key '{key}': expected a number, got {value!r}")
        return float(value)
    if hint is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ConfigError(f"{where}: key '{key}': expected a whole number, got {value!r}")
        return value
    if hint is bool:
        if not isinstance(value, bool):
            raise ConfigError(f"{where}: key '{key}': expected true or false, got {value!r}")
        return value
    if hint is str:
        if not isinstance(value, str):
            raise ConfigError(f"{where}: key '{key}': expected text, got {value!r}")
        return value
    if typing.get_origin(hint) is tuple:  # tuple[str, ...]: an array of text
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f"{where}: key '{key}': expected an array of text, got {value!r}")
        return tuple(value)
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):  # a table: [alerts.email]
        return _build(hint, value, key, where)
    if isinstance(hint, types.UnionType):  # `X | None`: the key is optional, X when given
        (inner,) = [arg for arg in typing.get_args(hint) if arg is not type(None)]
        return _coerce(value, inner, key, where)
    raise AssertionError(f"unsupported config type {hint!r}")  # pragma: no cover
