"""Benchmark of the public site: map page weight and paint time, council page render time.

    .venv/bin/python bench/site.py               # fresh temporary database, demo data
    .venv/bin/python bench/site.py --renders 200

On a fresh temporary SQLite database it loads the real register, boundaries and populations,
generates demonstration casework for 2018-19 and 2019-20, freezes and publishes both years and
builds the map data; then, against a local server:

- transfer: every response the home page (the map) loads in Debian Chromium — HTML, CSS,
  scripts, boundary file, figures — each gzip-compressed (level 6, what a server sends), summed
  (goal ≤ 400 KB); the bytes actually sent by this development server are shown too;
- paint: first contentful paint and the time until the map's shapes are drawn, headless
  (goal: map painted ≤ 1.5 s), median of five cold loads;
- render: a council page rendered server-side by the Django test client, median of N renders
  after a warm-up, the cache emptied before each (goal < 50 ms).
"""

from __future__ import annotations

import sys
from pathlib import Path

_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]
sys.path.insert(0, str(_HERE.parent))

import argparse  # noqa: E402
import datetime as dt  # noqa: E402
import gzip  # noqa: E402
import os  # noqa: E402
import statistics  # noqa: E402
import tempfile  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402
from socketserver import ThreadingMixIn  # noqa: E402
from typing import Any  # noqa: E402
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server  # noqa: E402

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
COUNCIL = "north-east-derbyshire"


class _Server(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _Quiet(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


def setup_data() -> None:
    from django.core.management import call_command
    from django.utils import timezone

    from councilperf.distribution.models import YearCycle
    from councilperf.statistics.models import ReviewYear
    from councilperf.statistics.services import freeze_statistics
    from councilperf.years import ReportingYear

    quiet = {"stdout": open(os.devnull, "w"), "verbosity": 0}  # noqa: SIM115
    started = time.perf_counter()
    call_command("migrate", **quiet)
    # Served as production serves them (DEBUG off): hashed names from the manifest.
    call_command("collectstatic", interactive=False, **quiet)
    call_command("load_reference_data", years="2018-19:2019-20", **quiet)
    call_command("generate_demo_data", years="2018-19:2019-20", **quiet)
    for year, publication in (("2018-19", dt.date(2019, 7, 31)), ("2019-20", dt.date(2020, 7, 29))):
        ReviewYear.objects.update_or_create(year=year, defaults={"publication_date": publication})
        freeze_statistics(year=ReportingYear.parse(year))
        # Public once approved (councilperf.published.years.snapshot): the approval record,
        # as a publisher's sign-off leaves it (this benchmark has no letters to check).
        YearCycle.objects.update_or_create(
            review_year=ReviewYear.objects.get(year=year),
            defaults={"approved_revision": 1, "approved_at": timezone.now()},
        )
    call_command("build_map_data", year=["2018-19", "2019-20"], **quiet)
    print(f"data ready in {time.perf_counter() - started:.1f} s")


def measure_browser(base: str, loads: int) -> dict[str, Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
        )
        bodies: dict[str, bytes] = {}
        sent = 0
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        responses: list[Any] = []
        page.on("response", lambda response: responses.append(response))
        page.goto(base + "/", wait_until="load")
        page.wait_for_selector("#map[data-shapes]")
        page.wait_for_load_state("networkidle")
        for response in responses:
            bodies[response.url] = response.body()
            sent += response.request.sizes()["responseBodySize"]
        shapes = page.get_attribute("#map", "data-shapes")
        context.close()

        fcp: list[float] = []
        drawn: list[float] = []
        for _ in range(loads):
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            page = context.new_page()
            page.goto(base + "/", wait_until="commit")
            page.wait_for_selector("#map[data-shapes]")
            timing = page.evaluate(
                """() => ({
                  fcp: (performance.getEntriesByName('first-contentful-paint')[0] || {}).startTime,
                  drawn: performance.now()
                })"""
            )
            fcp.append(timing["fcp"] or 0.0)
            drawn.append(timing["drawn"])
            context.close()
        browser.close()
    gzipped = {url: len(gzip.compress(body, compresslevel=6)) for url, body in bodies.items()}
    return {
        "shapes": shapes,
        "resources": gzipped,
        "gzip_total": sum(gzipped.values()),
        "raw_total": sum(len(b) for b in bodies.values()),
        "sent": sent,
        "fcp": statistics.median(fcp),
        "drawn": statistics.median(drawn),
    }


def measure_render(renders: int) -> tuple[float, float]:
    from django.test import Client

    client = Client()
    url = f"/councils/{COUNCIL}/2019-20/"
    assert client.get(url).status_code == 200
    for _ in range(5):
        client.get(url)
    from django.core.cache import cache

    times = []
    for _ in range(renders):
        cache.clear()  # rendered each time, not answered from the page cache
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    return statistics.median(times), max(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--renders", type=int, default=100)
    parser.add_argument("--loads", type=int, default=5)
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="cp-bench-site-"))
    os.environ["DATABASE_URL"] = f"sqlite:///{folder / 'bench.sqlite3'}"
    os.environ["VAR_DIR"] = str(folder)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "councilperf.settings")
    os.environ.setdefault("DJANGO_SECRET_KEY", "benchmark-only-" + "x" * 40)  # never a server's
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # Playwright's loop, our sync calls
    import django

    django.setup()
    setup_data()

    from django.core.wsgi import get_wsgi_application

    server = make_server(
        "127.0.0.1", 0, get_wsgi_application(), server_class=_Server, handler_class=_Quiet
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"

    found = measure_browser(base, args.loads)
    median, worst = measure_render(args.renders)
    server.shutdown()

    print(f"map page ({found['shapes']} shapes), each response gzip-compressed:")
    for url, size in sorted(found["resources"].items(), key=lambda item: -item[1]):
        print(f"  {size / 1024:7.1f} KB  {url.replace(base, '')}")
    print(
        f"map page transfer: {found['gzip_total'] / 1024:.1f} KB gzip "
        f"({found['raw_total'] / 1024:.1f} KB uncompressed; this server sent "
        f"{found['sent'] / 1024:.1f} KB)  goal ≤ 400 KB"
    )
    print(
        f"paint (median of {args.loads} cold loads): first contentful paint "
        f"{found['fcp']:.0f} ms, map drawn {found['drawn']:.0f} ms  goal ≤ 1500 ms"
    )
    print(
        f"council page render (median of {args.renders}): {median:.1f} ms "
        f"(slowest {worst:.1f} ms)  goal < 50 ms"
    )
    print(f"load average: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
