"""Configuration: `config.toml` read with tomllib into frozen msgspec structs.

msgspec checks types, unknown keys and every number's bounds (the `Annotated` types); what a type
cannot say (URLs, addresses, cron) is checked after. A problem is one ConfigError: file, key, what.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any, NoReturn

import msgspec
from msgspec import Struct

from trialwatch.domain import bounds, validation
from trialwatch.domain.ids import normalize_nct_id
from trialwatch.domain.severity import SEVERITIES
from trialwatch.errors import ConfigError, InvalidNctId

DEFAULT_PATH = "config.toml"
ENV_PATH = "TRIALWATCH_CONFIG"
ENV_DATABASE_URL = "TRIALWATCH_DATABASE_URL"


class Table(Struct, frozen=True, forbid_unknown_fields=True):
    """A TOML table: unknown keys are errors, so a typo never passes silently."""


class ApiConfig(Table, frozen=True):
    base_url: str = "https://clinicaltrials.gov/api/v2"
    connect_timeout: bounds.Timeout = 10.0
    read_timeout: bounds.Timeout = 60.0
    min_interval: bounds.Delay = 1.0  # seconds between requests: robots.txt asks for Crawl-delay: 1
    max_retries: bounds.Retries = 5
    backoff_factor: bounds.Delay = 1.0
    max_retry_after: bounds.RetryAfter = 120.0  # a longer Retry-After is capped, not obeyed blindly


class DatabaseConfig(Table, frozen=True):
    url: str = "sqlite:///trialwatch.db"


class ReportConfig(Table, frozen=True):
    dir: str = "reports"
    title: str = "Clinical trial evidence summary"
    stale_after_days: bounds.StaleDays = 3.0  # older evidence than this gets a banner on every page


class RefreshConfig(Table, frozen=True):
    # an incremental run re-asks this far back: registry dates are US Eastern
    overlap_days: bounds.Days = 2
    # a periodic full re-check catches derived-data edits and studies leaving a search
    full_every_days: bounds.Period = 7


class ScheduleConfig(Table, frozen=True):
    cron: str = "0 6 * * *"
    timezone: str = "America/Denver"
    misfire_grace_seconds: bounds.GraceSeconds = 3600
    retry_minutes: bounds.Minutes = 30  # first retry after a failure; doubles up to the max
    max_retry_minutes: bounds.Minutes = 240
    # how long a scheduled run waits for a refresh already running (a manual one) before retrying
    lock_wait_seconds: bounds.WaitSeconds = 600


class EmailConfig(Table, frozen=True):
    """`[alerts.email]`: where the change digest goes (the password comes from the environment)."""

    host: str
    sender: str
    to: tuple[str, ...]
    port: bounds.Port = 587
    starttls: bool = True
    user: str = ""
    password_env: str = "TRIALWATCH_SMTP_PASSWORD"
    min_severity: str | None = None  # None: the same as [alerts] min_severity
    timeout: bounds.Timeout = 30.0


class AlertsConfig(Table, frozen=True):
    min_severity: str = "notable"
    feed: bool = True
    feed_entries: bounds.Entries = 200  # the feed keeps this many newest entries
    report_url: str = ""  # where the report is published, to make feed and e-mail links absolute
    # consecutive failed refreshes raising one "failing" alert
    failures_before_alert: bounds.Streak = 2
    email: EmailConfig | None = None

    @property
    def email_min_severity(self) -> str:
        """The e-mail digest's threshold: its own if set, else the one for all alerts."""
        return (self.email.min_severity if self.email else None) or self.min_severity


class MonitoringConfig(Table, frozen=True):
    """`[monitoring]`: where each run writes Prometheus' text format (empty: nowhere)."""

    textfile: str = ""


class StudyConfig(Table, frozen=True):
    nct_id: str
    cited_as: str = ""
    cited_on: str = ""
    claims: tuple[str, ...] = ()  # what the clinic's page says the study shows


class SearchConfig(Table, frozen=True):
    name: bounds.SearchName  # stored in columns of this length
    title: str = ""
    # numbers are allowed and kept as text: they are query parameters
    params: dict[str, str] = {}
    max_studies: bounds.StudyCap = 10000
    # trials with posted results fetched in full per search (their results shown side by side)
    max_full_records: bounds.FullCap = 500


class Document(Table, frozen=True):
    """The whole file, as TOML spells it."""

    api: ApiConfig = ApiConfig()
    database: DatabaseConfig = DatabaseConfig()
    report: ReportConfig = ReportConfig()
    refresh: RefreshConfig = RefreshConfig()
    schedule: ScheduleConfig = ScheduleConfig()
    alerts: AlertsConfig = AlertsConfig()
    monitoring: MonitoringConfig = MonitoringConfig()
    studies: tuple[StudyConfig, ...] = ()
    searches: tuple[SearchConfig, ...] = ()


