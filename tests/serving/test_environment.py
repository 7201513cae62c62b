"""Settings from the environment (pure): flags, the secret key, the cache URL, hosts, and the
client address behind a proxy."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from councilperf.serving import environment as env
from councilperf.serving.headers import forwarded_address


@pytest.mark.parametrize("value", ["1", "true", "YES", " on "])
def test_flag_on(value: str) -> None:
    assert env.flag({"X": value}, "X", default=False) is True


@pytest.mark.parametrize("value", ["0", "false", "No", "off", ""])
def test_flag_off(value: str) -> None:
    assert env.flag({"X": value}, "X", default=True) is False


def test_flag_default_and_nonsense() -> None:
    assert env.flag({}, "X", default=True) is True
    assert env.flag({}, "X", default=False) is False
    with pytest.raises(env.ConfigurationError, match="X='maybe'"):
        env.flag({"X": "maybe"}, "X", default=False)


def test_secret_key_from_the_environment_or_a_file(tmp_path: Path) -> None:
    assert env.secret_key({"DJANGO_SECRET_KEY": " abc "}, debug=False) == "abc"
    key_file = tmp_path / "key"
    key_file.write_text("from-file\n")
    assert env.secret_key({"DJANGO_SECRET_KEY_FILE": str(key_file)}, debug=False) == "from-file"
    both = {"DJANGO_SECRET_KEY": "direct", "DJANGO_SECRET_KEY_FILE": str(key_file)}
    assert env.secret_key(both, debug=False) == "direct"


def test_no_secret_key_is_refused_unless_debug(tmp_path: Path) -> None:
    with pytest.raises(env.ConfigurationError, match="DJANGO_SECRET_KEY is not set"):
        env.secret_key({}, debug=False)
    with pytest.raises(env.ConfigurationError, match="DJANGO_SECRET_KEY_FILE"):
        env.secret_key({"DJANGO_SECRET_KEY_FILE": str(tmp_path / "missing")}, debug=False)
    assert "insecure" in env.secret_key({}, debug=True)


def test_cache_urls(tmp_path: Path) -> None:
    locmem = env.cache_config("locmem://", var_dir=tmp_path)
    assert locmem["BACKEND"].endswith("LocMemCache")
    relative = env.cache_config("file://cache", var_dir=tmp_path)
    assert relative["BACKEND"].endswith("FileBasedCache")
    assert relative["LOCATION"] == str(tmp_path / "cache")
    absolute = env.cache_config("file:///srv/cache", var_dir=tmp_path)
    assert absolute["LOCATION"] == "/srv/cache"
    redis = env.cache_config("redis://127.0.0.1:6379/1?prefix=cp", var_dir=tmp_path)
    assert redis["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert redis["LOCATION"] == "redis://127.0.0.1:6379/1"
    assert redis["KEY_PREFIX"] == "cp"
    assert env.cache_config("dummy://", var_dir=tmp_path)["BACKEND"].endswith("DummyCache")
    with pytest.raises(env.ConfigurationError, match="memcached"):
        env.cache_config("memcached://x", var_dir=tmp_path)


def test_host_list() -> None:
    assert env.host_list(" a.example, ,b.example ") == ["a.example", "b.example"]
    assert env.host_list("") == []


def test_forwarded_address() -> None:
    peer = "127.0.0.1"
    assert forwarded_address(remote_addr=peer, forwarded_for="203.0.113.9", proxies=0) == peer
    assert forwarded_address(remote_addr=peer, forwarded_for=None, proxies=1) == peer
    assert forwarded_address(remote_addr=peer, forwarded_for="203.0.113.9", proxies=1) == (
        "203.0.113.9"
    )
    # A client's own (forged) entry comes first; the proxy appends the real address.
    forged = "10.0.0.1, 203.0.113.9"
    assert forwarded_address(remote_addr=peer, forwarded_for=forged, proxies=1) == "203.0.113.9"
    assert forwarded_address(remote_addr=peer, forwarded_for=forged, proxies=2) == "10.0.0.1"
    assert forwarded_address(remote_addr=peer, forwarded_for="203.0.113.9", proxies=2) == peer


def test_the_running_cache_is_the_one_cache_url_names() -> None:
    import os

    from django.conf import settings

    url = os.environ["CACHE_URL"]  # tests/settings.py: locmem unless a run points it elsewhere
    expected = env.cache_config(url, var_dir=Path(settings.VAR_DIR))["BACKEND"]
    assert settings.CACHES["default"]["BACKEND"] == expected


def test_every_database_checks_a_kept_connection_before_using_it() -> None:
    # A connection PostgreSQL dropped (a restart, a failover) is replaced, not an error.
    from django.conf import settings

    assert settings.DATABASES
    for alias, database in settings.DATABASES.items():
        assert database["CONN_HEALTH_CHECKS"] is True, alias


def test_gunicorn_warms_each_worker_before_it_takes_traffic(
    db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    from gunicorn.config import Config  # type: ignore[import-untyped]

    from councilperf.published import figures
    from councilperf.serving import gunicorn_conf

    config = Config()
    config.set("post_worker_init", gunicorn_conf.post_worker_init)  # gunicorn takes the hook
    read: list[str] = []
    monkeypatch.setattr(figures, "published_years", lambda: ["2019-20", "2020-21"])

    def authorities(year: str) -> dict[str, object]:
        read.append(year)
        return {}

    monkeypatch.setattr(figures, "authorities", authorities)

    class Worker:
        pid = 4242
        log = logging.getLogger("gunicorn.error")

    config.post_worker_init(Worker())
    assert read == ["2019-20", "2020-21"]  # every published year's figures in the process
