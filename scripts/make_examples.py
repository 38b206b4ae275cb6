"""Regenerate the binary sample files in examples/ (the WARC) from text written here.

    .venv/bin/python scripts/make_examples.py
"""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

OUT = Path(__file__).resolve().parents[1] / "examples" / "warc" / "sample.warc.gz"

WIRE = Path(__file__).resolve().parents[1] / "examples" / "wire" / "2015-10-01-russian-strikes-homs.txt"


def page(title: str, date: str, site: str, paragraphs: list[str]) -> str:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}</title>'
            f'<meta property="article:published_time" content="{date}">'
            f'<meta property="og:site_name" content="{site}"></head><body>'
            f'<nav><a href="/">Home</a> <a href="/world">World</a></nav>'
            f"<article><h1>{title}</h1>{body}</article>"
            f"<footer>Copyright {site}</footer></body></html>")


def reprint_of_wire() -> str:
    # A second site reprinting the wire story with a new headline and one extra sentence:
    # the near duplicate the dedup step must point at the first copy.
    lines = [ln for ln in WIRE.read_text(encoding="utf-8").splitlines() if ln.strip()]
    paragraphs = lines[1:] + ["This story was republished from Levant Wire."]
    return page("Russia widens Syria air strikes, rebels report civilian deaths", "2015-10-01",
                "Daily Crescent", paragraphs)


SOLEIMANI = page(
    "How Soleimani's Moscow visit shaped the Syria intervention", "2015-10-06", "Regional Affairs Review",
    [
        "Major General Qassem Soleimani, the commander of the Quds Force, travelled to Moscow in late July "
        "to meet Russian officials, two regional officials said. The visit laid the groundwork for the Russian "
        "air campaign that began on September 30.",
        "According to one of the officials, Soleimani presented a map of the battlefield and argued that the "
        "Syrian army could still recover lost ground with Russian air support. Iran's Supreme Leader Ali "
        "Khamenei had earlier sent an envoy to President Vladimir Putin, the official said.",
        "The Kremlin denied that Soleimani had met Putin. Kremlin spokesman Dmitry Peskov said on Tuesday that "
        "no such meeting had taken place. Iranian officials declined to comment.",
    ],
)

HEZBOLLAH = page(
    "Hezbollah funerals point to rising losses in Syria", "2015-11-12", "Cedar Report",
    [
        "Hezbollah has lost at least 80 fighters in Syria since the start of October, according to a count of "
        "funerals held in southern Lebanon and the Bekaa valley compiled by this newspaper.",
        "A Hezbollah official said the group would keep fighting alongside the Syrian army and Iranian forces "
        "until the rebels were defeated. Lebanese Prime Minister Tammam Salam urged all parties to keep Lebanon "
        "out of the war.",
    ],
)


def main() -> None:
    OUT.parent.mkdir(parents=True, exist_ok=True)
    records = [
        ("http://daily-crescent.example.com/2015/10/01/russia-widens-strikes", reprint_of_wire()),
        ("http://regional-affairs.example.com/soleimani-moscow", SOLEIMANI),
        ("http://cedar-report.example.com/hezbollah-funerals", HEZBOLLAH),
    ]
    with OUT.open("wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        writer.write_record(writer.create_warcinfo_record("sample.warc.gz", {"software": "sitroom examples"}))
        for url, html in records:
            payload = html.encode("utf-8")
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8"),
                                                  ("Content-Length", str(len(payload)))], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(url, "response", payload=BytesIO(payload),
                                                          http_headers=headers))
    print(f"wrote {OUT} ({OUT.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
