"""Load benchmark: the production server (gunicorn, DEBUG off) on a free loopback port, with the
demo data, driven by wrk.

    .venv/bin/python bench/load.py                 # 16 connections, 60 s per target
    .venv/bin/python bench/load.py --soak 300      # then the mix of every target for 5 minutes
    .venv/bin/python bench/load.py --duration 5 --transfer   # short; and the home page in Chromium

Uses the demo database (`make demo` first; DATABASE_URL, VAR_DIR and CACHE_URL are honoured)
and the demo's secret key (var/secret-key). For each target — home, a council page, the map
figures JSON, a letter PDF, one authority's figures from the JSON API, and a static file (the
stylesheet) as the baseline — it prints
requests/s, p50/p99 latency and errors, and the ratio of requests/s to the static file's.
Every request asks for gzip/brotli, as a browser does. Goals: 0 errors; home, council page and
API figures ≥ 0.5 × the static file's requests/s with p99 ≤ 100 ms; the soak has 0 errors and the
server's memory (master and workers, resident) grows by no more than 20 %.

``--transfer`` loads the home page in Debian Chromium from the same server and sums what went
over the wire (headers and bodies, compressed as served; goal ≤ 250 KB), and counts any
Content-Security-Policy violation reported in the console.

Loopback only; bounded in time (wrk -d) and connections. wrk: `scripts/system-packages.sh test`.
"""

from __future__ import annotations

import sys
from pathlib import Path

_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]
sys.path.insert(0, str(_HERE.parent))

import argparse  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import re  # noqa: E402
import shutil  # noqa: E402
import socket  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
import urllib.request  # noqa: E402
from dataclasses import dataclass  # noqa: E402
from typing import Any  # noqa: E402

ROOT = _HERE.parent
HOST = "127.0.0.1"
ACCEPT = "gzip, deflate, br"


@dataclass
class Result:
    name: str
    rps: float
    p50_ms: float
    p99_ms: float
    errors: int
    requests: int


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()  # type: ignore[union-attr]
    return float(number) * _UNITS[unit]


def parse_wrk(name: str, output: str) -> Result:
    """Requests/s, p50, p99 and errors (socket errors and non-2xx/3xx) from `wrk --latency`."""
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))  # type: ignore[union-attr]
    p50 = _ms(re.search(r"^\s+50%\s+(\S+)", output, re.M).group(1))  # type: ignore[union-attr]
    p99 = _ms(re.search(r"^\s+99%\s+(\S+)", output, re.M).group(1))  # type: ignore[union-attr]
    total = int(re.search(r"(\d+) requests in", output).group(1))  # type: ignore[union-attr]
    errors = 0
    socket_errors = re.search(r"Socket errors: (.*)", output)
    if socket_errors:
        errors += sum(int(n) for n in re.findall(r"\d+", socket_errors.group(1)))
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    if non_2xx:
        errors += int(non_2xx.group(1))
    return Result(name, rps, p50, p99, errors, total)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


def server_env(port: int) -> dict[str, str]:
    env = dict(os.environ)
    env.update({"HOST": HOST, "PORT": str(port), "DJANGO_DEBUG": "0"})
    env.setdefault("DJANGO_SETTINGS_MODULE", "councilperf.settings")
    env.setdefault("GUNICORN_ACCESS_LOG", "")  # no access log: it would measure the disk
    if "DJANGO_SECRET_KEY" not in env:
        key = ROOT / "var" / "secret-key"
        if not key.is_file():
            sys.exit("No var/secret-key: run `make demo` first (or set DJANGO_SECRET_KEY)")
        env["DJANGO_SECRET_KEY_FILE"] = str(key)
    return env


