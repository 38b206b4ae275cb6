"""The claim-grouping thresholds: one typed object, and a bad settings file fails loudly."""

from __future__ import annotations

import pytest

from sitroom.corpus.settings import ClaimGroupSettings, claim_group_settings, parse


def _raw() -> dict:
    return {"windows": {"ASSAULT": 1, "RETREAT": 14}, "min_similarity": 0.2, "min_similarity_no_place": 0.3,
            "min_count_similarity": 0.25, "lead_sentences": 2, "subject_kinds": {"troops": 40}, "tolerance": {"absolute": 2, "relative": 0.05},
            "max_event_count": 500, "background_days": 10, "one_incident_population": 5000}


def test_the_packaged_settings_load_typed() -> None:
    got = claim_group_settings()
    assert isinstance(got, ClaimGroupSettings)
    assert got.windows["ASSAULT"] < got.windows["RETREAT"]  # strikes are reported within days
    assert 0 < got.min_similarity < got.min_similarity_no_place < 1
    assert isinstance(got.lead_sentences, int) and isinstance(got.tolerance.relative, float)


def test_parse_keeps_every_value() -> None:
    got = parse(_raw())
    assert got.windows == {"ASSAULT": 1, "RETREAT": 14} and got.subject_kinds == {"troops": 40}
    assert (got.tolerance.absolute, got.tolerance.relative) == (2.0, 0.05)
    assert (got.lead_sentences, got.max_event_count, got.background_days) == (2, 500, 10)


@pytest.mark.parametrize(("change", "message"), [
    (lambda r: r.update(min_similary=0.1), "unknown setting 'min_similary'"),
    (lambda r: r.pop("background_days"), "missing setting 'background_days'"),
    (lambda r: r.update(lead_sentences=2.5), "lead_sentences must be a number"),
    (lambda r: r.update(min_similarity="high"), "min_similarity must be a number"),
    (lambda r: r.update(windows={"ASSAULT": "one"}), "windows must map names to int"),
    (lambda r: r.update(tolerance={"absolute": 1}), "tolerance needs absolute and relative"),
])
def test_a_bad_settings_file_names_the_key(change, message) -> None:
    raw = _raw()
    change(raw)
    with pytest.raises(ValueError, match=message):
        parse(raw)
