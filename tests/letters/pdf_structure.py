"""A tagged PDF's structure walked with pikepdf: what a PDF/UA checker would find about page
furniture and figures.

- every marked-content sequence on a page is either an ``/Artifact`` or has an MCID that a
  structure element reachable from the structure tree root claims (on that page);
- no text is shown outside marked content;
- every ``/Figure`` structure element has alternative text.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import Any

import pikepdf

TEXT_SHOWING = {"Tj", "TJ", "'", '"'}


@dataclass
class Findings:
    problems: list[str] = field(default_factory=list)
    artifacts_per_page: list[int] = field(default_factory=list)
    tagged_per_page: list[int] = field(default_factory=list)


def _claimed(root: Any) -> tuple[set[tuple[tuple[int, int], int]], list[str]]:
    """(page, MCID) pairs the reachable structure elements claim; figures without alt."""
    claimed: set[tuple[tuple[int, int], int]] = set()
    figures: list[str] = []
    seen: set[tuple[int, int]] = set()
    todo = [(root, None)]
    while todo:
        element, page = todo.pop()
        if element.is_indirect:
            if element.objgen in seen:
                continue
            seen.add(element.objgen)
        page = element.get("/Pg", page)
        if element.get("/S") == "/Figure" and not str(element.get("/Alt", "")).strip():
            figures.append(f"figure without alternative text (object {element.objgen})")
        kids = element.get("/K")
        if kids is None:
            continue
        for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
            if isinstance(kid, int):
                claimed.add((page.objgen, int(kid)))
            elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/MCR":
                claimed.add((kid.get("/Pg", page).objgen, int(kid.MCID)))
            elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") != "/OBJR":
                todo.append((kid, page))
    return claimed, figures


def walk(data: bytes) -> Findings:
    found = Findings()
    with pikepdf.open(io.BytesIO(data)) as pdf:
        root = pdf.Root.get("/StructTreeRoot")
        if root is None:
            found.problems.append("no structure tree")
            return found
        claimed, figures = _claimed(root)
        found.problems += figures
        for number, page in enumerate(pdf.pages, start=1):
            stack: list[str] = []
            artifacts = tagged = 0
            for instruction in pikepdf.parse_content_stream(page):
                operands, op = instruction.operands, str(instruction.operator)
                if op in ("BDC", "BMC"):
                    tag = str(operands[0])
                    stack.append(tag)
                    if tag == "/Artifact":
                        artifacts += 1
                        continue
                    props = operands[1] if op == "BDC" else None
                    mcid = props.get("/MCID") if isinstance(props, pikepdf.Dictionary) else None
                    if "/Artifact" in stack[:-1]:
                        continue  # inside an artifact: not content
                    if mcid is None:
                        found.problems.append(f"page {number}: {tag} without an MCID")
                    elif (page.obj.objgen, int(mcid)) not in claimed:
                        found.problems.append(
                            f"page {number}: {tag} MCID {int(mcid)} outside the structure tree"
                        )
                    else:
                        tagged += 1
                elif op == "EMC":
                    stack.pop()
                elif op in TEXT_SHOWING and not stack:
                    found.problems.append(f"page {number}: text outside marked content")
            found.artifacts_per_page.append(artifacts)
            found.tagged_per_page.append(tagged)
    return found


def main(paths: list[str]) -> int:
    """Walk PDF files (or every PDF under folders) and print what was found: one line per
    PDF with a problem, then the totals. Exit status 1 when any PDF has a problem.

        .venv/bin/python -m tests.letters.pdf_structure var/letters var/build/review
    """
    from pathlib import Path

    files = sorted(
        f
        for p in map(Path, paths)
        for f in ([p] if p.is_file() else p.rglob("*.pdf"))
        if not f.name.startswith(".")
    )
    bad = artifacts = 0
    for path in files:
        found = walk(path.read_bytes())
        artifacts += sum(found.artifacts_per_page)
        if found.problems:
            bad += 1
            print(f"{path}: {len(found.problems)} problems, first: {found.problems[0]}")
    print(f"{len(files)} PDFs walked, {artifacts} artifacts, {bad} with problems")
    return 1 if bad or not files else 0


if __name__ == "__main__":
    import sys

    raise SystemExit(main(sys.argv[1:]))
