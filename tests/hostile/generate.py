"""Generate the hostile-input corpus of issue 16 into a folder (nothing is committed).

    python tests/hostile/generate.py OUT [--full]

Each case is one file named after it. Without --full the big cases are scaled down so the
tests run in seconds (the tests lower the caps to match); --full writes the sizes the issue
reports (a 1.05M-character CSV field, a 19 MB text file, a 200 MB CSV row) for
benchmarks/hostile_input.py. The prose is composed from word lists with a seeded generator, so
big texts are long and varied (not one paragraph repeated, which deduplication would hide).
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ACTORS = ["Government forces", "Rebel fighters", "The militia", "Border guards", "Army units", "Police officers",
          "Opposition groups", "Tribal fighters", "Coalition aircraft", "Security forces"]
VERBS = ["shelled", "attacked", "seized", "withdrew from", "surrounded", "bombed", "patrolled", "reinforced",
         "evacuated", "captured"]
PLACES = ["the northern crossing", "the old market", "the airport road", "the river town", "the eastern suburbs",
          "the hill villages", "the grain silos", "the coastal highway", "the power station", "the district centre"]
DAYS = ["on Monday", "on Tuesday", "late on Wednesday", "before dawn on Thursday", "on Friday", "over the weekend"]
SOURCES = ["a local council said", "officials told reporters", "a monitoring group reported",
           "residents said by telephone", "the regional governor said", "a spokesman said in a statement"]
ARABIC = [
    "قصفت القوات الحكومية مواقع المعارضة في ريف حلب الشمالي صباح اليوم.",
    "قال مسؤول محلي إن المعبر الحدودي أغلق بعد اشتباكات عنيفة.",
    "أفاد ناشطون بأن الطائرات الحربية استهدفت الطريق الدولي مساء أمس.",
    "انسحبت الفصائل المسلحة من البلدة بعد حصار دام أسبوعين.",
]
FRENCH = "Le café près du front était fermé à cause des combats, a déclaré un habitant de la région."


def prose(chars: int, seed: int = 16) -> str:
    """Varied English news prose of about `chars` characters, in paragraphs."""
    rng = random.Random(seed)
    paras: list[str] = []
    size = 0
    n = 0
    while size < chars:
        sentences = []
        for _ in range(rng.randint(3, 6)):
            n += 1
            sentences.append(f"{rng.choice(ACTORS)} {rng.choice(VERBS)} {rng.choice(PLACES)} {rng.choice(DAYS)}, "
                             f"{rng.choice(SOURCES)}, in report {n}.")
        para = " ".join(sentences)
        paras.append(para)
        size += len(para) + 2
    return "\n\n".join(paras)[:chars]


GOOD = prose(600, seed=1)


@dataclass
class Case:
    name: str  # file name
    what: str  # the issue-16 case it reproduces
    write: Callable[[Path, bool], None]


def _huge_csv_field(path: Path, full: bool) -> None:
    body = prose(1_050_000 if full else 120_000, seed=2).replace('"', "'")
    path.write_text(f'id,title,text\n1,Huge field,"{body}"\n2,Normal row,"{GOOD}"\n', encoding="utf-8")


def _big_txt(path: Path, full: bool) -> None:
    path.write_text("A long report\n\n" + prose(19_000_000 if full else 200_000, seed=3), encoding="utf-8")


def _huge_csv_row(path: Path, full: bool) -> None:
    with path.open("w", encoding="utf-8") as fh:
        fh.write('id,text\n1,"')
        block = prose(1_000_000, seed=4).replace('"', "'")
        for _ in range(200 if full else 3):
            fh.write(block)
        fh.write(f'"\n2,"{GOOD}"\n')


def _unclosed_quote(path: Path, full: bool) -> None:
    rows = [prose(300, seed=s).replace('"', "'").replace("\n\n", " ") for s in (5, 6, 7)]
    path.write_text(f'id,text,date\n1,"{rows[0]}",2024-03-01\n2,"{rows[1]},2024-03-02\n'
                    f'3,"{rows[2]}",2024-03-03\n', encoding="utf-8")


def _nul_bytes(path: Path, full: bool) -> None:
    text = prose(3000, seed=8).encode()
    path.write_bytes(text[:700] + b"\x00" + text[700:1500] + b"\x00\x00" + text[1500:])


def _nul_csv(path: Path, full: bool) -> None:
    path.write_bytes(b'id,text\n1,"' + prose(400, seed=9).encode() + b'\x00 tail"\n2,"' + GOOD.encode() + b'"\n')


def _jsonl_not_string(path: Path, full: bool) -> None:
    rows = [{"id": 1, "text": {"a": 1}}, {"id": 2, "text": 12345}, {"id": 3, "text": ["list", "of", "words"]},
            {"id": 4, "text": prose(500, seed=10)}]
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")


def _utf16_arabic(path: Path, full: bool) -> None:
    path.write_bytes("\n\n".join(ARABIC * 3).encode("utf-16-le"))  # no BOM


def _utf16_be_arabic(path: Path, full: bool) -> None:
    path.write_bytes("\n\n".join(reversed(ARABIC * 3)).encode("utf-16-be"))  # no BOM


def _mixed_encodings(path: Path, full: bool) -> None:
    path.write_bytes(b"Mixed report\n\n" + GOOD.encode() + b"\n\n" + FRENCH.encode("cp1252") + b"\n\n"
                     + ARABIC[0].encode("cp1256") + b"\n\n" + ARABIC[1].encode("utf-8") + b"\n")


def _entity_junk(path: Path, full: bool) -> None:
    lols = "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10))
    junk = "&amp;lol9;" * 200
    path.write_text(
        f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY lol0 "lol">{lols}]>'
        '<rss version="2.0"><channel><title>Wire</title>'
        f"<item><title>bomb</title><guid>b1</guid><description>&lol9;</description></item>"
        f"<item><title>junk</title><guid>b2</guid><description>{junk}</description></item>"
        "<item><title>symbols</title><guid>b3</guid><description>### *** 12345 !!! ---</description></item>"
        f"<item><title>real</title><guid>b4</guid><description>{GOOD}</description></item>"
        "</channel></rss>", encoding="utf-8")


def _deep_html(path: Path, full: bool) -> None:
    depth = 5000
    path.write_text("<html><head><title>Deep</title></head><body>" + "<div>" * depth
                    + "".join(f"<p>{p}</p>" for p in GOOD.split("\n\n")) + "</div>" * depth + "</body></html>",
                    encoding="utf-8")


def _garbage_csv(path: Path, full: bool) -> None:
    rng = random.Random(11)
    symbols = "#$%*+-/<=>@^_|~0123456789"
    rows = ["id,text"] + [f"{i},{''.join(rng.choice(symbols) for _ in range(30))}"
                          for i in range(38_586 if full else 3_000)]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")


def _binary_csv(path: Path, full: bool) -> None:
    path.write_bytes(random.Random(12).randbytes(400_000 if full else 40_000))


def _gzip_bomb(path: Path, full: bool) -> None:
    with gzip.open(path, "wb", compresslevel=9) as gz:
        chunk = b"A" * 1_000_000
        for _ in range(200 if full else 30):
            gz.write(chunk)


def _binary(path: Path, full: bool) -> None:
    path.write_bytes(random.Random(13).randbytes(100_000))


def _empty(path: Path, full: bool) -> None:
    path.write_bytes(b"")


def _control_name(path: Path, full: bool) -> None:
    path.write_text(prose(800, seed=14), encoding="utf-8")


CASES = [
    Case("huge-field.csv", "CSV row with a 1.05M-character field", _huge_csv_field),
    Case("big.txt", "19 MB text file under the size cap", _big_txt),
    Case("huge-row.csv", "200 MB CSV row (over the byte cap)", _huge_csv_row),
    Case("unclosed-quote.csv", "unclosed CSV quote", _unclosed_quote),
    Case("nul-bytes.txt", "NUL bytes in text", _nul_bytes),
    Case("nul-field.csv", "NUL byte in a CSV field", _nul_csv),
    Case("not-string.jsonl", "JSONL text that is an object, a number, a list", _jsonl_not_string),
    Case("arabic-utf16le.txt", "UTF-16LE Arabic without BOM", _utf16_arabic),
    Case("arabic-utf16be.txt", "UTF-16BE Arabic without BOM", _utf16_be_arabic),
    Case("mixed-encodings.txt", "UTF-8, cp1252 and cp1256 lines in one file", _mixed_encodings),
    Case("entity-junk.rss", "RSS with an entity bomb and entity junk", _entity_junk),
    Case("deep.html", "HTML nested 5,000 levels", _deep_html),
    Case("garbage.csv", "CSV of symbol rows (38,586 rows in --full)", _garbage_csv),
    Case("random.csv", "random bytes named .csv", _binary_csv),
    Case("bomb.txt.gz", "gzip expanding past the byte cap", _gzip_bomb),
    Case("random.html", "random bytes named .html", _binary),
    Case("empty.txt", "empty file", _empty),
    Case("evil\x1b[31m\nskipped fake.txt", "file name with ESC and a newline", _control_name),
]


def generate(out: Path, full: bool = False) -> dict[str, Path]:
    """Write every case into `out`; {case name: path}."""
    out.mkdir(parents=True, exist_ok=True)
    paths = {}
    for case in CASES:
        path = out / case.name
        case.write(path, full)
        paths[case.name] = path
    good = out / "zz-good.txt"
    good.write_text("Control report\n\n" + GOOD, encoding="utf-8")
    paths["zz-good.txt"] = good
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--full", action="store_true", help="the sizes of issue 16 (about 450 MB on disk)")
    args = parser.parse_args()
    for name, path in generate(args.out, args.full).items():
        print(f"{path.stat().st_size:>12,}  {name!r}")


if __name__ == "__main__":
    main()
