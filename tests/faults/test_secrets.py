"""No password, token or query secret is ever printed or stored.

A `user:pass@` in `[api] base_url` used to appear in API errors, in `refresh_runs.error` and in
`trialwatch status`; a `?password=` in the database URL was printed. One secret is planted in
both URLs, every command's output is read, and so is every table: the secret is in none of them.
"""

from __future__ import annotations

import socket

from tests.conftest import query_rows
from tests.faults.harness import run_cli
from tests.faults.wire import CITED, fake_registry, run, write_config

SECRET = "Pl4nted-s3cret"


def _with_secret(db_url: str) -> str:
    if db_url.startswith("sqlite"):  # SQLite has no password (the base_url carries one)
        return db_url
    user, _, rest = db_url.partition("@")  # trust authentication ignores the password
    return f"{user}:{SECRET}@{rest}&password={SECRET}"


def _every_table(db_url: str) -> str:
    tables = [t for (t,) in query_rows(db_url.split("?")[0], _TABLES[db_url[:6]])]
    return "\n".join(repr(query_rows(db_url, f"SELECT * FROM {t}")) for t in tables)


_TABLES = {
    "sqlite": "SELECT name FROM sqlite_master WHERE type = 'table'",
    "postgr": "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()",
}


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_a_planted_secret_is_never_printed_or_stored(tmp_path, db_url):
    secret_db = _with_secret(db_url)
    outputs: list[str] = []
    with fake_registry() as api:
        config = write_config(tmp_path, api, secret_db)
        text = config.read_text().replace("http://", f"http://trialwatch:{SECRET}@")
        config.write_text(text)
        commands = [
            ("refresh",), ("report",), ("status",), ("status", "--json"), ("show", CITED[0]),
            ("history", CITED[0]), ("changes",), ("db", "current"),
            ("export", "--what", "studies", "-o", str(tmp_path / "studies.json")),
        ]  # fmt: skip
        results = [run_cli("--config", str(config), *c) for c in commands]
        api.faults.append((404, b"gone", {}))
        results.append(run_cli("--config", str(config), "-v", "refresh"))  # 404 names the URL
        api.faults.append((404, b"gone", {}))
        results.append(run(config, "schedule", "--once"))  # a process: its log lines too
        config.write_text(text.replace(f":{api.url.split(':')[2].split('/')[0]}/",
                                       f":{_closed_port()}/"))  # fmt: skip
        results.append(run_cli("--config", str(config), "refresh"))  # "Cannot reach" a host

    codes = [getattr(r, "exit_code", getattr(r, "returncode", None)) for r in results]
    assert codes == [0] * 9 + [1, 1, 1], [r.stderr for r in results]
    assert "HTTP 404 from http://***@127.0.0.1" in results[9].stderr  # the URL, without it
    assert "Cannot reach 127.0.0.1:" in results[11].stderr
    outputs += [r.stdout + r.stderr for r in results]
    outputs.append((tmp_path / "studies.json").read_text())
    outputs.append(_every_table(db_url))
    leaks = [o for o in outputs if SECRET in o]
    assert not leaks, leaks[0][:2000]
    errors = query_rows(db_url, "SELECT error FROM refresh_runs WHERE outcome = 'failed'")
    assert len(errors) == 3 and all(e and "***" in e or "127.0.0.1" in e for (e,) in errors)
