"""Test settings: the production settings, with what tests need and nothing set by hand.

Commands the tests start in a subprocess inherit the same environment.
"""

import os
import tempfile

os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-secret-key-not-for-any-server-0123456789")
# Generated files (map data, letters, the file cache) in a directory of this run, never the
# developer's var/ (after `make demo` it holds the demo's real map files and letters).
if "VAR_DIR" not in os.environ:
    os.environ["VAR_DIR"] = tempfile.mkdtemp(prefix="councilperf-tests-")
    # This process made it, so this process removes it when the run ends (tests/conftest.py).
    os.environ["COUNCILPERF_TEST_VAR_OWNER"] = str(os.getpid())
# The page cache and every other cache in one process's memory, unless a run points CACHE_URL
# at Redis (CI runs the suite once against it).
os.environ.setdefault("CACHE_URL", "locmem://tests")
# Jobs of this run on a queue of its own: a demo worker on the same Redis never takes them.
os.environ.setdefault("TASK_QUEUE", f"councilperf-tests-{os.getpid()}")
# Workbooks written as a server writes them: lxml is only a test tool here (pikepdf's), and
# openpyxl would use it if present, refusing text the server's own writer accepts.
os.environ.setdefault("OPENPYXL_LXML", "False")

from councilperf.settings import *  # noqa: F403

# Pages are rendered without collectstatic; tests/serving/test_production_pages.py builds the
# compressed manifest and renders every page with it.
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405 - WhiteNoise warns about a missing one
# Hundreds of older tests sign staff in with force_login: two-factor is off here, and the
# portal's own tests (tests/portal/test_two_factor.py) switch it on.
COUNCILPERF_TWO_FACTOR = False
