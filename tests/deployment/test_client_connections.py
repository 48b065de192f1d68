"""Each client's database connection is closed when the client goes. Django keeps one per
greenlet in a gevent worker; left to the garbage collector, connections of clients long gone
stayed open, each with its own SQLite page cache (or a PostgreSQL backend), and the workers'
memory grew with every client. Against the real server, as the supervisor starts it."""

import contextlib
import http.client
import time
from pathlib import Path

from tests.deployment.whole_site import group_processes, whole_site


def web_workers(pgid):
    """gunicorn's workers among the supervisor's processes: gunicorn processes whose parent is
    a gunicorn process (the master)."""
    commands, parents = {}, {}
    for pid in group_processes(pgid):
        with contextlib.suppress(OSError):
            commands[pid] = Path(f"/proc/{pid}/cmdline").read_bytes()
            parents[pid] = int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
    gunicorn = {pid for pid, command in commands.items() if b"gunicorn" in command}
    return [pid for pid in gunicorn if parents[pid] in gunicorn]


def open_database_files(pid, database):
    opened = 0
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        with contextlib.suppress(OSError):
            opened += Path(fd.readlink()) == database
    return opened


def test_clients_that_come_and_go_leave_no_database_connection_open(tmp_path, demo_site_dir):
    # Without the page cache every tracker request reads the database (which incidents).
    with whole_site(tmp_path, prepared=demo_site_dir, workers=1, CACHE_PAGE_SECONDS="0") as (
        url,
        env,
        process,
    ):
        database = Path(env["CIRSITE_VAR_DIR"]) / "cirsite.sqlite3"
        (worker,) = web_workers(process.pid)
        host, port = url.removeprefix("http://").split(":")
        clients = [http.client.HTTPConnection(host, int(port), timeout=30) for _ in range(30)]
        for client in clients:
            client.request("GET", "/incidents/")
            assert client.getresponse().read()
        # Thirty readers at once, each with its own connection to the database.
        assert open_database_files(worker, database) >= 10
        for client in clients:
            client.close()

        # The worker notices each client has gone when it next reads from its socket; the
        # wait lets it get there (it is not a measure of speed).
        deadline = time.monotonic() + 10
        while open_database_files(worker, database) > 1 and time.monotonic() < deadline:
            time.sleep(0.2)
        assert open_database_files(worker, database) <= 1
