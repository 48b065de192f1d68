"""Load figures for the site as `make run` serves it, against a bare WSGI app (35 KB page)
under the same server command; run through bench/load.sh.

The server command is the one `make -n run PORT=...` prints, so a change to how `make run`
serves the site is measured as it is. The demo site is set up in a temporary folder (SQLite,
local-memory cache, no REDIS_URL unless BENCH_REDIS_URL is set for the extra run). For each
page and concurrency, wrk runs for BENCH_SECONDS on loopback; server CPU is the server
processes' user+system time (from /proc) over the run divided by the requests served.
"""

import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
SECONDS = int(os.environ.get("BENCH_SECONDS", "5"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
TICKS = os.sysconf("SC_CLK_TCK")
PAGES = {
    "home": "/",
    "story": "/news/royal-mail-international-exports-halted-by-ransomware/",
    "tracker": "/incidents/",
    "stories RSS": "/feeds/stories/",
    "podcast RSS": "/podcasts/feed/",
    "story + fresh utm": "/news/royal-mail-international-exports-halted-by-ransomware/",
}
FRESH_UTM_SCRIPT = """
counter = 0
request = function()
    counter = counter + 1
    return wrk.format(nil, "%s?utm_source=share&utm_campaign=c" .. counter)
end
"""


def free_port():
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_command(port):
    """The line `make run` would run to serve the site, for this port. When it runs the
    supervisor, the ingest worker is left out: it would fetch the demo's feed sources, which
    are not on loopback."""
    printed = subprocess.run(
        ["make", "-n", "run", f"PORT={port}"],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.replace("\\\n", " ")
    for line in printed.splitlines():
        if "exec " in line and "cirsite.wsgi" in line:
            return line.strip()
        if "exec " in line and "cirsite.site.supervisor" in line:
            return line.strip() + " --no-ingest"
    raise SystemExit("bench: no server command found in `make -n run` output:\n" + printed)


def bare_command(port):
    """The same web server command serving the bare app instead of the site."""
    command = server_command(port)
    if "cirsite.site.supervisor" in command:
        sys.path.insert(0, str(PROJECT))
        from cirsite.site.supervisor import web_command

        web = web_command("127.0.0.1", port, int(os.environ.get("WORKERS", "2")))
        command = "exec " + shlex.join(web)
    return command.replace("cirsite.wsgi", "bench.bare_app:application")


def prepare(var_dir, env):
    secret = PROJECT / "var" / "secret_key"
    if not secret.exists():
        subprocess.run(["make", "var/secret_key"], cwd=PROJECT, check=True)
    env["SECRET_KEY"] = secret.read_text().strip()
    for command in (["migrate", "--noinput"], ["load_demo"], ["collectstatic", "--noinput"]):
        subprocess.run(
            [PYTHON, "manage.py", *command, "-v", "0"],
            cwd=PROJECT,
            env=env,
            check=True,
            capture_output=True,
        )


class Server:
    def __init__(self, command, env, name):
        self.name = name
        self.port = int(re.search(r"(?:127\.0\.0\.1:|--port )(\d+)", command).group(1))
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            ["bash", "-c", command],
            cwd=PROJECT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        deadline = time.monotonic() + 120
        while True:
            try:
                urllib.request.urlopen(self.url + "/robots.txt", timeout=5).close()
                break
            except urllib.error.HTTPError:
                break  # the bare app answers everything, even robots.txt, with its page
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit(f"bench: {name} did not start") from None
                time.sleep(0.3)

    def pids(self):
        """The web server's processes: (master, workers), found among the descendants of the
        command (the supervisor's scheduler and other helpers are not the web server)."""
        parents, commands = {}, {}
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                    commands[int(entry.name)] = (entry / "cmdline").read_bytes()
                except OSError:
                    continue
                parents[int(entry.name)] = int(fields[1])
        family, frontier = set(), {self.process.pid}
        while frontier:
            family |= frontier
            frontier = {pid for pid, parent in parents.items() if parent in frontier} - family
        web = {pid for pid in family if b"gunicorn" in commands.get(pid, b"")}
        masters = [pid for pid in web if parents.get(pid) not in web]
        workers = [pid for pid in web if parents.get(pid) in web]
        return (masters[0] if masters else self.process.pid), workers

    def cpu_seconds(self):
        """User+system time of the web server: the master, its live workers, and the workers
        it has already replaced (gunicorn's --max-requests), counted in the master's
        children's time."""
        master, children = self.pids()
        total = 0
        for pid in [master, *children]:
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            total += int(fields[11]) + int(fields[12])  # utime, stime
            if pid == master:
                total += int(fields[13]) + int(fields[14])  # cutime, cstime
        return total / TICKS

    def worker_rss_mb(self):
        sizes = []
        for pid in self.pids()[1]:
            status = Path(f"/proc/{pid}/status").read_text()
            sizes.append(int(re.search(r"VmRSS:\s+(\d+)", status).group(1)) / 1024)
        return sizes

    def stop(self):
        os.killpg(self.process.pid, 15)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, 9)


def warm(url, times=6):
    for _ in range(times):
        with urllib.request.urlopen(url, timeout=60) as response:
            response.read()


def wrk(url, connections, script=None):
    command = ["wrk", "-t1", f"-c{connections}", f"-d{SECONDS}s", "--latency", "--timeout", "10s"]
    if script:
        command += ["-s", script]
    output = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    requests = int(re.search(r"(\d+) requests in", output).group(1))
    errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", output))
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    errors += int(non_2xx.group(1)) if non_2xx else 0
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "requests": requests,
        "p50": latency_ms(re.search(r"50%\s+([\d.]+\w+)", output).group(1)),
        "p99": latency_ms(re.search(r"99%\s+([\d.]+\w+)", output).group(1)),
        "errors": errors,
    }


def latency_ms(text):
    value, unit = re.match(r"([\d.]+)(\w+)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]


def measure(server, path, connections, script=None):
    before = server.cpu_seconds()
    result = wrk(server.url + path, connections, script)
    result["cpu_ms"] = (server.cpu_seconds() - before) * 1000 / max(result["requests"], 1)
    return result


def section(site, bare, pages, connections, script=None):
    """Each page's run between two runs of the bare app, its ratios taken against their mean,
    in ROUNDS rounds over all pages; the round with the median ratio is printed, then the
    range over the rounds. The machine's speed drifts over a bench (the bare app alone has
    measured from ~3,900 to ~4,900 req/s within one section), so a ratio against one bare
    run measured that drift as much as the page."""
    runs = {name: [] for name in pages}
    before = measure(bare, "/", connections)
    bare_runs = [before]
    for _ in range(ROUNDS):
        for name, path in pages.items():
            warm(site.url + path)
            result = measure(site, path, connections, script if "fresh utm" in name else None)
            after = measure(bare, "/", connections)
            bare_runs.append(after)
            neighbours = {key: (before[key] + after[key]) / 2 for key in ("rps", "cpu_ms")}
            runs[name].append((result["rps"] / neighbours["rps"], result, neighbours))
            before = after
    mean = {key: sum(run[key] for run in bare_runs) / len(bare_runs) for key in bare_runs[0]}
    low, high = min(r["rps"] for r in bare_runs), max(r["rps"] for r in bare_runs)
    print(row(f"bare app (35 KB) ×{len(bare_runs)}", connections, mean, mean), end="")
    print(f"  {low:.0f}-{high:.0f} req/s")
    for name, page_runs in runs.items():
        page_runs.sort(key=lambda run: run[0])
        _, result, neighbours = page_runs[len(page_runs) // 2]
        spread = f"{page_runs[0][0]:.2f}-{page_runs[-1][0]:.2f}"
        print(row(name, connections, result, neighbours) + f"  {spread}")


def row(name, conc, result, bare):
    return (
        f"{name:<22} c{conc:<3} {result['rps']:>8.0f} {result['rps'] / bare['rps']:>6.2f} "
        f"{result['p50']:>7.2f} {result['p99']:>7.2f} {result['errors']:>6.0f} "
        f"{result['cpu_ms']:>8.3f} {result['cpu_ms'] / bare['cpu_ms']:>7.1f}"
    )


HEADER = (
    f"{'page':<22} {'conc':<4} {'req/s':>8} {'×bare':>6} {'p50 ms':>7} {'p99 ms':>7} "
    f"{'errors':>6} {'CPU ms':>8} {'×bare':>7}"
)


def main():
    workdir = Path(tempfile.mkdtemp(prefix="cirsite-bench-load-"))
    script = workdir / "fresh_utm.lua"
    script.write_text(FRESH_UTM_SCRIPT % PAGES["story + fresh utm"])
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env.update(
        CIRSITE_VAR_DIR=str(workdir),
        MEDIA_ROOT=str(workdir / "media"),
        STATIC_ROOT=str(workdir / "static"),
        DEBUG="0",
        ALLOWED_HOSTS="127.0.0.1",
        LOG_LEVEL="WARNING",
    )
    servers = []
    try:
        print(f"cores: {os.cpu_count()}, load average at start: {os.getloadavg()}")
        prepare(workdir, env)
        site_command = server_command(free_port())
        print(f"server command (from `make -n run`): {site_command.split('exec ', 1)[1]}")
        site = Server(site_command, env, "site")
        bare = Server(bare_command(free_port()), env, "bare app")
        servers += [site, bare]
        print(f"\n{SECONDS} s per run, wrk -t1, loopback; CPU = server processes' ms per request")
        print(
            f"×bare: against the bare app's runs just before and after the page's; the median of "
            f"{ROUNDS} rounds, then the range of ×bare req/s over the rounds"
        )
        print(HEADER)
        for connections in (8, 64):
            section(site, bare, PAGES, connections, str(script))
        rss = site.worker_rss_mb()
        print("site worker RSS after load (MB): " + ", ".join(f"{mb:.0f}" for mb in rss))

        uncached = Server(
            server_command(free_port()), {**env, "CACHE_PAGE_SECONDS": "0"}, "uncached site"
        )
        servers.append(uncached)
        print("\nUncached (CACHE_PAGE_SECONDS=0), c8:")
        print(HEADER)
        names = ("home", "story", "tracker", "stories RSS")
        section(uncached, bare, {name: PAGES[name] for name in names}, 8)

        redis_url = os.environ.get("BENCH_REDIS_URL", "").strip()
        if redis_url:
            redis_env = {**env, "REDIS_URL": redis_url, "CACHE_KEY_PREFIX": f"bench{os.getpid()}"}
            with_redis = Server(server_command(free_port()), redis_env, "site with Redis")
            servers.append(with_redis)
            print(f"\nWith REDIS_URL={redis_url}, c8:")
            print(HEADER)
            section(with_redis, bare, PAGES, 8, str(script))
        print(f"\nload average at end: {os.getloadavg()}")
    finally:
        for server in servers:
            server.stop()
        shutil.rmtree(workdir, ignore_errors=True)
    print("\nSimulated busy day of the page cache:")
    subprocess.run([PYTHON, str(PROJECT / "bench" / "cache_day.py")], cwd=PROJECT, check=True)


if __name__ == "__main__":
    main()
