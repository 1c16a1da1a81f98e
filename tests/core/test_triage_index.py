"""The triage index's format: what a reader accepts from the object the hook keeps per folder, and what it refuses
(then ``status`` asks the objects themselves). The S3 side is tested in tests/e2e/test_status_scale.py."""

from __future__ import annotations

import json

from planet_gui.core import triage_index
from planet_gui.core.triage_index import Entry

FOLDER = "Cat/src/alice/"
ENTRY = Entry(etag="0" * 32, modified="2026-12-02T05:00:00+00:00", sha256="1" * 64, uploader="alice",
              reasons=("Licence (licence) is required", "qualità: à"), checked_at="2026-12-02T05:00:01+00:00")


def test_an_index_reads_back_what_the_hook_wrote() -> None:
    body = triage_index.render(FOLDER, {FOLDER + "a.csv": ENTRY})
    assert triage_index.parse(body, FOLDER) == {FOLDER + "a.csv": ENTRY}


def test_an_index_of_another_folder_or_not_an_index_is_refused_whole() -> None:
    body = triage_index.render(FOLDER, {FOLDER + "a.csv": ENTRY})
    assert triage_index.parse(body, "Cat/src/bob/") is None  # a copy put where another folder's index goes
    assert triage_index.parse(b"{not json", FOLDER) is None
    assert triage_index.parse(json.dumps({"entries": {}}).encode(), FOLDER) is None  # no version
    assert triage_index.parse(b" " * (triage_index.MAX_BYTES + 1), FOLDER) is None


def test_entries_outside_the_folder_or_of_the_wrong_shape_are_dropped() -> None:
    document = json.loads(triage_index.render(FOLDER, {FOLDER + "a.csv": ENTRY}))
    document["entries"]["Cat/src/bob/b.csv"] = document["entries"][FOLDER + "a.csv"]  # not this folder's
    document["entries"][FOLDER + "sub/c.csv"] = document["entries"][FOLDER + "a.csv"]  # a deeper folder's
    document["entries"][FOLDER + "d.csv"] = {**document["entries"][FOLDER + "a.csv"], "reasons": "one string"}
    document["entries"][FOLDER + "e.csv"] = {**document["entries"][FOLDER + "a.csv"], "etag": 7}
    found = triage_index.parse(json.dumps(document).encode(), FOLDER)
    assert found == {FOLDER + "a.csv": ENTRY}


def test_each_folder_has_its_own_index_in_the_hooks_area() -> None:
    assert triage_index.index_key(FOLDER) != triage_index.index_key("Cat/src/bob/")
    assert triage_index.is_reserved(triage_index.index_key(FOLDER))
    assert triage_index.folder_of(FOLDER + "a.csv") == FOLDER and triage_index.folder_of("a.csv") == ""
