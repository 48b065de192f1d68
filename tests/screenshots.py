"""`make screenshots`: full-page PNGs of each page type at phone and desktop widths, taken
from the demo site served as `make run` serves it, in Debian's Chromium.

    python -m tests.screenshots [--out screenshots] [--url http://127.0.0.1:8000]

Without --url a throwaway demo site is started (its own SQLite database and media)."""

import argparse
import shutil
import tempfile
from pathlib import Path

from tests.conftest import CHROMIUM_FLAGS
from tests.running_site import start_site, stop_site

PAGES = {
    "home": "/",
    "story": "/news/nhs-111-software-supplier-hit-by-cyberattack/",
    "episode": "/podcasts/running-on-paper-nhs-111-outage/",
    "podcast": "/podcasts/",
    "tracker": "/incidents/",
    "sector": "/sectors/healthcare/",
    "search": "/search/?q=ransomware",
    "author": "/authors/hannah-okafor/",
    "404": "/no-such-page/",
}
WIDTHS = (390, 1280)


def take(url, out):
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    if executable is None:
        raise SystemExit("Debian's chromium is not installed: run `make browser` (as root).")
    written = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        for width in WIDTHS:
            context = browser.new_context(viewport={"width": width, "height": 900})
            tab = context.new_page()
            for name, path in PAGES.items():
                tab.goto(url + path, wait_until="networkidle")
                target = out / f"{name}-{width}.png"
                tab.screenshot(path=str(target), full_page=True)
                written.append(target)
            context.close()
        browser.close()
    return written


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="screenshots", type=Path)
    parser.add_argument("--url", help="an already running site; default: start the demo")
    options = parser.parse_args()
    if options.url:
        written = take(options.url.rstrip("/"), options.out)
    else:
        with tempfile.TemporaryDirectory(prefix="cirsite-screenshots-") as var_dir:
            site, server, log = start_site(Path(var_dir))
            try:
                written = take(site.url, options.out)
            finally:
                stop_site(server, log)
    for path in written:
        print(path)


if __name__ == "__main__":
    main()
