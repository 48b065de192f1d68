"""Serving a 100 MB episode file through the real deployment (gunicorn, DEBUG off, no web
server in front): whole-file and ranged fetches, with the serving worker's memory.

    .venv/bin/python bench/audio.py [--size-mb 100]

Prints the worker's resident memory before serving and its peak (VmHWM) afterwards, for the
default gunicorn (sendfile) and for --no-sendfile (the file is read and written in blocks by
Python). Memory that stays flat means the file is streamed, not read into memory. Traffic goes
to 127.0.0.1 only.
"""

import argparse
import http.client
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
GUNICORN = PROJECT / ".venv" / "bin" / "gunicorn"
MEDIA_PATH = "bench/hundred-megabytes.mp3"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def proc_status(pid, field):
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024  # kB -> MB
    raise RuntimeError(f"{field} not found for {pid}")


def worker_pid(master):
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
        if children:
            return int(children[0])
        time.sleep(0.1)
    raise RuntimeError("gunicorn started no worker")


def wait_until_listening(port, process):
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("gunicorn exited: " + process.stderr.read().decode())
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not start listening")


def fetch(port, headers=None, method="GET"):
    """(status, bytes received, seconds, response headers), reading in 1 MB blocks."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    started = time.perf_counter()
    connection.request(method, "/media/" + MEDIA_PATH, headers=headers or {})
    response = connection.getresponse()
    received = 0
    while block := response.read(1024 * 1024):
        received += len(block)
    elapsed = time.perf_counter() - started
    connection.close()
    return response.status, received, elapsed, dict(response.getheaders())


def write_file(path, size):
    path.parent.mkdir(parents=True, exist_ok=True)
    block = os.urandom(1024 * 1024)
    with open(path, "wb") as handle:
        for _ in range(size // len(block)):
            handle.write(block)
        handle.write(block[: size % len(block)])


def run(label, extra_args, env, size):
    port = free_port()
    process = subprocess.Popen(
        [str(GUNICORN), "cirsite.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1"]
        + extra_args,
        cwd=PROJECT,
        env={**env, "BASE_URL": f"http://127.0.0.1:{port}"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        wait_until_listening(port, process)
        worker = worker_pid(process.pid)
        fetch(port, method="HEAD")  # the first request imports the URL configuration
        before = proc_status(worker, "VmRSS")
        rows = []
        for name, headers in [
            ("whole file", {}),
            ("bytes=0-1", {"Range": "bytes=0-1"}),
            ("bytes=1000-", {"Range": "bytes=1000-"}),
            ("bytes=-500", {"Range": "bytes=-500"}),
            ("bytes=50000000-59999999", {"Range": "bytes=50000000-59999999"}),
            (f"bytes={size}- (416)", {"Range": f"bytes={size}-"}),
        ]:
            status, received, elapsed, response_headers = fetch(port, headers)
            rows.append((name, status, received, elapsed, response_headers.get("Content-Range")))
        peak = proc_status(worker, "VmHWM")
        after = proc_status(worker, "VmRSS")
    finally:
        process.terminate()
        process.wait(timeout=30)

    print(f"\n{label}")
    print(f"  worker RSS before serving: {before:7.1f} MB")
    print(f"  worker RSS after serving:  {after:7.1f} MB")
    print(f"  worker peak RSS (VmHWM):   {peak:7.1f} MB  (file is {size / 2**20:.0f} MiB)")
    print(f"  {'request':26} {'status':>6} {'bytes':>11} {'seconds':>8} {'MB/s':>8}  Content-Range")
    for name, status, received, elapsed, content_range in rows:
        rate = received / elapsed / 1e6 if elapsed and received > 1e6 else 0
        rate_text = f"{rate:8.0f}" if rate else f"{'':8}"
        print(
            f"  {name:26} {status:>6} {received:>11} {elapsed:8.3f} {rate_text}  "
            f"{content_range or ''}"
        )
    return peak - before


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mb", type=int, default=100)
    args = parser.parse_args()
    size = args.size_mb * 1024 * 1024
    with tempfile.TemporaryDirectory(prefix="cirsite-bench-audio-") as temp:
        media_root = Path(temp) / "media"
        write_file(media_root / MEDIA_PATH, size)
        env = {
            **os.environ,
            "SECRET_KEY": "bench-only-secret-key-0123456789abcdefghijklmnopqrstuvwxyz",
            "DEBUG": "0",
            "MEDIA_ROOT": str(media_root),
            "CIRSITE_VAR_DIR": temp,
            "ALLOWED_HOSTS": "127.0.0.1",
        }
        print(
            f"Serving a {size / 2**20:.0f} MiB file from {media_root} with gunicorn (1 sync worker)"
        )
        growth = [
            run("gunicorn default (sendfile for whole files)", [], env, size),
            run(
                "gunicorn --no-sendfile (Python reads and writes 64 KB blocks)",
                ["--no-sendfile"],
                env,
                size,
            ),
        ]
        print(f"\nLargest growth of the worker's peak memory while serving: {max(growth):.1f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
