"""Problems found in casework input, and the error that carries them.

A problem names where it was found (file, row, column) and the offending value when known, so
that a person can find and fix it in a spreadsheet. Problems are collected, never raised one at
a time: an import lists everything wrong with its input (up to a cap) and writes nothing.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

# An import that finds more problems than this stops listing them and says how many more.
PROBLEM_CAP = 200
# Problems grouped by message (the staff import page): the first rows kept of each message.
GROUP_EXAMPLES = 5

_SHOWN_VALUE_LENGTH = 60


@dataclass(frozen=True, slots=True)
class Location:
    """Where a record came from: a file name and its row number (the header is row 1)."""

    file: str
    row: int | None

    def __str__(self) -> str:
        return self.file if self.row is None else f"{self.file}, row {self.row:,}"


@dataclass(frozen=True, slots=True)
class Problem:
    message: str
    file: str = ""
    row: int | None = None
    column: str = ""
    value: str | None = None

    @property
    def where(self) -> str:
        parts = [self.file] if self.file else []
        if self.row is not None:
            parts.append(f"row {self.row:,}")
        if self.column:
            parts.append(f"column {self.column}")
        return ", ".join(parts)

    def __str__(self) -> str:
        text = self.message
        if self.value is not None:
            text = f"{_show(self.value)}: {text}"
        return f"{self.where}: {text}" if self.where else text


def _show(value: str) -> str:
    if len(value) > _SHOWN_VALUE_LENGTH:
        value = value[: _SHOWN_VALUE_LENGTH - 1] + "…"
    return f'"{value}"'


# What a message says of one row only (a date, a quoted value, "(also row 12)") is left out of
# the message a problem is grouped under: the rows shown with the group keep it.
_ROW_DETAIL = re.compile(r"\([^()]*\)|“[^”]*”|\b\d{2}/\d{2}/\d{4}\b")


def group_message(message: str) -> str:
    """The message problems are grouped under: ``message`` without its one row's details."""
    return _ROW_DETAIL.sub("…", message)


@dataclass(frozen=True, slots=True)
class ProblemGroup:
    """Every problem with one message: how many, and the first few (where and what)."""

    message: str
    count: int
    examples: tuple[Problem, ...]


class _Groups:
    """Problems counted by message, the first ``GROUP_EXAMPLES`` of each kept. Messages that
    differ only in one row's details are one group, shown without those details; a group
    whose messages are all the same is shown with the message itself."""

    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()
        self.examples: dict[str, list[Problem]] = {}
        self.shown: dict[str, str] = {}

    def _note(self, key: str, message: str) -> None:
        if self.shown.setdefault(key, message) != message:
            self.shown[key] = key

    def add(self, problem: Problem) -> None:
        key = group_message(problem.message)
        self._note(key, problem.message)
        self.counts[key] += 1
        kept = self.examples.setdefault(key, [])
        if len(kept) < GROUP_EXAMPLES:
            kept.append(problem)

    def merge(self, other: _Groups) -> None:
        for key, count in other.counts.items():
            self._note(key, other.shown[key])
            self.counts[key] += count
            kept = self.examples.setdefault(key, [])
            kept.extend(other.examples.get(key, [])[: GROUP_EXAMPLES - len(kept)])

    def groups(self) -> list[ProblemGroup]:
        """Largest first; equal counts in the order first found."""
        order = {key: index for index, key in enumerate(self.examples)}
        return [
            ProblemGroup(self.shown[key], count, tuple(self.examples[key]))
            for key, count in sorted(
                self.counts.items(), key=lambda item: (-item[1], order[item[0]])
            )
        ]


def group(problems: Iterable[Problem]) -> list[ProblemGroup]:
    """``problems`` grouped by message (largest group first), the first rows of each."""
    groups = _Groups()
    for problem in problems:
        groups.add(problem)
    return groups.groups()


class Problems:
    """A collector of problems that keeps the first ``cap`` and counts the rest (and counts
    every message, keeping its first rows, however many there are)."""

    def __init__(self, *, cap: int = PROBLEM_CAP) -> None:
        self.cap = cap
        self.kept: list[Problem] = []
        self.total = 0
        self.by_message = _Groups()

    def add(
        self,
        message: str,
        *,
        at: Location | None = None,
        file: str = "",
        row: int | None = None,
        column: str = "",
        value: object = None,
    ) -> None:
        self.total += 1
        if at is not None:
            file, row = at.file, at.row
        shown = None if value is None else str(value)
        problem = Problem(message, file=file, row=row, column=column, value=shown)
        self.by_message.add(problem)
        if len(self.kept) < self.cap:
            self.kept.append(problem)

    def extend(self, problems: Iterable[Problem]) -> None:
        for problem in problems:
            self.total += 1
            self.by_message.add(problem)
            if len(self.kept) < self.cap:
                self.kept.append(problem)

    def merge(self, other: Problems) -> None:
        """Take in everything ``other`` found: its kept problems (up to this cap), its total
        and its counts by message."""
        room = max(0, self.cap - len(self.kept))
        self.kept.extend(other.kept[:room])
        self.total += other.total
        self.by_message.merge(other.by_message)

    @property
    def full(self) -> bool:
        return self.total >= self.cap

    def __bool__(self) -> bool:
        return self.total > 0

    def __len__(self) -> int:
        return self.total

    def error(self) -> CaseworkValidationError:
        return CaseworkValidationError(self.kept, total=self.total, groups=self.by_message.groups())


class CaseworkValidationError(Exception):
    """The input has problems; nothing was written. ``errors`` lists them (at most the cap);
    ``groups`` counts every problem by message, with the first rows of each."""

    def __init__(
        self,
        errors: list[Problem],
        *,
        total: int | None = None,
        groups: list[ProblemGroup] | None = None,
    ) -> None:
        self.errors = list(errors)
        self.total = len(self.errors) if total is None else total
        self.groups = group(self.errors) if groups is None else groups
        super().__init__(self.report())

    @property
    def more(self) -> int:
        """How many problems were found beyond those listed."""
        return self.total - len(self.errors)

    def report(self) -> str:
        noun = "problem" if self.total == 1 else "problems"
        lines = [f"Found {self.total:,} {noun}; nothing was imported."]
        lines += [f"- {problem}" for problem in self.errors]
        if self.more:
            lines.append(
                f"… and {self.more:,} more (only the first {len(self.errors)} are listed)."
            )
        return "\n".join(lines)
