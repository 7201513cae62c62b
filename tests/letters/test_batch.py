"""Batch generation: files and records, skipping unchanged letters, resuming, all cores.

PDF rendering itself is tested in test_reference_letter and test_pdf_wording; here a stand-in
renderer keeps the tests fast while the orchestration around it runs for real.
"""

from __future__ import annotations

import hashlib
import signal
from pathlib import Path

import pytest
from django.core.management import call_command

from councilperf.authorities.models import Authority
from councilperf.letters import batch, pdf, rendering
from councilperf.letters.models import Letter
from councilperf.letters.wording import LetterStatistics
from councilperf.statistics.models import ReviewYear
from councilperf.years import ReportingYear
from tests.factories import make_authority, make_contact
from tests.letters.conftest import reference_statistics


class StandInRenderer:
    def __init__(self, fail_on: str | None = None) -> None:
        self.rendered: list[str] = []
        self.fail_on = fail_on

    def render_letter(self, *, whole: str, first: str = "", continuation: str = "") -> bytes:
        page = whole
        code = page.split('data-authority="')[1].split('"')[0]
        if code == self.fail_on:
            raise KeyboardInterrupt("interrupted")  # as if the run were stopped here
        self.rendered.append(code)
        return b"%PDF-1.7 stand-in " + hashlib.sha256(page.encode()).hexdigest().encode()


@pytest.fixture
def renderer(monkeypatch: pytest.MonkeyPatch) -> StandInRenderer:
    stand_in = StandInRenderer()
    monkeypatch.setattr(pdf, "shared_renderer", lambda: stand_in)
    return stand_in


@pytest.fixture
def councils(review_year: ReviewYear) -> dict[str, LetterStatistics]:
    statistics = {}
    for n, name in enumerate(["Borsetshire", "Felpersham", "Loxley Barrett", "Hollerton"]):
        authority = make_authority(name=f"{name} District", gss_code=f"E0790000{n}")
        make_contact(authority=authority, name=f"Ms {name}")
        statistics[authority.gss_code] = reference_statistics(
            authority_code=authority.gss_code, authority_name=authority.official_name
        )
    return statistics


def generate(statistics: dict[str, LetterStatistics], out: Path, **options: object):
    return batch.generate_letters(
        year=ReportingYear(2019),
        out=out,
        statistics=statistics,
        processes=options.pop("processes", 1),  # type: ignore[arg-type]
        **options,  # type: ignore[arg-type]
    )


def test_writes_files_and_records(councils, renderer, tmp_path: Path) -> None:
    summary = generate(councils, tmp_path)
    assert sorted(summary.generated) == sorted(councils)
    for code in councils:
        html = (tmp_path / "2019-20" / f"{code}.html").read_text(encoding="utf-8")
        assert html.startswith("<!DOCTYPE html>") and "<style>" in html
        assert (tmp_path / "2019-20" / f"{code}.pdf").read_bytes().startswith(b"%PDF")
        letter = Letter.objects.get(authority__gss_code=code)
        assert len(letter.content_hash) == 64 and letter.html_path.endswith(f"{code}.html")
        assert letter.template_version == 1 and letter.statistics_revision == 1
    assert Letter.objects.count() == 4


def test_rerun_skips_unchanged_letters(councils, renderer, tmp_path: Path) -> None:
    generate(councils, tmp_path)
    renderer.rendered.clear()
    summary = generate(councils, tmp_path)
    assert summary.generated == [] and len(summary.skipped) == 4
    assert renderer.rendered == []


def test_changed_statistics_regenerate_that_letter_only(councils, renderer, tmp_path) -> None:
    generate(councils, tmp_path)
    renderer.rendered.clear()
    changed = dict(councils)
    changed["E07900001"] = reference_statistics(
        authority_code="E07900001", detailed_investigations=3, upheld=1, revision=2
    )
    summary = generate(changed, tmp_path)
    assert summary.generated == ["E07900001"] and renderer.rendered == ["E07900001"]
    assert Letter.objects.get(authority__gss_code="E07900001").statistics_revision == 2
    assert Letter.objects.count() == 4


def test_edited_template_is_a_new_version_and_regenerates(councils, renderer, tmp_path) -> None:
    generate(councils, tmp_path)
    template = ReviewYear.objects.get(year="2019-20").letter_template
    template.delivery_line = "By email and post"
    template.save()
    assert template.version == 2
    summary = generate(councils, tmp_path)
    assert len(summary.generated) == 4
    assert set(Letter.objects.values_list("template_version", flat=True)) == {2}


def test_force_regenerates(councils, renderer, tmp_path: Path) -> None:
    generate(councils, tmp_path)
    assert len(generate(councils, tmp_path, force=True).generated) == 4


