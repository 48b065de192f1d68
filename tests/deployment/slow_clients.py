"""Slow clients against a real server on loopback: connections that trickle their request
headers, and a reader who keeps asking for a page meanwhile. Shared by the test and
``bench/slow_clients.py``."""

import contextlib
import http.client
import socket
import threading
import time
from dataclasses import dataclass, field


def trickle(host, port, seconds, stop, line_every=1.0):
    """Sends a request line, then one header line every ``line_every`` seconds, never the
    blank line that ends the headers, for ``seconds``."""
    with contextlib.suppress(OSError), socket.create_connection((host, port), timeout=5) as sock:
        sock.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        deadline = time.monotonic() + seconds
        number = 0
        while time.monotonic() < deadline and not stop.is_set():
            number += 1
            sock.sendall(f"X-Trickle-{number}: a\r\n".encode())
            stop.wait(line_every)


@dataclass
class ReaderFigures:
    sent: int = 0
    answered: int = 0
    latencies: list = field(default_factory=list)
    failures: list = field(default_factory=list)

    @property
    def worst(self):
        return max(self.latencies, default=float("nan"))


def read_repeatedly(host, port, path, seconds, answer_within, pause=0.25):
    """A reader requesting ``path`` one request after another; a request counts as answered
    when a complete response arrives within ``answer_within`` seconds."""
    figures = ReaderFigures()
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        figures.sent += 1
        started = time.monotonic()
        connection = http.client.HTTPConnection(host, port, timeout=answer_within)
        try:
            connection.request("GET", path)
            response = connection.getresponse()
            response.read()
            elapsed = time.monotonic() - started
            figures.latencies.append(elapsed)
            if response.status < 500 and elapsed <= answer_within:
                figures.answered += 1
            else:
                figures.failures.append(f"{response.status} after {elapsed:.2f} s")
        except OSError as error:
            elapsed = time.monotonic() - started
            figures.failures.append(f"{type(error).__name__} after {elapsed:.2f} s")
        finally:
            connection.close()
        time.sleep(pause)
    return figures


def slow_client_run(host, port, path="/", slow_clients=30, seconds=16, answer_within=3.0):
    """Opens ``slow_clients`` trickling connections for ``seconds`` and reads ``path`` while
    they are open; returns the reader's figures."""
    stop = threading.Event()
    threads = [
        threading.Thread(target=trickle, args=(host, port, seconds, stop), daemon=True)
        for _ in range(slow_clients)
    ]
    for thread in threads:
        thread.start()
    time.sleep(1.0)  # every slow client is connected and holding its connection
    try:
        return read_repeatedly(host, port, path, seconds - 2, answer_within)
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=10)
