"""Backfill input and output files: folders, JSON Lines, and resuming after a torn line."""

from __future__ import annotations

import json
from pathlib import Path

from service.cli.backfill import done_ids, read_input


def test_folder_input_reads_txt_and_html_in_path_order(tmp_path: Path) -> None:
    """A folder gives one article per .txt/.html file, id = path without suffix, other files ignored."""
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "deux.html").write_text("<p>Deux</p>", encoding="utf-8")
    (tmp_path / "a.txt").write_text("Un texte.", encoding="utf-8")
    (tmp_path / "notes.md").write_text("ignoré", encoding="utf-8")
    records = [(r.id, json.loads(r.request)) for r in read_input(tmp_path)]
    assert [("a", {"text": "Un texte."}), ("b/deux", {"html": "<p>Deux</p>"})] == records


def test_json_lines_input_keeps_the_request_fields_without_the_id(tmp_path: Path) -> None:
    """A line's id is taken out, the rest is the enrich request; a line without id is named by its number."""
    source = tmp_path / "in.jsonl"
    lines = '{"id": 7, "text": "Texte", "title": "Titre"}\n\n{"text": "Sans id"}\n'
    source.write_text(lines, encoding="utf-8")
    records = [(r.id, json.loads(r.request)) for r in read_input(source)]
    assert [("7", {"text": "Texte", "title": "Titre"}), ("line-3", {"text": "Sans id"})] == records


def test_done_ids_cuts_a_torn_last_line(tmp_path: Path) -> None:
    """Ids of whole lines are done; a half-written last line is removed from the file."""
    out = tmp_path / "out.jsonl"
    whole = b'{"id":"a","status":200}\n{"id":"b","status":422}\n'
    out.write_bytes(whole + b'{"id":"c","sta')
    assert {"a", "b"} == done_ids(out)
    assert whole == out.read_bytes()
