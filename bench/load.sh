#!/usr/bin/env bash
# Load figures for the site as `make run` serves it, against a bare WSGI app under the same
# server, then a simulated busy day of the page cache. Loopback only; about 15 minutes.
#
#   bench/load.sh                          # SQLite and local-memory cache, as `make run`
#   BENCH_REDIS_URL=redis://127.0.0.1:6379/4 bench/load.sh   # adds a run with REDIS_URL
#   BENCH_SECONDS=5 BENCH_ROUNDS=3 bench/load.sh   # seconds per wrk run, rounds per page
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v wrk >/dev/null; then
    if [ "$(id -u)" = 0 ]; then
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null \
            || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
    else
        echo "bench/load.sh needs wrk: run 'sudo apt-get install -y wrk'." >&2
        exit 1
    fi
fi
exec .venv/bin/python bench/load.py "$@"
