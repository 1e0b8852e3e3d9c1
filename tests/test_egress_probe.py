"""The egress probe (tests/egress_probe.py) on every model-using endpoint: nothing personal leaves without
consent, and nothing that leaves with consent carries a planted value raw."""

from __future__ import annotations

from pathlib import Path

from egress_probe import probe


def test_no_personal_data_without_consent_and_no_raw_pii_with_it(tmp_path: Path) -> None:
    report = probe(tmp_path / "home")
    assert report.without_consent == 0
    assert report.raw_pii == dict.fromkeys(report.raw_pii, 0), report.raw_pii
    assert report.sample_values == 0
    # the probe did reach the cloud once the user agreed: chat (twice) and every feature endpoint
    assert report.requests >= len(report.statuses) - 1
    assert all(s[1] == 200 for s in report.statuses.values()), report.statuses
