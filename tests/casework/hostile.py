"""Building hostile casework files on the fly, cheaply: sparse files for sizes in gigabytes,
and a zip bomb written by hand from one compressed block repeated."""

from __future__ import annotations

import struct
import zipfile
import zlib
from pathlib import Path

from councilperf.casework.parsing import Kind
from tests.casework.files import csv_text, rows, write_xlsx


def sparse_csv(path: Path, *, head: bytes, size: int) -> Path:
    """A file that starts with ``head`` and is ``size`` bytes long (the rest a hole)."""
    with path.open("wb") as out:
        out.write(head)
        out.truncate(size)
    return path


def long_line_csv(path: Path, *, size: int = 2 * 1024**3 + 1) -> Path:
    """A header, then one line of ``size`` bytes with no line break."""
    header = csv_text(rows(Kind.CASES)).encode()
    return sparse_csv(path, head=header + b"x" * 1_100_000, size=size)


def many_rows_csv(path: Path, *, count: int = 10_000_000) -> Path:
    header = csv_text(rows(Kind.CASES)).encode()
    with path.open("wb") as out:
        out.write(header)
        block = b"\r\n" * 1_000_000
        for _ in range(count // 1_000_000):
            out.write(block)
    return path


def _raw_deflate(data: bytes) -> bytes:
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    return packer.compress(data) + packer.flush()


def zip_bomb_xlsx(path: Path, *, expanded: int = 1_500_000_000) -> Path:
    """A real workbook whose sheet is replaced by a part that inflates to ``expanded`` bytes:
    one compressed block of sheet rows, repeated (each block ends with a full flush, so the
    blocks are identical). Its CRC is not computed: the importer must refuse the file from
    the archive's directory, before inflating anything."""
    model = write_xlsx(path.with_suffix(".model.xlsx"), rows(Kind.CASES, {}))
    block = b'<row><c t="inlineStr"><is><t>x</t></is></c></row>' * 20_000
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    unit = packer.compress(block) + packer.flush(zlib.Z_FULL_FLUSH)
    repeats = expanded // len(block)
    bomb = unit * repeats + packer.flush()
    members: list[tuple[str, bytes, int, int]] = []
    with zipfile.ZipFile(model) as source:
        for info in source.infolist():
            data = source.read(info)
            if info.filename.startswith("xl/worksheets/sheet"):
                members.append((info.filename, bomb, 0, len(block) * repeats))
            else:
                members.append((info.filename, _raw_deflate(data), zlib.crc32(data), len(data)))
    _write_zip(path, members)
    model.unlink()
    return path


def _write_zip(path: Path, members: list[tuple[str, bytes, int, int]]) -> None:
    """A zip archive of deflated members (name, raw deflate data, crc, size), by hand."""
    central = b""
    offset = 0
    with path.open("wb") as out:
        for name, data, crc, size in members:
            encoded = name.encode()
            fields = (20, 0, 8, 0, 0x21, crc, len(data), size, len(encoded))
            local = struct.pack("<4s5H3L2H", b"PK\x03\x04", *fields, 0) + encoded
            out.write(local + data)
            central += (
                struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, *fields, 0, 0, 0, 0, 0, offset)
                + encoded
            )
            offset += len(local) + len(data)
        count = len(members)
        end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, count, count, len(central), offset, 0)
        out.write(central + end)
