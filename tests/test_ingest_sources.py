"""Every source type of ingest, on small fixtures written for these tests."""

from __future__ import annotations

import http.server
import io
import shutil
import threading
from collections.abc import Iterator
from functools import partial
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from sitroom.ingest import Skipped, SourceOptions, iter_documents
from sitroom.records import Document

FIX = Path(__file__).parent / "fixtures" / "ingest"


def run(sources: list[str], **kw: object) -> tuple[list[Document], list[Skipped]]:
    items = list(iter_documents(sources, SourceOptions(**kw)))  # type: ignore[arg-type]
    return [d for d in items if isinstance(d, Document)], [s for s in items if isinstance(s, Skipped)]


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    handler = partial(http.server.SimpleHTTPRequestHandler, directory=str(FIX))
    handler.log_message = lambda *a, **k: None  # type: ignore[attr-defined]
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


def test_html_main_text_and_metadata() -> None:
    docs, skipped = run([str(FIX / "blogpost.html")])
    assert not skipped
    doc = docs[0]
    assert "forty impacts" in doc.text
    for junk in ("Leave a Reply", "Akismet", "Bookmark the permalink", "SECRET_TRACKER", "ONERROR", "alert("):
        assert junk not in doc.text
    assert doc.title and "Shelling resumes" in doc.title
    assert doc.published == "2021-03-14"
    assert doc.language == "en"
    assert doc.source_format == "html"
    assert doc.paragraphs and all(doc.text[p.start:p.end].strip() for p in doc.paragraphs)


def test_directory_recursive_sorted_skips_hidden() -> None:
    docs, skipped = run([str(FIX / "dir")])
    assert [Path(d.origin or "").name for d in docs] == ["a.txt", "b.txt"]
    assert not skipped
    assert docs[0].title == "Convoy reaches the besieged town"
    assert docs[0].text.startswith("An aid convoy")
    assert docs[1].title is None


def test_jsonl_mapping_and_bad_lines() -> None:
    docs, skipped = run([str(FIX / "items.jsonl")], text_field="body", title_field="headline",
                        date_field="when", id_field="id", source_field="meta.outlet")
    assert [d.external_id for d in docs] == ["a1", "a3"]
    assert docs[1].published == "2019-03-03" and docs[1].site == "Wire Two"
    assert {s.origin.rsplit("#", 1)[1] for s in skipped} == {"row=2", "row=3"}
    assert all(str(FIX / "items.jsonl") in s.origin for s in skipped)


def test_csv_mapping_extra_and_dates() -> None:
    docs, skipped = run([str(FIX / "simple.csv")], text_field="text", title_field="title", date_field="date",
                        source_field="outlet", id_field="id")
    assert not skipped and len(docs) == 2
    assert docs[0].published == "2018-02-01" and docs[0].site == "Outlet A" and docs[0].external_id == "1"
    assert docs[0].origin and docs[0].origin.endswith("#row=1")


def test_csv_mixed_encodings_per_row(tmp_path: Path) -> None:
    path = tmp_path / "mixed.csv"
    path.write_bytes("id,text\n1,Caf\u00e9 bombing in the old city\n".encode()
                     + "2,Caf\u00e9 reopened \u2013 residents return\n".encode("cp1252"))
    docs, skipped = run([str(path)], text_field="text")
    assert not skipped
    assert docs[0].text == "Caf\u00e9 bombing in the old city"
    assert docs[1].text == "Caf\u00e9 reopened \u2013 residents return"
    assert docs[1].warnings and not docs[0].warnings


def test_warc_records(tmp_path: Path) -> None:
    path = tmp_path / "pages.warc.gz"
    html = (FIX / "blogpost.html").read_bytes()
    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        for i in range(2):
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
            rec = writer.create_warc_record(f"http://news.example/{i}", "response", payload=io.BytesIO(html),
                                            http_headers=headers)
            writer.write_record(rec)
    docs, skipped = run([str(path)])
    assert len(docs) == 2 and not skipped
    assert docs[0].source_format == "warc" and docs[0].origin and "@" in docs[0].origin
    assert "forty impacts" in docs[1].text


def test_feed_uses_substantial_item_content_and_reports_unreachable_links() -> None:
    docs, skipped = run([str(FIX / "feed.xml")], timeout=3.0)
    assert [d.external_id for d in docs] == ["item-1", "item-2"]
    assert "eleven people were wounded" in docs[0].text
    assert docs[0].site == "Conflict Wire" and docs[0].categories == ["Syria"]
    # The teaser triggers a fetch of an unreachable host: kept with a warning, batch continues.
    assert any("127.0.0.1:9" in w for w in docs[1].warnings)


def test_url_and_url_list(server: str, tmp_path: Path) -> None:
    docs, skipped = run([f"{server}/blogpost.html"], allow_private_hosts=True)
    assert len(docs) == 1 and "forty impacts" in docs[0].text and docs[0].url
    lst = tmp_path / "urls.txt"
    lst.write_text(f"{server}/blogpost.html\n\n{server}/missing.html\n")
    docs, skipped = run([str(lst)], allow_private_hosts=True)
    assert len(docs) == 1
    assert skipped[0].origin.endswith("/missing.html") and "404" in skipped[0].reason


def test_private_hosts_refused_when_disallowed(server: str) -> None:
    docs, skipped = run([f"{server}/blogpost.html"], allow_private_hosts=False)
    assert not docs and "private" in skipped[0].reason


def test_stdin_is_sniffed(monkeypatch: pytest.MonkeyPatch) -> None:
    data = (FIX / "blogpost.html").read_bytes()
    fake = io.TextIOWrapper(io.BytesIO(data))
    monkeypatch.setattr("sys.stdin", fake)
    docs, _ = run(["-"])
    assert docs[0].source_format == "html" and docs[0].origin == "stdin"


def test_forced_format(tmp_path: Path) -> None:
    path = tmp_path / "page.dat"
    shutil.copy(FIX / "simple.csv", path)
    docs, _ = run([str(path)], format="csv", text_field="text")
    assert len(docs) == 2


def test_paragraph_languages_and_majority(tmp_path: Path) -> None:
    path = tmp_path / "mixed.txt"
    en = "Government forces advanced on the northern districts of the city after a night of heavy shelling."
    ar = "قالت مصادر محلية إن القوات الحكومية تقدمت نحو الأحياء الشمالية."
    path.write_text(f"{en} {en}\n\n{ar}\n", encoding="utf-8")
    docs, _ = run([str(path)])
    doc = docs[0]
    assert [p.language for p in doc.paragraphs] == ["en", "ar"]
    assert doc.text[doc.paragraphs[1].start:doc.paragraphs[1].end] == ar
    assert doc.language == "en"


def test_gzipped_html_page(tmp_path: Path) -> None:
    import gzip

    path = tmp_path / "page.html.gz"
    path.write_bytes(gzip.compress((FIX / "blogpost.html").read_bytes()))
    docs, skipped = run([str(path)])
    assert not skipped and "forty impacts" in docs[0].text