def start_server(port: int) -> subprocess.Popen[bytes]:
    gunicorn = ROOT / ".venv" / "bin" / "gunicorn"
    command = [str(gunicorn), "-c", "python:councilperf.serving.gunicorn_conf"]
    server = subprocess.Popen(command, cwd=ROOT, env=server_env(port), stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"gunicorn exited: {server.stderr.read().decode() if server.stderr else ''}")
        try:
            with urllib.request.urlopen(f"http://{HOST}:{port}/healthz", timeout=5) as r:
                if r.status == 200:
                    return server
        except OSError:
            time.sleep(0.3)
    server.terminate()
    sys.exit("gunicorn did not answer /healthz within 60 s")


def fetch(base: str, path: str) -> bytes:
    request = urllib.request.Request(base + path, headers={"Accept-Encoding": "identity"})
    with urllib.request.urlopen(request, timeout=60) as response:
        return bytes(response.read())


def targets(base: str) -> dict[str, str]:
    """The address of each target, found from the running site itself."""
    home = fetch(base, "/").decode()
    year = re.search(r'<option value="(\d{4}-\d{2})" selected', home)
    if not year:
        sys.exit("No published year on the home page: run `make demo` first")
    figures = f"/map-data/{year.group(1)}/figures.json"
    councils = re.findall(rf'href="(/councils/[\w-]+/{year.group(1)}/)"', home)
    council = next(
        (c for c in councils if f'href="{c}letter.pdf"' in fetch(base, c).decode()), None
    )
    if council is None:
        sys.exit(f"No council of {year.group(1)} has a letter: run `make demo` first")
    css = re.search(r'href="(/static/site/dist/site\.[0-9a-f]{12}\.css)"', home)
    if not css:
        sys.exit("The stylesheet is not served under a hashed name: is DEBUG off?")
    listed = json.loads(fetch(base, f"/api/v1/years/{year.group(1)}/figures?per_page=1"))
    code = listed["results"][0]["authority_code"]
    return {
        "static file": css.group(1),
        "home": "/",
        "council page": council,
        "map figures": figures,
        "letter PDF": council + "letter.pdf",
        "API figures": f"/api/v1/years/{year.group(1)}/figures/{code}",
    }


def wrk(base: str, paths: list[str], *, seconds: int, connections: int) -> str:
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "10s"]
    command += ["-H", f"Accept-Encoding: {ACCEPT}"]
    with tempfile.TemporaryDirectory() as tmp:
        if len(paths) > 1:  # the mix: each request takes the next address in turn
            script = Path(tmp) / "mix.lua"
            quoted = ", ".join(json.dumps(p) for p in paths)
            script.write_text(
                f"local paths = {{{quoted}}}\nlocal i = 0\n"
                "request = function()\n  i = i % #paths + 1\n"
                "  return wrk.format(nil, paths[i])\nend\n"
            )
            command += ["-s", str(script)]
        command.append(base + paths[0])
        done = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60)
    if done.returncode != 0:
        sys.exit(f"wrk failed: {done.stderr}")
    return done.stdout


def memory_kb(pid: int) -> int:
    """Resident memory of a process and all its descendants (gunicorn master and workers)."""
    total = 0
    pending = [pid]
    while pending:
        current = pending.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except OSError:
            continue
        total += int(re.search(r"VmRSS:\s+(\d+)", status).group(1))  # type: ignore[union-attr]
        pending += [int(c) for c in children]
    return total


def measure_transfer(base: str) -> tuple[int, int, list[str]]:
    """Bytes over the wire for the home page and everything it loads, in Chromium (headers and
    compressed bodies), the number of requests, and any CSP violations reported."""
    from playwright.sync_api import sync_playwright

    args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=args)
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        violations: list[str] = []
        page.on(
            "console",
            lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None,
        )
        finished: list[Any] = []
        page.on("requestfinished", lambda request: finished.append(request))
        page.goto(base + "/", wait_until="load")
        page.wait_for_selector("#map[data-shapes]")
        page.wait_for_load_state("networkidle")
        total = 0
        for request in finished:
            sizes = request.sizes()
            total += sizes["responseHeadersSize"] + sizes["responseBodySize"]
        context.close()
        browser.close()
    return total, len(finished), violations


