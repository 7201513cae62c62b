"""The mutation scores per module, from mutmut's results in mutants/ (scripts/mutation.sh).

Prints, for each module named on the command line, every surviving mutant with its change, and
a table: mutants, killed (of which timed out: an endless loop is caught), survived, equivalent
(listed with why in mutation-equivalent.txt), untested, score = killed / (mutants -
equivalent). Exits 1 if a score is under 90 %.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from mutmut.mutation.diff_apply import get_diff_for_mutant

ROOT = Path(__file__).resolve().parent.parent
EQUIVALENT = ROOT / "scripts" / "mutation-equivalent.txt"
TARGET = 0.90
FAILED = {1, 3, 37}  # a test failed, pytest errored, or the type check caught it
# The tests ran past mutmut's time limit (e.g. a loop that never ends): caught, as mutmut counts
# it, and shown in a column of its own.
TIMED_OUT = {36, -24, 24, 152, 255}
KILLED = FAILED | TIMED_OUT


def equivalent() -> dict[str, str]:
    """mutant name → why it cannot be told apart from the original."""
    found = {}
    for line in EQUIVALENT.read_text(encoding="utf-8").splitlines():
        name, _, why = line.partition("#")
        if name.strip():
            found[name.strip()] = why.strip()
    return found


def results(module: str) -> tuple[dict[str, int | None], dict[str, str]]:
    """Each mutant's exit code, and the source file it is a mutant of."""
    base = ROOT / "mutants" / module
    metas = sorted(base.rglob("*.py.meta")) if base.is_dir() else [Path(f"{base}.meta")]
    codes: dict[str, int | None] = {}
    paths: dict[str, str] = {}
    for meta in metas:
        if meta.is_file():
            found = json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"]
            codes.update(found)
            source = str(meta.relative_to(ROOT / "mutants")).removesuffix(".meta")
            paths.update(dict.fromkeys(found, source))
    return codes, paths


def changed_lines(name: str, path: str) -> str:
    """The mutant's change: the removed and added lines of its diff."""
    lines = get_diff_for_mutant(name, path=path).splitlines()[2:]
    return "\n".join(f"      {line}" for line in lines if line[:1] in "+-")


def report(module: str, known: dict[str, str]) -> tuple[int, int, int, int, int, int]:
    codes, paths = results(module)
    killed = sum(1 for code in codes.values() if code in KILLED)
    timed_out = sum(1 for code in codes.values() if code in TIMED_OUT)
    same = [name for name in codes if name in known and codes[name] not in KILLED]
    untested = [name for name, code in codes.items() if code in (5, 33) and name not in known]
    unchecked = [name for name, code in codes.items() if code is None]
    survived = [
        name
        for name, code in codes.items()
        if code not in KILLED and code is not None and name not in known
    ]
    if unchecked:
        print(f"  not checked (an interrupted run?): {len(unchecked)}")
    for name in survived:
        print(f"  survived: {name}\n{changed_lines(name, paths[name])}")
    for name in same:
        print(f"  equivalent: {name} — {known[name]}")
    counts = (len(codes) - len(unchecked), killed, timed_out)
    return (*counts, len(survived), len(same), len(untested))


def main(modules: list[str]) -> int:
    known = equivalent()
    rows = []
    for module in modules:
        print(f"\n{module}")
        rows.append((module, *report(module, known)))
    print(f"\n{'module':46} mutants killed (timeout) survived equivalent untested  score")
    failed = False
    for module, total, killed, timed_out, survived, same, untested in rows:
        score = killed / (total - same) if total - same else 1.0
        failed |= score < TARGET
        print(
            f"{module:46} {total:7} {killed:6} {f'({timed_out})':>9} {survived:8} {same:10} "
            f"{untested:8} {score:6.1%}"
        )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
