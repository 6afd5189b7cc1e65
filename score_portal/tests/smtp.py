"""A real SMTP server on a loopback port, for tests where the mail server being down, then back,
is the point. aiosmtpd runs it in a thread of its own; what it receives is kept in `received`."""

import email
import logging
import socket
import threading
from email.message import Message

from aiosmtpd.controller import Controller

# aiosmtpd narrates every SMTP command at INFO.
logging.getLogger("mail.log").setLevel(logging.WARNING)


def free_port() -> int:
    # Bind to port 0 and let go: nothing listens there until the server is started on it.
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class _Collect:
    def __init__(self, received: list, lock: threading.Lock, refused: set):
        self.received = received
        self.lock = lock
        self.refused = refused

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refused:
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.received.append(email.message_from_bytes(envelope.content))
        return "250 Message accepted for delivery"


class MailServer:
    """Down until `start()`; `stop()` takes it down again. The port stays the same throughout."""

    host = "127.0.0.1"

    def __init__(self, port: int | None = None):
        self.port = port or free_port()
        self._received: list[Message] = []
        self._lock = threading.Lock()
        self._controller: Controller | None = None
        self.refused: set[str] = set()  # addresses it answers "550 no such user" to

    @property
    def received(self) -> list[Message]:
        with self._lock:
            return list(self._received)

    @property
    def running(self) -> bool:
        return self._controller is not None

    def start(self) -> None:
        if self._controller is None:
            self._controller = Controller(
                _Collect(self._received, self._lock, self.refused), hostname=self.host, port=self.port
            )
            self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None
