"""Settings read from the environment: pure functions, used by ``councilperf.settings``.

No Django imports here, so the settings module can call them before Django is set up.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

SECRET_KEY_MISSING = (
    "DJANGO_SECRET_KEY is not set and DEBUG is off: refusing to start. "
    "Set DJANGO_SECRET_KEY (or DJANGO_SECRET_KEY_FILE, a file holding the key) to a long random "
    "value, or set DJANGO_DEBUG=1 on a development machine (`make dev`). The demo keeps a "
    "generated key in var/secret-key: DJANGO_SECRET_KEY_FILE=var/secret-key make serve."
)


class ConfigurationError(Exception):
    """The environment asks for something impossible; the message says what to change."""


def flag(environ: dict[str, str], name: str, *, default: bool) -> bool:
    """``1``/``true``/``yes``/``on`` are on, ``0``/``false``/``no``/``off``/empty are off."""
    value = environ.get(name)
    if value is None:
        return default
    lowered = value.strip().lower()
    if lowered in ("1", "true", "yes", "on"):
        return True
    if lowered in ("0", "false", "no", "off", ""):
        return False
    raise ConfigurationError(f"{name}={value!r}: expected 1 or 0")


def secret_key(environ: dict[str, str], *, debug: bool) -> str:
    """The key from DJANGO_SECRET_KEY or DJANGO_SECRET_KEY_FILE; a fixed key only in DEBUG."""
    key = environ.get("DJANGO_SECRET_KEY", "").strip()
    path = environ.get("DJANGO_SECRET_KEY_FILE", "").strip()
    if not key and path:
        try:
            key = Path(path).read_text(encoding="utf-8").strip()
        except OSError as error:
            raise ConfigurationError(f"DJANGO_SECRET_KEY_FILE={path}: {error.strerror}") from None
    if key:
        return key
    if debug:
        return "insecure-development-key-only-with-DJANGO_DEBUG=1"
    raise ConfigurationError(SECRET_KEY_MISSING)


def cache_config(url: str, *, var_dir: Path) -> dict[str, Any]:
    """A Django CACHES entry from a URL.

    ``locmem://`` (one process's memory), ``file:///abs/path`` or ``file://relative`` (under
    ``var_dir``), ``redis://host:port/db`` (also ``rediss://``), ``dummy://`` (no caching).
    A ``?prefix=NAME`` query sets the key prefix.
    """
    parts = urlsplit(url)
    options = parse_qs(parts.query)
    config: dict[str, Any] = {"TIMEOUT": 24 * 3600}
    if "prefix" in options:
        config["KEY_PREFIX"] = options["prefix"][0]
    scheme = parts.scheme
    if scheme == "locmem":
        config["BACKEND"] = "django.core.cache.backends.locmem.LocMemCache"
        config["LOCATION"] = parts.netloc or "councilperf"
        config["OPTIONS"] = {"MAX_ENTRIES": 5000}
    elif scheme == "file":
        location = Path(parts.netloc + parts.path)
        config["BACKEND"] = "django.core.cache.backends.filebased.FileBasedCache"
        config["LOCATION"] = str(location if location.is_absolute() else var_dir / location)
        config["OPTIONS"] = {"MAX_ENTRIES": 20000}
    elif scheme in ("redis", "rediss"):
        config["BACKEND"] = "django.core.cache.backends.redis.RedisCache"
        config["LOCATION"] = parts._replace(query="").geturl()
    elif scheme == "dummy":
        config["BACKEND"] = "django.core.cache.backends.dummy.DummyCache"
    else:
        raise ConfigurationError(
            f"CACHE_URL={url!r}: expected locmem://, file://PATH, redis://HOST:PORT/DB or dummy://"
        )
    return config


def host_list(value: str) -> list[str]:
    return [host.strip() for host in value.split(",") if host.strip()]
