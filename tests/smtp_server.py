"""A real SMTP server on 127.0.0.1 (aiosmtpd) that keeps every message it accepts, for tests."""

from __future__ import annotations

import email
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.policy import default as default_policy
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

ALERTS_EMAIL = """
[alerts]
min_severity = "notable"
[alerts.email]
host = "127.0.0.1"
port = {port}
starttls = false
sender = "trialwatch@clinic.example"
to = ["dr.a@clinic.example", "Dr B <dr.b@clinic.example>"]
timeout = 5
"""


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage


@dataclass
class SmtpServer:
    port: int
    received: list[Received] = field(default_factory=list)
    logins: list[tuple[str, str]] = field(default_factory=list)

    def alerts_config(self) -> str:
        """An [alerts] + [alerts.email] config pointing at this server (append to a config)."""
        return ALERTS_EMAIL.format(port=self.port)


class _Collector:
    def __init__(self, server: SmtpServer) -> None:
        self.server = server

    async def handle_DATA(self, _server: Any, _session: Any, envelope: Any) -> str:
        message = email.message_from_bytes(envelope.content, policy=default_policy)
        assert isinstance(message, EmailMessage)
        self.server.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"


def free_port() -> int:
    """A port nothing listens on (bound and released at once): connecting to it is refused."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def running_smtp(*, password: str | None = None) -> Iterator[SmtpServer]:
    """An SMTP server on a free local port; with `password`, AUTH is required (plain, no TLS)."""
    server = SmtpServer(port=free_port())
    kwargs: dict[str, Any] = {}
    if password is not None:

        def authenticator(_s: Any, _sess: Any, _env: Any, _mech: str, data: Any) -> AuthResult:
            assert isinstance(data, LoginPassword)
            login, given = data.login.decode(), data.password.decode()
            server.logins.append((login, given))
            return AuthResult(success=given == password)

        kwargs = {"authenticator": authenticator, "auth_required": True, "auth_require_tls": False}
    controller = Controller(_Collector(server), hostname="127.0.0.1", port=server.port, **kwargs)
    controller.start()
    try:
        yield server
    finally:
        controller.stop()
