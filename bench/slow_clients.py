"""Slow clients against gunicorn worker classes: 30 connections trickle their headers for
16 s while a reader keeps requesting the home page. Prints, per worker class, the reader's
answered / sent (answered = a full response within 3 s), worst latency, and the web workers'
resident memory (VmRSS, and VmHWM, the peak).

    .venv/bin/python bench/slow_clients.py [--classes asgi,gthread,sync] [--slow 30]

The site is the demo content in a temporary SQLite database; traffic goes to 127.0.0.1 only.
"""

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

from tests.deployment.slow_clients import slow_client_run  # noqa: E402
from tests.deployment.whole_site import (  # noqa: E402
    free_port,
    manage,
    site_environment,
    wait_until_serving,
)

GUNICORN = Path(sys.executable).with_name("gunicorn")


def server_command(worker_class, port, workers):
    command = [str(GUNICORN), "--bind", f"127.0.0.1:{port}", "--workers", str(workers)]
    if worker_class == "asgi":
        return [*command, "--worker-class", "asgi", "cirsite.asgi:application"]
    if worker_class == "gevent":
        return [*command, "--worker-class", "gevent", "--worker-connections", "200", "cirsite.wsgi"]
    if worker_class == "gthread":
        return [*command, "--worker-class", "gthread", "--threads", "8", "cirsite.wsgi"]
    return [*command, "--worker-class", "sync", "cirsite.wsgi"]


def memory_mb(pid, field):
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


def worker_pids(master_pid):
    children = Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text().split()
    return [int(pid) for pid in children]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--classes", default="asgi,gthread,sync")
    parser.add_argument("--slow", type=int, default=30)
    parser.add_argument("--seconds", type=float, default=16)
    parser.add_argument("--workers", type=int, default=2)
    options = parser.parse_args()

    var_dir = Path(tempfile.mkdtemp(prefix="cirsite-slow-clients-"))
    port = free_port()
    env = site_environment(var_dir, port)
    manage(env, "migrate", "--noinput", "-v", "0")
    manage(env, "load_demo", "-v", "0")
    manage(env, "collectstatic", "--noinput", "-v", "0")
    print(f"{options.slow} slow clients for {options.seconds:g} s, {options.workers} workers")
    print(f"{'class':8} {'answered/sent':>14} {'worst s':>8} {'RSS MB':>12} {'peak MB':>12}")
    for worker_class in options.classes.split(","):
        log_path = var_dir / f"{worker_class}.log"
        with open(log_path, "wb") as log:
            server = subprocess.Popen(
                server_command(worker_class, port, options.workers),
                cwd=PROJECT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
            try:
                url = f"http://127.0.0.1:{port}"
                wait_until_serving(url, server, log_path)
                figures = slow_client_run(
                    "127.0.0.1", port, "/", slow_clients=options.slow, seconds=options.seconds
                )
                pids = worker_pids(server.pid)
                rss = "/".join(f"{memory_mb(pid, 'VmRSS'):.0f}" for pid in pids)
                peak = "/".join(f"{memory_mb(pid, 'VmHWM'):.0f}" for pid in pids)
                print(
                    f"{worker_class:8} {figures.answered:>6}/{figures.sent:<7} "
                    f"{figures.worst:8.2f} {rss:>12} {peak:>12}",
                    flush=True,
                )
            finally:
                server.terminate()
                server.wait(timeout=30)
                time.sleep(1)


if __name__ == "__main__":
    main()
