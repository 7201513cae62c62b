"""The test clock is explicit: what the tests load does not depend on today's date, and
property tests have a deadline a shared 2-core machine can keep."""

from __future__ import annotations

import ast
import datetime as dt
import os
from pathlib import Path

from hypothesis import settings

ROOT = Path(__file__).resolve().parent.parent


def reference_loads(path: Path) -> list[tuple[int, set[str]]]:
    """Each call that loads reference data in a file: its line and the keywords it passes."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        name = ast.unparse(node.func)
        first = node.args[0] if node.args else None
        command = isinstance(first, ast.Constant) and first.value == "load_reference_data"
        if name == "load_reference_data" or (name.endswith("call_command") and command):
            words = {k.arg or "**" for k in node.keywords}
            words |= {str(a.value) for a in node.args if isinstance(a, ast.Constant)}
            found.append((node.lineno, words))
    return found


def test_every_reference_data_load_names_its_years() -> None:
    """Without years, the loader plans up to the year containing today: a test or benchmark
    would load more on a later day."""
    files = [*ROOT.joinpath("tests").rglob("*.py"), *ROOT.joinpath("bench").rglob("*.py")]
    calls = {(p, line): words for p in files for line, words in reference_loads(p)}
    assert len(calls) >= 5, "the scan finds no reference-data load"
    missing = [
        f"{p.relative_to(ROOT)}:{line}"
        for (p, line), w in calls.items()
        if not ({"years", "--years"} & w)
    ]
    assert missing == []


def test_hypothesis_runs_with_the_ci_profile() -> None:
    if os.environ.get("HYPOTHESIS_PROFILE", "ci") == "ci":
        assert settings.default is not None
        assert settings.default.deadline == dt.timedelta(seconds=2)
