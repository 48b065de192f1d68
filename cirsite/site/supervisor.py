"""Runs the whole site from one command: the web server and the background work beside it.

``python -m cirsite.site.supervisor`` (what ``make run`` does) starts three processes:

- **web**: gunicorn with gevent workers on ``cirsite.wsgi``. A connection that trickles its
  headers costs one idle greenlet, not a worker or a thread, so slow clients cannot stop
  readers; request bodies are still read lazily by Django, so a size limit refuses them before
  they reach the disk (see the README's Deploying section for the measured alternatives).
- **worker**: queues the periodic ingest run (``ingest --enqueue``, which adds nothing when a
  run is already queued), then runs the ingest task worker for the configured backend.
- **scheduler**: Wagtail's scheduled publishing every few seconds (``run_scheduler``).

One Ctrl-C (SIGINT) or a SIGTERM stops all three; if one of them dies, the others are stopped
too and the exit status says so, so that a process supervisor restarts the whole set.

Deliberately free of Django imports: the supervisor only starts and watches processes, and
should cost a few megabytes, not a copy of the site.
"""

import argparse
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
STOP_GRACE_SECONDS = 15


def web_command(host, port, workers, connections=200):
    return [
        str(BIN / "gunicorn"),
        "cirsite.wsgi",
        "--worker-class",
        # gunicorn's gevent worker, closing each client's database connections when it goes.
        "cirsite.site.gevent_worker.Worker",
        "--bind",
        f"{host}:{port}",
        "--workers",
        str(workers),
        # Concurrent connections per worker, mostly idle readers and slow clients.
        "--worker-connections",
        str(connections),
        "--access-logfile",
        "-",
        "--graceful-timeout",
        "5",
        # No runtime-control socket: it lives at one path per user (~/.gunicorn), so two sites
        # on one machine would take it from each other.
        "--no-control-socket",
        # A worker that leaks memory is replaced after this many requests; rarely, because a
        # new worker starts with an empty local page cache and pays its start-up again (5,000
        # recycled a worker every few seconds under load; 200,000 once a minute under bench
        # load, which doubled the CPU per request of that minute).
        "--max-requests",
        "1000000",
        "--max-requests-jitter",
        "100000",
        # Trust no peer's forwarding headers. gunicorn trusts 127.0.0.1 by default: every
        # client of `make run`, and a local proxy that passes a client's headers through. From
        # a trusted peer a SCRIPT_NAME header is cut off the path (GET /news/ with
        # "SCRIPT_NAME: /news" is served the home page, which a CDN would then store as /news/),
        # and X-Forwarded-Proto sets the scheme. The site needs neither: the prefix is
        # FORCE_SCRIPT_NAME, the scheme Django's SECURE_PROXY_SSL_HEADER (with an https
        # BASE_URL), the client's address TRUSTED_PROXY_COUNT.
        "--forwarded-allow-ips",
        "",
        "--forwarder-headers",
        "",
    ]


def manage(*arguments):
    return [sys.executable, str(PROJECT / "manage.py"), *arguments]


def worker_command():
    backend = os.environ.get("INGEST_TASK_BACKEND", "database").strip() or "database"
    if backend == "immediate":
        return None
    if backend == "rq":
        # --with-scheduler: each ingest run schedules the next for a later time.
        # RQ's own job class cannot run a django-tasks task; django-tasks-rq's can.
        return manage(
            "rqworker", "default", "--with-scheduler", "--job-class", "django_tasks_rq.backend.Job"
        )
    return manage("db_worker", "--backend", "ingest", "--interval", "2")


def scheduler_command(interval):
    return manage("run_scheduler", "--interval", str(interval))


def parse_arguments(argv):
    parser = argparse.ArgumentParser(
        prog="python -m cirsite.site.supervisor",
        description="Serve the site and run its background work until Ctrl-C.",
    )
    parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    parser.add_argument("--workers", type=int, default=int(os.environ.get("WORKERS", "2")))
    parser.add_argument(
        "--scheduler-interval",
        type=float,
        default=float(os.environ.get("SCHEDULER_INTERVAL", "10")),
        help="Seconds between scheduled-publishing passes (default %(default)s).",
    )
    parser.add_argument(
        "--no-ingest", action="store_true", help="Run no ingest worker (web and scheduler only)."
    )
    return parser.parse_args(argv)


class Supervisor:
    def __init__(self, commands):
        self.commands = commands
        self.processes = {}
        self.stopping = False

    def start(self):
        for name, command in self.commands.items():
            print(f"[supervisor] starting {name}: {' '.join(command[1:])}", flush=True)
            self.processes[name] = subprocess.Popen(command, cwd=PROJECT)

    def stop(self, *_):
        if self.stopping:
            return
        self.stopping = True
        for process in self.processes.values():
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)

    def wait(self):
        """Until every process has ended; the first to end uninvited stops the others."""
        first_failure = 0
        deadline = None
        while any(process.poll() is None for process in self.processes.values()):
            if not self.stopping:
                for name, process in self.processes.items():
                    if process.poll() is not None:
                        print(
                            f"[supervisor] {name} exited with status {process.returncode}; "
                            "stopping the rest.",
                            file=sys.stderr,
                            flush=True,
                        )
                        first_failure = process.returncode or 1
                        self.stop()
                        break
            if self.stopping:
                deadline = deadline or time.monotonic() + STOP_GRACE_SECONDS
                if time.monotonic() > deadline:
                    for process in self.processes.values():
                        if process.poll() is None:
                            process.kill()
            time.sleep(0.2)
        return first_failure


def main(argv=None):
    options = parse_arguments(sys.argv[1:] if argv is None else argv)
    commands = {"web": web_command(options.host, options.port, options.workers)}
    if not options.no_ingest and worker_command() is not None:
        enqueue = subprocess.run(manage("ingest", "--enqueue"), cwd=PROJECT)
        if enqueue.returncode != 0:
            print("[supervisor] could not queue the ingest cycle.", file=sys.stderr)
            return enqueue.returncode
        commands["worker"] = worker_command()
    commands["scheduler"] = scheduler_command(options.scheduler_interval)

    supervisor = Supervisor(commands)
    # Ctrl-C reaches every process in the terminal's group; SIGTERM reaches only us.
    signal.signal(signal.SIGINT, supervisor.stop)
    signal.signal(signal.SIGTERM, supervisor.stop)
    supervisor.start()
    status = supervisor.wait()
    print("[supervisor] stopped.", flush=True)
    return status


if __name__ == "__main__":
    sys.exit(main())