class Config(Document, frozen=True, kw_only=True):
    """The settings and the file they came from (relative paths resolve against its folder)."""

    path: Path

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
    def metrics_file(self) -> Path | None:
        """The Prometheus textfile, resolved against the config's folder (None: not written)."""
        textfile = self.monitoring.textfile
        return (self.base_dir / textfile).resolve() if textfile else None

    @property
    def cited_ids(self) -> list[str]:
        return [s.nct_id for s in self.studies]


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
    except RecursionError:  # tomllib recurses once per level of nested arrays or tables
        raise ConfigError(f"{cfg_path}: not valid TOML: nested too deeply") from None
    return parse_config(data, cfg_path.resolve())


def parse_config(data: dict[str, Any], path: Path) -> Config:
    """Validate a parsed TOML document; raise ConfigError naming the key at fault."""
    where = str(path)
    try:
        doc = msgspec.convert(validation.numbers_as_text(data, "searches", "params"), Document)
    except msgspec.ValidationError as exc:
        raise ConfigError(f"{where}: {validation.explain(str(exc), data, Document)}") from None
    studies = tuple(_normalise_study(s, i, where) for i, s in enumerate(doc.studies))
    _check_unique([s.nct_id for s in studies], "studies", "nct_id", where)
    _check_unique([s.name for s in doc.searches], "searches", "name", where)
    for i, search in enumerate(doc.searches):
        if not search.name.strip():
            raise ConfigError(f"{where}: key 'searches[{i}].name': must not be empty")
        if not search.params:
            raise ConfigError(f"{where}: key 'searches[{i}].params': needs at least one parameter")
    _check_url(doc.api.base_url, "api.base_url", where)
    _check_database_url(doc.database.url, f"{where}: key 'database.url'")
    if env_url := os.environ.get(ENV_DATABASE_URL):  # it overrides the file's, so it is checked too
        _check_database_url(env_url, f"${ENV_DATABASE_URL} (for key 'database.url' in {where})")
    _check_alerts(doc.alerts, where)
    _check_schedule(doc.schedule, where)
    sections = {name: getattr(doc, name) for name in Document.__struct_fields__}
    return Config(**{**sections, "studies": studies}, path=path)


def _normalise_study(study: StudyConfig, index: int, where: str) -> StudyConfig:
    try:
        nct = normalize_nct_id(study.nct_id)
    except InvalidNctId as exc:
        raise ConfigError(f"{where}: key 'studies[{index}].nct_id': {exc}") from None
    return msgspec.structs.replace(study, nct_id=nct)


def _check_unique(values: list[str], table: str, key: str, where: str) -> None:
    if (i := validation.first_repeat(values)) is not None:
        raise ConfigError(f"{where}: key '{table}[{i}].{key}': duplicate value {values[i]!r}")


def _check_url(url: str, key: str, where: str) -> None:
    if problem := validation.url_problem(url):
        _fail(where, key, problem)


def _fail(where: str, key: str, problem: str) -> NoReturn:
    raise ConfigError(f"{where}: key '{key}': {problem}")


def _check_database_url(url: str, what: str) -> None:
    """A URL SQLAlchemy can parse, for SQLite or PostgreSQL, naming a database that persists."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError):
        raise ConfigError(f"{what}: not a database URL {url!r}") from None
    backend = parsed.get_backend_name()
    if backend not in ("sqlite", "postgresql"):
        raise ConfigError(f"{what}: unsupported database {backend!r} (use sqlite or postgresql)")
    if backend == "sqlite" and parsed.database in (None, "", ":memory:"):
        memory = "an in-memory SQLite database keeps nothing between runs"
        raise ConfigError(f"{what}: {memory} (name a file: sqlite:///trialwatch.db)")


def _check_schedule(schedule: ScheduleConfig, where: str) -> None:
    """The time zone and cron expression, read as the scheduler will."""
    for key, problem in (
        ("schedule.timezone", validation.timezone_problem(schedule.timezone)),
        ("schedule.cron", validation.cron_problem(schedule.cron)),
    ):
        if problem:
            _fail(where, key, problem)
    if schedule.max_retry_minutes < schedule.retry_minutes:
        _fail(where, "schedule.max_retry_minutes", "must be at least retry_minutes")


def _check_alerts(alerts: AlertsConfig, where: str) -> None:
    severities = {"alerts.min_severity": alerts.min_severity}
    if alerts.email is not None and alerts.email.min_severity is not None:
        severities["alerts.email.min_severity"] = alerts.email.min_severity
    for key, value in severities.items():
        if value not in SEVERITIES:
            raise ConfigError(f"{where}: key '{key}': must be one of {', '.join(SEVERITIES)}")
    if alerts.report_url:
        _check_url(alerts.report_url, "alerts.report_url", where)
    email = alerts.email
    if email is None:
        return
    if not email.host.strip():
        raise ConfigError(f"{where}: key 'alerts.email.host': must not be empty")
    if not validation.is_one_word(email.host):
        _fail(where, "alerts.email.host", "must not contain spaces or control characters")
    if not email.to:
        raise ConfigError(f"{where}: key 'alerts.email.to': needs at least one address")
    for i, address in enumerate(email.to):
        if not validation.is_address(address):
            raise ConfigError(f"{where}: key 'alerts.email.to[{i}]': not an e-mail address")
    if not validation.is_address(email.sender):
        raise ConfigError(f"{where}: key 'alerts.email.sender': not an e-mail address")
