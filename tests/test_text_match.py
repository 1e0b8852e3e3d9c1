"""The one Aho–Corasick helper (lingxi.text_match) and the modes its callers rely on."""

from __future__ import annotations

from pathlib import Path

from lingxi.compliance.screen import KeywordScreener, Term
from lingxi.privacy.file_scan import find_in_files
from lingxi.privacy.names_model import NameModel
from lingxi.privacy.pii import find_pii
from lingxi.text_match import automaton, matches


def test_overlapping_matches_with_character_offsets() -> None:
    found = automaton(["老师", "王老师", "师傅"])
    assert found is not None
    # an astral character first: offsets are code points, not UTF-8 bytes or UTF-16 units
    assert sorted(matches(found, "😀王老师傅")) == [(0, 2, 4), (1, 1, 4), (2, 3, 5)]


def test_no_keys_no_automaton() -> None:
    assert automaton([]) is None


def test_lone_surrogate_is_matched_around_with_offsets_kept() -> None:
    # ahocorasick-rs alone raises UnicodeEncodeError here; json.loads('"\\ud800"') makes such a str
    found = automaton(["老师"])
    assert found is not None
    assert matches(found, "\ud800老师\udfff") == [(0, 1, 3)]


def test_pii_with_a_lone_surrogate(seed: NameModel) -> None:
    text = "手机\ud80013800138000"
    assert [(s.type, s.text) for s in find_pii(text, names=seed)] == [("手机号", "13800138000")]


def test_screen_with_a_lone_surrogate() -> None:
    screener = KeywordScreener([Term("制作炸弹教程", "A.1.4", "test")])
    assert screener.screen("\ud800制作炸弹教程").blocked
    assert not screener.screen("\ud800今天天气").blocked


def test_file_scan_finds_overlapping_needles_and_never_an_empty_one(tmp_path: Path) -> None:
    f = tmp_path / "db"
    f.write_bytes(b"\x00\x01user-1evt-0042\xff")
    # the record key contains the event id: both occur, one inside the other
    assert find_in_files([f], {b"evt-0042", b"user-1evt-0042", b"", b"evt-0043"}) == {b"evt-0042", b"user-1evt-0042"}
