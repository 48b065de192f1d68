"""The site's processes as `make run` starts them, for tests: each site gets its own SQLite
database, media and static files in a temporary folder and serves on a free loopback port.

Building a demo site (migrate, load the demo, collect static files) is the slowest step of
the suite, so it is done once per session (``prepare_site``, the ``demo_site_dir`` fixture)
and every served site starts from a copy of that folder."""

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from cirsite.site.supervisor import web_command

PROJECT = Path(__file__).resolve().parents[1]
EDITOR_PASSWORD = "demo-editor-password-for-tests"
SECRET_KEY = "whole-site-test-key-0123456789-0123456789-0123456789"


@dataclass
class RunningSite:
    url: str
    var_dir: Path
    editor_username: str = "editor"
    editor_password: str = EDITOR_PASSWORD


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def site_environment(var_dir, port, **extra):
    """The environment of a production-like process of the site in ``var_dir``: the real
    settings module (not the tests' one), DEBUG off, no database or cache but its own."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "SECRET_KEY"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="cirsite.settings",
        CIRSITE_VAR_DIR=str(var_dir),
        MEDIA_ROOT=str(var_dir / "media"),
        STATIC_ROOT=str(var_dir / "static"),
        DEBUG="0",
        BASE_URL=f"http://127.0.0.1:{port}",
        ALLOWED_HOSTS="127.0.0.1",
        INGEST_TASK_BACKEND="database",
        SECRET_KEY=SECRET_KEY,
        CIRSITE_EDITOR_PASSWORD=EDITOR_PASSWORD,
    )
    env.update(extra)
    return env


def manage(env, *command, timeout=300, check=True):
    """Runs ``manage.py`` in a process of its own; a failure shows what the command said."""
    result = subprocess.run(
        [sys.executable, "manage.py", *command],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if check and result.returncode != 0:
        raise AssertionError(
            f"manage.py {' '.join(command)} failed ({result.returncode}):\n{result.stderr}"
        )
    return result


def prepare_site(var_dir, demo=True):
    """Migrates a database in ``var_dir``, loads the demo content and its local editor and
    collects static files, as `make run` does before it serves."""
    env = site_environment(var_dir, free_port())
    manage(env, "migrate", "--noinput", "-v", "0")
    if demo:
        manage(env, "load_demo", "-v", "0")
        manage(env, "demo_editor", "-v", "0")
    manage(env, "collectstatic", "--noinput", "-v", "0")
    return var_dir


def copy_site(prepared, var_dir):
    shutil.copytree(prepared, var_dir, dirs_exist_ok=True)
    return var_dir


def start_gunicorn(env, port, log, workers=2):
    """The web server exactly as `make run` starts it (the supervisor's own command: gevent
    workers, no trusted forwarding headers, ...), with ``workers`` workers on loopback."""
    return subprocess.Popen(
        web_command("127.0.0.1", port, workers),
        cwd=PROJECT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def wait_for_gunicorn(url, server, log_path, seconds=60):
    deadline = time.monotonic() + seconds
    while True:
        try:
            urllib.request.urlopen(url + "/robots.txt", timeout=5).close()
            return
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                server.kill()
                raise RuntimeError(f"gunicorn did not start: {log_path.read_text()}") from None
            time.sleep(0.2)


def start_site(var_dir, prepared=None):
    """Serves a copy of ``prepared`` (or a demo site built here) with gunicorn."""
    if prepared is None:
        prepare_site(var_dir)
    else:
        copy_site(prepared, var_dir)
    port = free_port()
    env = site_environment(var_dir, port)
    log_path = var_dir / "gunicorn.log"
    log = open(log_path, "wb")  # noqa: SIM115 - closed with the server
    server = start_gunicorn(env, port, log)
    url = f"http://127.0.0.1:{port}"
    wait_for_gunicorn(url, server, log_path)
    return RunningSite(url=url, var_dir=var_dir), server, log


def stop_site(server, log):
    server.terminate()
    try:
        server.wait(timeout=15)
    except subprocess.TimeoutExpired:
        server.kill()
    log.close()
