"""SMTP: STARTTLS (required, never falling back to clear text) or implicit TLS, with AUTH.

Every refusal (a 4xx or 5xx answer), a dropped connection, a TLS failure or a timeout becomes DeliveryFailed,
so the outbox keeps the message and retries it with its backoff. Nothing here retries by itself.
"""

from __future__ import annotations

import smtplib
import ssl

from shipcaptaincrew.adapters.mail_mime import envelope_address, message_bytes
from shipcaptaincrew.domain.mail import Email
from shipcaptaincrew.ports import DeliveryFailed

SECURITIES = ("starttls", "tls", "none")
TIMEOUT_SECONDS = 5.0
"""For each connect, read and write: a stalling server costs a delivery seconds, well inside a Lambda
invocation's 15 s, and the message stays queued for its retry."""


class SmtpMailer:
    def __init__(
        self,
        host: str,
        port: int,
        security: str,
        sender: str,
        username: str | None = None,
        password: str | None = None,
        ssl_context: ssl.SSLContext | None = None,
        timeout: float = TIMEOUT_SECONDS,
    ) -> None:
        if security not in SECURITIES:
            raise ValueError(f"security must be one of {SECURITIES}")
        self.host, self.port, self.security, self.sender = host, port, security, sender
        self._username, self._password = username, password
        self._ssl_context = ssl_context
        self.timeout = timeout

    def describe(self) -> str:
        auth = "with AUTH" if self._username else "without AUTH"
        return f"smtp: {self.host}:{self.port}, {self.security}, {auth}"

    def send(self, email: Email, message_id: str) -> str:
        """Hand the message over; return the server's final answer (e.g. `250 2.0.0 queued as ...`)."""
        message = message_bytes(email, message_id, self.sender)
        sender, recipient = envelope_address(self.sender), envelope_address(email.to)
        try:
            with self._connect() as smtp:
                self._secure_and_log_in(smtp)
                return _transfer(smtp, sender, recipient, message)
        except smtplib.SMTPServerDisconnected:
            raise DeliveryFailed(f"{self._where()} closed the connection before accepting the message") from None
        except smtplib.SMTPResponseException as error:
            raise DeliveryFailed(f"{self._where()} answered {error.smtp_code} {_text(error.smtp_error)}") from None
        except smtplib.SMTPException as error:
            raise DeliveryFailed(f"{self._where()}: {error}") from None
        except ssl.SSLError as error:
            raise DeliveryFailed(f"TLS with {self._where()} failed: {error.reason or error}") from None
        except OSError as error:
            raise DeliveryFailed(f"could not talk to {self._where()}: {error.strerror or error}") from None

    def _where(self) -> str:
        return f"SMTP server {self.host}:{self.port}"

    def _context(self) -> ssl.SSLContext:
        return self._ssl_context or ssl.create_default_context()

    def _connect(self) -> smtplib.SMTP:
        if self.security == "tls":
            return smtplib.SMTP_SSL(self.host, self.port, timeout=self.timeout, context=self._context())
        return smtplib.SMTP(self.host, self.port, timeout=self.timeout)

    def _secure_and_log_in(self, smtp: smtplib.SMTP) -> None:
        smtp.ehlo()
        if self.security == "starttls":
            if not smtp.has_extn("starttls"):
                raise DeliveryFailed(f"{self._where()} does not offer STARTTLS; refusing to send in clear text")
            smtp.starttls(context=self._context())
            smtp.ehlo()
        if self._username:
            if not smtp.has_extn("auth"):
                raise DeliveryFailed(f"{self._where()} does not offer AUTH on this connection")
            smtp.login(self._username, self._password or "")


def _transfer(smtp: smtplib.SMTP, sender: str, recipient: str, data: bytes) -> str:
    """MAIL, RCPT, DATA one by one, so the answer to each is checked and the final one reported."""
    options = ["BODY=8BITMIME"] if smtp.has_extn("8bitmime") else []
    _expect(smtp.mail(sender, options), "MAIL FROM")
    _expect(smtp.rcpt(recipient), "RCPT TO")
    code, reply = smtp.data(data)
    _expect((code, reply), "DATA")
    return f"{code} {_text(reply)}"


def _expect(answer: tuple[int, bytes], step: str) -> None:
    code, reply = answer
    if not 200 <= code < 300:
        raise smtplib.SMTPResponseException(code, f"{_text(reply)} (after {step})".encode())


def _text(reply: bytes | str) -> str:
    text = reply.decode("utf-8", "replace") if isinstance(reply, bytes) else reply
    return " ".join(text.split())[:300]
