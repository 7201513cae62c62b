"""Page furniture as PDF artifacts: the "Demonstration data" banner and the "Page N of M"
footers drawn in the page margins.

WeasyPrint (70) tags the text of the page-margin boxes as marked content whose structure
elements it leaves out of the structure tree (its own comment: an Artifact element in the
tree is PDF 2.0 only). PDF/UA-1 wants such repeated furniture marked as ``/Artifact`` in the
content stream instead. :func:`mark_margin_artifacts` is a WeasyPrint *finisher* (the
documented hook of ``write_pdf``, called with the laid-out PDF before it is written): every
marked-content sequence whose structure element is not reachable from the structure tree
becomes an ``/Artifact`` of type ``/Pagination``, and its entry in the parent tree is
emptied. Content that is in the tree is left as it is.

Only the objects WeasyPrint hands over are used (pydyf's PDF, its dictionaries, arrays and
content-stream lists), read by duck typing.
"""

from __future__ import annotations

from typing import Any

NULL = b"null"


def _number(reference: Any) -> int | None:
    """The object number of an indirect reference (``b"12 0 R"``), else None."""
    if isinstance(reference, bytes) and reference.endswith(b" R"):
        return int(reference.split()[0])
    return None


def _reachable(pdf: Any, root: Any) -> set[int]:
    """Object numbers of the structure elements reachable from the structure tree root."""
    seen: set[int] = set()
    todo = [root]
    while todo:
        element = todo.pop()
        kids = element.get("K", [])
        for kid in kids if isinstance(kids, list) else [kids]:
            number = _number(kid)
            if number is None or number in seen:
                continue
            seen.add(number)
            found = pdf.objects[number]
            if isinstance(found, dict):
                todo.append(found)
    return seen


def _page_streams(pdf: Any) -> list[Any]:
    pages = pdf.pages["Kids"][::3]
    streams = []
    for number in pages:
        contents = _number(pdf.objects[number]["Contents"])
        assert contents is not None
        streams.append(pdf.objects[contents])
    return streams


def _artifact_mcids(pdf: Any, reachable: set[int], page_count: int) -> list[set[int]]:
    """For each page, the MCIDs outside the tree (their parent-tree entries emptied)."""
    root = pdf.objects[_number(pdf.catalog["StructTreeRoot"])]
    parent_tree = pdf.objects[_number(root["ParentTree"])]
    nums = parent_tree["Nums"]
    outside: list[set[int]] = [set() for _ in range(page_count)]
    for key, value in zip(nums[::2], nums[1::2], strict=True):
        if not isinstance(value, list) or key >= page_count:
            continue  # an annotation's own entry
        for mcid, reference in enumerate(value):
            if _number(reference) not in reachable:
                outside[key].add(mcid)
                value[mcid] = NULL
    return outside


def _rewrite(stream: Any, mcids: set[int]) -> int:
    """Turn the marked-content sequences with these MCIDs into pagination artifacts."""
    items = stream.stream
    changed = 0
    for index, item in enumerate(items):
        if (
            isinstance(item, dict)
            and item.get("MCID") in mcids
            and index + 1 < len(items)
            and items[index + 1] == b"BDC"
        ):
            items[index - 1] = "/Artifact"
            item.clear()
            item["Type"] = "/Pagination"
            changed += 1
    return changed


def mark_margin_artifacts(document: Any, pdf: Any) -> None:
    """WeasyPrint finisher: margin content (outside the structure tree) as artifacts."""
    del document  # the finisher's first argument; only the PDF is changed
    if "StructTreeRoot" not in pdf.catalog:
        return  # an untagged PDF has nothing to mark
    root = pdf.objects[_number(pdf.catalog["StructTreeRoot"])]
    streams = _page_streams(pdf)
    outside = _artifact_mcids(pdf, _reachable(pdf, root), len(streams))
    for stream, mcids in zip(streams, outside, strict=True):
        if mcids:
            assert _rewrite(stream, mcids) == len(mcids), "a margin MCID was not found"
