"""The demo site as `make run` serves it: its own SQLite database and media in a temporary
folder, demo content loaded, static files collected, gunicorn on a free loopback port."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
GUNICORN = Path(sys.executable).with_name("gunicorn")
EDITOR_PASSWORD = "demo-editor-password-for-tests"


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


def site_environment(var_dir, port):
    env = {
        key: value for key, value in os.environ.items() if key not in {"DATABASE_URL", "REDIS_URL"}
    }
    env.update(
        CIRSITE_VAR_DIR=str(var_dir),
        MEDIA_ROOT=str(var_dir / "media"),
        STATIC_ROOT=str(var_dir / "static"),
        DJANGO_SETTINGS_MODULE="cirsite.settings",
        CIRSITE_EDITOR_PASSWORD=EDITOR_PASSWORD,
        DEBUG="0",
        BASE_URL=f"http://127.0.0.1:{port}",
        ALLOWED_HOSTS="127.0.0.1",
        INGEST_TASK_BACKEND="database",
    )
    return env


def start_site(var_dir):
    port = free_port()
    env = site_environment(var_dir, port)
    for command in (
        ["migrate", "--noinput"],
        ["load_demo"],
        ["collectstatic", "--noinput"],
        ["demo_editor"],
    ):
        subprocess.run(
            [sys.executable, "manage.py", *command, "-v", "0"],
            cwd=PROJECT,
            env=env,
            check=True,
            capture_output=True,
            timeout=300,
        )
    log = open(var_dir / "gunicorn.log", "wb")  # noqa: SIM115 - closed with the server
    server = subprocess.Popen(
        [str(GUNICORN), "cirsite.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2"],
        cwd=PROJECT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(url + "/robots.txt", timeout=5).close()
            break
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                server.kill()
                raise RuntimeError(
                    "gunicorn did not start: " + (var_dir / "gunicorn.log").read_text()
                ) from None
            time.sleep(0.2)
    return RunningSite(url=url, var_dir=var_dir), server, log


def stop_site(server, log):
    server.terminate()
    try:
        server.wait(timeout=15)
    except subprocess.TimeoutExpired:
        server.kill()
    log.close()
