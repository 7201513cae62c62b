"""How a job's progress reads (pure: numbers in, words out; no database, no clock).

- :func:`eta` — the seconds left, from the items done, the items in all and the time spent on
  them; ``None`` whenever that cannot be said honestly (nothing counted yet, nothing done yet).
- :func:`phase_line` — "preparing 120/317", "sending 800/1,268"; a phase whose total is not
  known yet reads as its name alone ("preparing"), never "0 of 0".
- :func:`duration` — "45 seconds", "3 minutes 5 seconds", "1 hour 2 minutes".
"""

from __future__ import annotations

PREPARING = "preparing"


def eta(*, done: int, total: int, elapsed: float) -> float | None:
    """Seconds left at the pace so far (``elapsed`` seconds for ``done`` of ``total``).

    ``None`` when the total is unknown (0), nothing is done yet, or no time has passed: there
    is no pace to go by. 0 when everything is done (``done`` past ``total`` counts as done).
    """
    if total <= 0:
        return None
    if done >= total:
        return 0.0
    if done <= 0 or elapsed <= 0:
        return None
    return elapsed * (total - done) / done


def percent(*, done: int, total: int) -> int | None:
    """Whole per cent done (0–100); ``None`` while the total is unknown."""
    if total <= 0:
        return None
    return max(0, min(100, (100 * done) // total))


def phase_line(phase: str, *, done: int, total: int) -> str:
    """The phase and its count: "sending 800/1,268"; the name alone while the total is not
    known ("preparing" when the job has named no phase yet)."""
    name = phase.strip() or PREPARING
    if total <= 0:
        return name
    return f"{name} {max(0, min(done, total)):,}/{total:,}"


def duration(seconds: float) -> str:
    """A span for people: "less than a second", "45 seconds", "3 minutes 5 seconds",
    "2 hours 10 minutes" (seconds are dropped past an hour)."""
    whole = round(max(0.0, seconds))
    if whole == 0:
        return "less than a second"
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    parts = [(hours, "hour"), (minutes, "minute")]
    if not hours:
        parts.append((secs, "second"))
    words = [f"{n} {unit}{'' if n == 1 else 's'}" for n, unit in parts if n]
    return " ".join(words)


def time_left(*, done: int, total: int, elapsed: float) -> str:
    """The ETA for the page: "about 2 minutes", "almost done", or "not known yet"."""
    seconds = eta(done=done, total=total, elapsed=elapsed)
    if seconds is None:
        return "not known yet"
    if seconds < 1:
        return "almost done"
    return f"about {duration(seconds)}"
