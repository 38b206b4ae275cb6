"""Small contracts of ingest integrity: escaping echoed names, summarising skip floods,
temporary folders that do not outlive their process, uploads under their own name."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

from sitroom import scratch
from sitroom.ingest import NamedSource, Skipped, SourceOptions, iter_documents
from sitroom.ingest.decode import decode_bytes
from sitroom.ingest.report import SkipReport
from sitroom.records import Document
from sitroom.textsafe import printable

STORY = ("Shelling hit the eastern districts overnight and the water station stopped working, "
         "the provincial health office said on Sunday.\n")


def test_printable_escapes_controls_but_keeps_scripts() -> None:
    assert printable("a\x1b[2Jb\nc\rd\te") == "a\\x1b[2Jb\\nc\\rd\\te"
    assert printable("rtl\u202eoverride") == "rtl\\u202eoverride"
    assert printable("C:\\x1b") == "C:\\\\x1b"  # a literal backslash cannot forge an escape
    assert printable("تقرير حلب.txt") == "تقرير حلب.txt"
    assert printable("x" * 50, limit=10) == "x" * 9 + "…"


def test_skip_report_shows_three_then_counts() -> None:
    report = SkipReport(live=3)
    shown = [report.add(f"junk.csv#row={i}", "not text: no words") for i in range(1, 1001)]
    assert sum(1 for s in shown if s) == 3
    other = report.add("evil\nskipped forged.txt", "binary content")
    assert other == "evil\\nskipped forged.txt: binary content"
    assert report.lines() == ["junk.csv: 1,000 rows skipped: not text: no words — first at row 1",
                              "evil\\nskipped forged.txt: binary content"]
    assert report.total == 1001


def test_scratch_dir_removed_on_exception_and_swept_after_kill() -> None:
    try:
        with scratch.scratch_dir("test") as path:
            Path(path, "f").write_text("x")
            raise RuntimeError("boom")
    except RuntimeError:
        pass
    assert not Path(path).exists()
    # A process killed outright leaves its folder; the next one sweeps it.
    code = "import os, tempfile; print(tempfile.mkdtemp(prefix=f'sitroom-test-{os.getpid()}-'))"
    left = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert Path(left).exists()
    mine = tempfile.mkdtemp(prefix=f"sitroom-test-{os.getpid()}-")  # this process is alive: kept
    assert scratch.sweep("test") >= 1
    assert not Path(left).exists() and Path(mine).exists()
    os.rmdir(mine)


def test_upload_recorded_under_its_own_name(tmp_path: Path) -> None:
    tmp = tmp_path / "upload-0.csv"
    tmp.write_text(f'text\n"{STORY.strip()}"\n"12345"\n')
    items = list(iter_documents([NamedSource(str(tmp), "field report.csv")], SourceOptions()))
    doc = next(d for d in items if isinstance(d, Document))
    assert doc.origin == "field report.csv#row=1"
    assert all(str(tmp_path) not in (x.origin or "") for x in items)
    assert any(isinstance(s, Skipped) and s.origin.startswith("field report.csv#row=") for s in items)


def test_utf16_without_bom_is_not_binary_but_random_bytes_are() -> None:
    text = "Артиллерия обстреляла окраины города ночью, сообщили местные власти.\n" * 4
    assert decode_bytes(text.encode("utf-16-le")).text == text
    assert decode_bytes(text.encode("utf-16-be")).text == text


def test_repair_passes_plain_ascii_by_and_fixes_the_rest_as_ftfy() -> None:
    """Plain ASCII skips ftfy (`decode.repair`) only where ftfy would change nothing: HTML
    entities, carriage returns and control characters still go through it."""
    import ftfy

    from sitroom.ingest.decode import repair

    plain = "Aleppo, 3 May -- 12 (twelve) people killed; 'witnesses' said: \"no\".\n\tNext line ~ end"
    assert repair(plain) == (plain, False)
    for text in ("Tom &amp; Jerry", "one\r\ntwo", "red \x1b[31mtext", "nul\x00here", "del\x7fchar", "cafÃ©",
                 "caf\u00e9", ""):
        fixed = ftfy.fix_text(text, normalization="NFC", uncurl_quotes=False, fix_line_breaks=True).replace("\x00", "")
        assert repair(text) == (fixed, fixed != text), text
    assert repair("Tom &amp; Jerry")[0] == "Tom & Jerry"
