"""gunicorn settings (``gunicorn -c python:councilperf.serving.gunicorn_conf``; ``make serve``).

From the environment: ``HOST`` and ``PORT`` (default 127.0.0.1:8000), ``WEB_CONCURRENCY``
(worker processes; default 2 per core + 1), ``GUNICORN_THREADS`` (threads per worker,
default 2), ``GUNICORN_MAX_REQUESTS`` (recycle a worker after this many requests; 0 = never),
``FORWARDED_ALLOW_IPS`` (the reverse proxy's address; default 127.0.0.1).

``kill -HUP <master pid>`` (``systemctl reload``) starts new workers on the new code and
stops the old ones once they finish their requests. The access log goes to standard output.
"""

from __future__ import annotations

import os
import sys
from typing import Any

_cores = os.cpu_count() or 1

bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
wsgi_app = "councilperf.wsgi:application"
worker_class = "gthread"
workers = int(os.environ.get("WEB_CONCURRENCY", str(2 * _cores + 1)))
threads = int(os.environ.get("GUNICORN_THREADS", "2"))
timeout = 60
graceful_timeout = 30
keepalive = 5
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "0"))
max_requests_jitter = max_requests // 10
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None  # empty: no access log
errorlog = "-"
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s"'
proc_name = "councilperf"
control_socket_disable = True  # no shared ~/.gunicorn/gunicorn.ctl: systemd sends the signals


def on_starting(server: Any) -> None:
    """Refuse to start, with the reason, when the settings are unusable (no secret key...)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "councilperf.settings")
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured

    try:
        settings.SECRET_KEY  # noqa: B018 - loading the settings is the check
    except ImproperlyConfigured as error:
        print(f"Council Performance cannot start: {error}", file=sys.stderr)
        sys.exit(1)


def post_worker_init(worker: Any) -> None:
    """Warm the worker before it takes its first request (gunicorn calls this after loading
    the application, before the worker accepts connections): every view module imported by
    way of the URL conf, the site's templates compiled, and each published year's figures
    read into the process. Without it a worker's first requests pay for all that (p99 1.2 s
    and timeouts in the first ~20 s after a start). Not ``preload_app``: that would keep
    ``kill -HUP`` from loading new code. A failure is logged and the worker starts cold."""
    try:
        warm()
    except Exception as error:  # a cold worker still serves
        worker.log.warning("worker %s not warmed: %s", worker.pid, error)


def warm() -> None:
    from django.template import engines
    from django.urls import get_resolver

    from councilperf.published import figures

    resolver = get_resolver()
    resolver.url_patterns  # noqa: B018 - imports every view module
    resolver.reverse_dict  # noqa: B018 - and builds the reverse index
    engine = engines["django"]
    for name in ("site/home.html", "site/council.html", "site/councils.html", "site/compare.html"):
        engine.get_template(name)
    for year in figures.published_years():
        figures.authorities(year)