def run_targets(base: str, paths: dict[str, str], *, seconds: int, connections: int) -> None:
    results = []
    for name, path in paths.items():
        fetch(base, path)  # the first request fills the page cache, as warm_cache would
        output = wrk(base, [path], seconds=seconds, connections=connections)
        results.append(parse_wrk(name, output))
    baseline = results[0].rps
    print(f"\n{connections} connections, {seconds} s per target, Accept-Encoding: {ACCEPT}")
    print(f"{'target':<14}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'errors':>8}{'× static':>10}")
    for r in results:
        ratio = r.rps / baseline if baseline else 0.0
        print(
            f"{r.name:<14}{r.rps:>9.0f}{r.p50_ms:>9.1f}{r.p99_ms:>9.1f}{r.errors:>8}{ratio:>10.2f}"
        )
    for r in results:
        print(f"  {r.name}: {paths[r.name]}  ({r.requests} requests)")
    pages = [r for r in results if r.name in ("home", "council page", "API figures")]
    met = all(r.rps >= 0.5 * baseline and r.p99_ms <= 100 for r in pages)
    print(
        f"Goals (0 errors; pages ≥ 0.5 × static, p99 ≤ 100 ms): "
        f"{'met' if met and not any(r.errors for r in results) else 'NOT met'}"
    )


def soak(base: str, server: subprocess.Popen[bytes], paths: list[str], seconds: int) -> None:
    for path in paths:
        fetch(base, path)
    before = memory_kb(server.pid)
    output = wrk(base, paths, seconds=seconds, connections=16)
    after = memory_kb(server.pid)
    r = parse_wrk("soak", output)
    growth = (after - before) / before * 100
    print(f"\nSoak: the mix of {len(paths)} targets for {seconds} s at 16 connections")
    print(
        f"  {r.requests} requests, {r.rps:.0f} req/s, p50 {r.p50_ms:.1f} ms, "
        f"p99 {r.p99_ms:.1f} ms, errors {r.errors}"
    )
    print(
        f"  server memory (resident, master + workers): {before / 1024:.0f} MB before, "
        f"{after / 1024:.0f} MB after ({growth:+.1f} %)"
    )
    print(
        f"Goals (0 errors; memory growth ≤ 20 %): "
        f"{'met' if r.errors == 0 and growth <= 20 else 'NOT met'}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=60, help="seconds per target")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--soak", type=int, default=0, help="seconds of the mix (e.g. 300)")
    parser.add_argument("--transfer", action="store_true", help="the home page in Chromium")
    parser.add_argument("--port", type=int, default=0, help="default: a free loopback port")
    args = parser.parse_args()
    if not 1 <= args.duration <= 600 or not 0 <= args.soak <= 3600:
        parser.error("--duration 1..600 and --soak 0..3600 seconds")
    if not 1 <= args.connections <= 64:
        parser.error("--connections 1..64")
    if shutil.which("wrk") is None:
        sys.exit("wrk not found: scripts/system-packages.sh test (Debian package wrk)")
    port = args.port or free_port()
    base = f"http://{HOST}:{port}"
    server = start_server(port)
    try:
        workers = len(Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split())
        print(f"gunicorn at {base}: {workers} workers, {os.cpu_count()} cores")
        paths = targets(base)
        run_targets(base, paths, seconds=args.duration, connections=args.connections)
        if args.soak:
            soak(base, server, list(paths.values()), args.soak)
        if args.transfer:
            total, requests, violations = measure_transfer(base)
            print(
                f"\nHome page in Chromium: {total / 1024:.0f} KB over the wire in "
                f"{requests} requests (goal ≤ 250 KB); CSP violations: {len(violations)}"
            )
            for line in violations[:5]:
                print(f"  {line}")
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
