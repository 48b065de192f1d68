"""/healthz for a load balancer: 200 when the database and the cache answer, 503 otherwise,
and never cached."""

import json
import os
import subprocess
import sys

from tests.deployment.whole_site import PROJECT, free_port

PROBE = (
    "from django.test import Client; r = Client().get('/healthz'); "
    "print(r.status_code); print(r['Cache-Control']); print(r.content.decode())"
)


def probe(tmp_path, **env_changes):
    """/healthz asked in a fresh process whose services are set by the environment."""
    env = {key: value for key, value in os.environ.items() if key not in {"REDIS_URL"}}
    env.update(
        CIRSITE_VAR_DIR=str(tmp_path),
        ALLOWED_HOSTS="testserver",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
    )
    env.update(env_changes)
    done = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", PROBE],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    status, cache_control, body = done.stdout.strip().split("\n", 2)
    return int(status), cache_control, json.loads(body)


def test_healthy_when_database_and_cache_answer(client, db):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]
    # Asked again, it is asked again: never a stored answer.
    assert client.get("/healthz").status_code == 200
    assert "X-Page-Cache" not in client.get("/healthz")


def test_unavailable_when_the_database_does_not_answer(tmp_path):
    status, cache_control, body = probe(
        tmp_path, DATABASE_URL="sqlite:////nonexistent-folder/for-health/db.sqlite3"
    )

    assert status == 503
    assert body["database"].startswith("unavailable")
    assert body["cache"] == "ok"
    assert "no-store" in cache_control


def test_unavailable_when_the_cache_does_not_answer(tmp_path):
    # A Redis address on loopback where nothing listens.
    status, _, body = probe(tmp_path, REDIS_URL=f"redis://127.0.0.1:{free_port()}/3")

    assert status == 503
    assert body["database"] == "ok"
    assert body["cache"].startswith("unavailable")
