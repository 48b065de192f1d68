"""Slow clients cannot stop readers: while 30 connections trickle their request headers for
16 s (one header line a second, never finishing), another reader's requests are all answered
within 3 s. Against the real server as `make run` starts it, on loopback."""

import urllib.request
from urllib.parse import urlsplit

from tests.deployment.slow_clients import slow_client_run
from tests.deployment.whole_site import whole_site


def test_thirty_trickling_connections_do_not_stop_other_readers(tmp_path, demo_site_dir):
    with whole_site(tmp_path, prepared=demo_site_dir) as (url, _env, _process):
        # The reader's page as readers usually find it: already rendered once.
        urllib.request.urlopen(url + "/", timeout=30).read()
        address = urlsplit(url)

        figures = slow_client_run(
            address.hostname, address.port, "/", slow_clients=30, seconds=16, answer_within=3.0
        )

    print(
        f"reader: {figures.answered}/{figures.sent} answered within 3 s, "
        f"worst {figures.worst:.2f} s, failures: {figures.failures}"
    )
    assert figures.sent >= 5
    assert figures.answered == figures.sent, figures.failures
