"""`make run` runs the whole site: the web server, the ingest worker and scheduled publishing,
all stopped by one Ctrl-C. Started here as `make run` starts it (the supervisor), on a free
loopback port against a temporary SQLite database."""

import contextlib
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from tests.deployment.whole_site import PROJECT, group_processes, whole_site

SCHEDULE_STORY = """
from datetime import timedelta
from django.utils import timezone
from articles.models import ArticleIndexPage, ArticlePage
index = ArticleIndexPage.objects.get(slug="news")
story = ArticlePage(
    title="Insurer confirms scheduled breach report",
    slug="scheduled-breach-report",
    standfirst="A story an editor scheduled to go live shortly.",
    body=[{"type": "paragraph", "value": "<p>Scheduled for later.</p>"}],
    live=False,
    go_live_at=timezone.now() + timedelta(seconds=20),
)
index.add_child(instance=story)
story.save_revision().publish()
story.refresh_from_db()
assert not story.live, "a story scheduled ahead must not be live yet"
print(story.url)
"""


def status_of(url):
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def process_names(pids):
    names = []
    for pid in pids:
        with contextlib.suppress(OSError):
            command = Path(f"/proc/{pid}/cmdline").read_bytes()
            names.append(command.replace(b"\0", b" ").decode())
    return names


def test_story_scheduled_20_seconds_ahead_goes_live_with_only_make_run_started(
    tmp_path, demo_site_dir
):
    with whole_site(tmp_path, prepared=demo_site_dir) as (url, env, process):
        running = " | ".join(process_names(group_processes(process.pid)))
        assert "gunicorn" in running
        assert "db_worker --backend ingest" in running
        assert "run_scheduler" in running

        created = subprocess.run(
            [sys.executable, "manage.py", "shell", "-c", SCHEDULE_STORY],
            cwd=PROJECT,
            env=env,
            check=True,
            capture_output=True,
            text=True,
            timeout=120,
        )
        scheduled_at = time.monotonic()
        story_url = url + created.stdout.strip().splitlines()[-1]
        assert status_of(story_url) == 404

        live_after = None
        while time.monotonic() - scheduled_at < 90:
            if status_of(story_url) == 200:
                live_after = time.monotonic() - scheduled_at
                break
            time.sleep(1)
        assert live_after is not None, "the scheduled story was not live within 90 s"
        print(f"scheduled 20 s ahead, live after {live_after:.1f} s")

    # Leaving the block sent SIGINT, as Ctrl-C does; nothing of the site may be left running.
    assert process.returncode == 0
    deadline = time.monotonic() + 20
    while group_processes(process.pid) and time.monotonic() < deadline:
        time.sleep(0.5)
    assert group_processes(process.pid) == []


def test_one_ctrl_c_to_the_terminal_group_stops_everything(tmp_path, demo_site_dir):
    """A terminal's Ctrl-C sends SIGINT to every process in the foreground group at once."""
    with whole_site(tmp_path, prepared=demo_site_dir) as (url, _env, process):
        assert status_of(url + "/robots.txt") == 200
        os.killpg(process.pid, signal.SIGINT)
        assert process.wait(timeout=30) == 0
    deadline = time.monotonic() + 20
    while group_processes(process.pid) and time.monotonic() < deadline:
        time.sleep(0.5)
    assert group_processes(process.pid) == []


def test_a_dead_background_process_stops_the_site_so_a_supervisor_restarts_it(
    tmp_path, demo_site_dir
):
    with whole_site(tmp_path, prepared=demo_site_dir) as (_url, _env, process):
        scheduler = [
            pid
            for pid in group_processes(process.pid)
            if "run_scheduler" in " ".join(process_names([pid]))
        ]
        assert len(scheduler) == 1
        os.kill(scheduler[0], signal.SIGKILL)
        assert process.wait(timeout=40) != 0
