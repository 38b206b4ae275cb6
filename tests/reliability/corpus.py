"""A small corpus for the crash and concurrency tests: the bundled examples plus a CSV of
generated wire reports in which three outlets report each strike, with tolls that agree
or differ and an attacker that denies, so relations, claim groups and contested groups
all have something to count."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"

ATTACKERS = [
    ("Russian warplanes", "the Russian Defence Ministry", "Russia"),
    ("Syrian government helicopters", "the Syrian Observatory for Human Rights", "the Syrian army"),
    ("Turkish artillery", "Kurdish officials", "the Turkish military"),
    ("Islamic State fighters", "the Kurdish Red Crescent", "Islamic State"),
]
PLACES = ["Aleppo", "Homs", "Idlib", "Raqqa", "Palmyra", "Latakia"]
OUTLETS = ["Levant Wire", "Desert Post", "Northern Herald"]


def reports(n_events: int = 12) -> list[dict[str, str]]:
    rows = []
    for e in range(n_events):
        attacker, source, denier = ATTACKERS[e % len(ATTACKERS)]
        place = PLACES[(e * 5) % len(PLACES)]
        day = 1 + e % 9
        for k, outlet in enumerate(OUTLETS):
            toll = 10 + 3 * e + (4 * k if e % 2 else 0)  # odd events: the outlets disagree
            text = (f"{attacker} struck a market in {place} on {day} March 2016, killing {toll} civilians, "
                    f"{source} said. A local council official told {outlet} that the strikes also hit a "
                    f"school and a bakery. {denier.capitalize()} denied targeting civilians in {place}. "
                    f"Aid groups said the wounded were taken to hospitals near {place}.")
            rows.append({"id": f"G-{e:02d}-{k}", "title": f"{attacker} strike {place} market",
                         "text": text, "date": f"2016-03-{day + k % 2:02d}", "outlet": outlet,
                         "url": f"https://{outlet.lower().replace(' ', '')}.example/{e}-{k}"})
    return rows


def write(target: Path) -> list[str]:
    """Write the corpus under `target`; return the sources to ingest (two folders and a CSV)."""
    shutil.copytree(EXAMPLES, target / "examples", ignore=shutil.ignore_patterns("README.md", "feeds", "warc"))
    with (target / "generated.csv").open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=["id", "title", "text", "date", "outlet", "url"])
        w.writeheader()
        w.writerows(reports())
    return [str(target / "examples"), str(target / "generated.csv")]
