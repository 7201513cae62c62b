"""The README's documented commands and options exist, so the README stays true."""

from __future__ import annotations

import re
from pathlib import Path

from django.core.management import get_commands, load_command_class

README = Path(__file__).resolve().parent.parent / "README.md"
MAKEFILE = README.parent / "Makefile"


def documented_commands() -> list[tuple[str, list[str]]]:
    found = []
    for line in README.read_text(encoding="utf-8").splitlines():
        match = re.match(r"^\s*python manage\.py (\w+)(.*)$", line)
        if match:
            options = re.findall(r"(--[a-z][a-z0-9-]*)", match.group(2))
            found.append((match.group(1), options))
    return found


def test_readme_documents_commands():
    assert documented_commands(), "the README lists no management command"


def test_every_documented_command_and_option_exists():
    commands = get_commands()
    for name, options in documented_commands():
        assert name in commands, f"README documents unknown command {name}"
        parser = load_command_class(commands[name], name).create_parser("manage.py", name)
        known = set(parser._option_string_actions)
        for option in options:
            assert option in known, f"README documents {name} {option}, which does not exist"


def test_readme_starts_with_the_two_make_targets():
    head = README.read_text(encoding="utf-8")[:600]
    assert "make demo" in head and "make test" in head
    makefile = MAKEFILE.read_text(encoding="utf-8")
    assert re.search(r"^demo:", makefile, re.M) and re.search(r"^test:", makefile, re.M)


def test_every_project_command_is_documented():
    project = {n for n, app in get_commands().items() if app.startswith("councilperf.")}
    documented = {name for name, _ in documented_commands()}
    assert project <= documented, f"undocumented commands: {sorted(project - documented)}"
