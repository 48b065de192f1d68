"""The whole site as `make run` runs it (web, ingest worker, scheduler under the supervisor),
against its own SQLite database and media in a temporary folder, on a free loopback port."""

import contextlib
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from tests.running_site import (  # noqa: F401 - shared with the deployment tests
    PROJECT,
    copy_site,
    free_port,
    manage,
    prepare_site,
    site_environment,
)


def wait_until_serving(url, process, log_path, seconds=90):
    deadline = time.monotonic() + seconds
    while True:
        try:
            urllib.request.urlopen(url + "/robots.txt", timeout=5).close()
            return
        except (OSError, urllib.error.URLError):
            if process.poll() is not None or time.monotonic() > deadline:
                stop(process)
                raise RuntimeError("the site did not start:\n" + log_path.read_text()) from None
            time.sleep(0.3)


def stop(process, sig=signal.SIGINT, seconds=30):
    """Stops the supervisor as Ctrl-C would and returns its exit status."""
    if process.poll() is None:
        process.send_signal(sig)
    try:
        return process.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        raise


@contextlib.contextmanager
def whole_site(var_dir, *, prepared=None, workers=2, scheduler_interval=2, **extra_env):
    """Yields (url, env, process); the supervisor runs in its own process group, so that the
    test can check that stopping it leaves nothing behind. ``prepared`` is a folder made by
    ``prepare_site`` to start from (a copy is used), instead of migrating afresh."""
    port = free_port()
    if prepared is not None:
        copy_site(prepared, var_dir)
    env = site_environment(var_dir, port, **extra_env)
    if prepared is None:
        prepare_site(var_dir, demo=False)
    log_path = var_dir / "supervisor.log"
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "cirsite.site.supervisor",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--workers",
                str(workers),
                "--scheduler-interval",
                str(scheduler_interval),
            ],
            cwd=PROJECT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        url = f"http://127.0.0.1:{port}"
        try:
            wait_until_serving(url, process, log_path)
            yield url, env, process
        finally:
            stop(process)


def group_processes(pgid):
    """Process ids still alive in a process group (read from /proc)."""
    alive = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError):
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            state, pgrp = fields[0], int(fields[2])
            if pgrp == pgid and state != "Z":
                alive.append(int(entry.name))
    return alive