def test_missing_file_is_regenerated(councils, renderer, tmp_path: Path) -> None:
    generate(councils, tmp_path)
    (tmp_path / "2019-20" / "E07900002.pdf").unlink()
    assert generate(councils, tmp_path).generated == ["E07900002"]


def test_interrupted_run_resumes_without_duplicates_or_partial_files(
    councils, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    stopping = StandInRenderer(fail_on="E07900002")
    monkeypatch.setattr(pdf, "shared_renderer", lambda: stopping)
    with pytest.raises(KeyboardInterrupt):
        generate(councils, tmp_path)
    folder = tmp_path / "2019-20"
    assert sorted(p.name for p in folder.iterdir()) == [
        "E07900000.html",
        "E07900000.pdf",
        "E07900001.html",
        "E07900001.pdf",
    ]
    assert Letter.objects.count() == 2
    # A run killed while writing leaves a temporary file of a process that is gone.
    (folder / ".E07900002.pdf.999999999.x1y2.tmp").write_bytes(b"%PDF-half")

    resumed = StandInRenderer()
    monkeypatch.setattr(pdf, "shared_renderer", lambda: resumed)
    summary = generate(councils, tmp_path)
    assert sorted(summary.generated) == ["E07900002", "E07900003"]
    assert sorted(summary.skipped) == ["E07900000", "E07900001"]
    assert Letter.objects.count() == 4
    assert not list(folder.glob(".*"))


def test_all_cores(councils, renderer, tmp_path: Path) -> None:
    """Worker processes (forked, so they share the stand-in) write every letter once."""
    summary = generate(councils, tmp_path, processes=2)
    assert sorted(summary.generated) == sorted(councils)
    assert Letter.objects.count() == 4
    assert len(list((tmp_path / "2019-20").glob("*.pdf"))) == 4


def _sigterm_handling(job: object) -> str:
    """Stands in for ``render_job`` inside a pool worker: how the worker takes SIGTERM."""
    return "default" if signal.getsignal(signal.SIGTERM) is signal.SIG_DFL else "kept"


def test_pool_workers_take_the_default_sigterm_back(monkeypatch) -> None:
    """A batch run inside a process whose SIGTERM handler does not exit (an RQ worker installs
    one) must still end: the pool stops its workers with SIGTERM when it closes, so a worker
    that kept the host's handler could wait on the pool's queue for ever (a CI run hung so)."""
    monkeypatch.setattr(batch, "render_job", _sigterm_handling)
    monkeypatch.setattr(pdf, "shared_renderer", lambda: None)
    kept = signal.signal(signal.SIGTERM, lambda signum, frame: None)
    try:
        found = list(batch.run_jobs([1, 2, 3, 4], processes=2))  # type: ignore[list-item]
    finally:
        signal.signal(signal.SIGTERM, kept)
    assert found == ["default"] * 4


def test_unknown_authority_is_an_error(councils, renderer, tmp_path: Path) -> None:
    with pytest.raises(rendering.LetterError, match="E07999999"):
        batch.generate_letters(
            year=ReportingYear(2019),
            authority_codes=["E07999999"],
            out=tmp_path,
            statistics=councils,
        )


def test_command(councils, renderer, tmp_path, monkeypatch, capsys) -> None:
    monkeypatch.setattr("councilperf.letters.sources.load_statistics", lambda year: councils)
    call_command(
        "generate_letters",
        "--year",
        "2019-20",
        "--authority",
        "E07900000",
        "--authority",
        "E07900003",
        "--out",
        str(tmp_path),
        "--processes",
        "1",
    )
    out = capsys.readouterr().out
    assert "2019-20: 2 letter(s) generated, 0 unchanged and skipped" in out
    assert sorted(p.name for p in (tmp_path / "2019-20").glob("*.pdf")) == [
        "E07900000.pdf",
        "E07900003.pdf",
    ]


def test_ensure_letter_makes_one_letter_on_request(councils, renderer, tmp_path, monkeypatch):
    monkeypatch.setattr("councilperf.letters.sources.load_statistics", lambda year: councils)
    authority = Authority.objects.get(gss_code="E07900001")
    letter = batch.ensure_letter(authority=authority, year=ReportingYear(2019), out=tmp_path)
    assert Path(letter.pdf_path) == tmp_path / "2019-20" / "E07900001.pdf"
    again = batch.ensure_letter(authority=authority, year=ReportingYear(2019), out=tmp_path)
    assert again.pk == letter.pk and renderer.rendered == ["E07900001"]


def test_command_refuses_a_bad_year(db: None) -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="not a reporting year"):
        call_command("generate_letters", "--year", "2019")
    with pytest.raises(CommandError, match="no review year 2029-30"):
        call_command("generate_letters", "--year", "2029-30:2030-31", "--processes", "1")
