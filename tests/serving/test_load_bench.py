"""bench/load.py reads wrk's report correctly (the benchmark itself runs against the demo)."""

from __future__ import annotations

from bench.load import parse_wrk

REPORT = """Running 5s test @ http://127.0.0.1:40000/
  2 threads and 16 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     7.81ms    9.12ms 120.22ms   92.10%
    Req/Sec     1.05k   120.33     1.30k    70.00%
  Latency Distribution
     50%    5.51ms
     75%    8.02ms
     90%   13.10ms
     99%    1.20s
  10496 requests in 5.01s, 80.12MB read
  Socket errors: connect 0, read 2, write 0, timeout 3
  Non-2xx or 3xx responses: 7
Requests/sec:   2094.83
Transfer/sec:     15.99MB
"""


def test_parse_wrk() -> None:
    result = parse_wrk("home", REPORT)
    assert result.rps == 2094.83
    assert result.p50_ms == 5.51
    assert result.p99_ms == 1200.0
    assert result.requests == 10496
    assert result.errors == 2 + 3 + 7


def test_parse_wrk_without_errors() -> None:
    clean = REPORT.replace("  Socket errors: connect 0, read 2, write 0, timeout 3\n", "")
    clean = clean.replace("  Non-2xx or 3xx responses: 7\n", "").replace("1.20s", "812.00us")
    result = parse_wrk("static", clean)
    assert result.errors == 0 and result.p99_ms == 0.812
