"""The JSON reader's fast way (records decoded by ``json``'s C scanner) must say what the slow way (ijson's
events, value by value) says: the same metadata, the same limits, the same words for a broken document."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from planet_gui.core.errors import InspectionError
from planet_gui.core.inspect import inspect_file, jsonstream
from planet_gui.core.inspect.jsonstream import FastPathDeclined, JsonStream


def _records(count: int) -> list[dict[str, Any]]:
    return [{"data": f"2024-01-{1 + i % 28:02d}T17:00:00", "denominazione_regione": ["Lazio", "Umbria"][i % 2],
             "totale_casi": i * 3, "tasso": i / 7, "note": None if i % 3 else "x" * (i % 90), "ok": i % 2 == 0}
            for i in range(count)]


def _slow(monkeypatch: pytest.MonkeyPatch) -> None:
    def declined(self: JsonStream, *_args: Any) -> int:
        raise FastPathDeclined

    monkeypatch.setattr(JsonStream, "items", declined)


def _both(path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Any, Any]:
    fast = inspect_file(path)
    with monkeypatch.context() as patch:
        _slow(patch)
        slow = inspect_file(path)
    return fast, slow


@pytest.mark.parametrize("lines", [False, True], ids=["array", "json-lines"])
def test_the_fast_way_finds_what_the_slow_way_finds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                     lines: bool) -> None:
    path = tmp_path / ("records.jsonl" if lines else "records.json")
    records = _records(3000)
    path.write_text("\n".join(json.dumps(r) for r in records) if lines else json.dumps(records, indent=1))
    fast, slow = _both(path, monkeypatch)
    assert fast.metadata == slow.metadata
    assert fast.details == slow.details
    assert fast.metadata["record_count"] == 3000


def test_a_record_too_long_for_the_fast_way_is_read_the_slow_way(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[str] = []
    real = JsonStream.array

    def array(self: JsonStream, on_item: Any) -> int:
        seen.append("slow")
        return real(self, on_item)

    monkeypatch.setattr(JsonStream, "array", array)
    records = _records(50)
    records[10]["note"] = "n" * (2 * jsonstream.FAST_VALUE_BYTES)  # longer than the fast way takes
    path = tmp_path / "long.json"
    path.write_text(json.dumps(records))
    inspection = inspect_file(path)
    assert seen == ["slow"]
    assert inspection.metadata["record_count"] == 50


@pytest.mark.parametrize("text", [
    '[{"a": 1},\n {"a": 2,}]',  # a trailing comma
    '[{"a": 1},\n {"a": NaN}]',  # not JSON, though Python's scanner reads it
    '[{"a": 1}] [{"a": 2}]',  # text after the array
    '[{"a": 1}, {"a": 2}',  # cut short
], ids=["trailing-comma", "nan", "after-the-end", "cut"])
def test_a_broken_document_is_worded_as_the_slow_way_words_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                               text: str) -> None:
    path = tmp_path / "broken.json"
    path.write_text(text)
    with pytest.raises(InspectionError) as fast:
        inspect_file(path)
    _slow(monkeypatch)
    with pytest.raises(InspectionError) as slow:
        inspect_file(path)
    assert fast.value.message == slow.value.message
    assert "valid JSON" in fast.value.message


@pytest.mark.parametrize("depth", [300, 5000], ids=["over-the-limit", "over-the-scanners-recursion"])
def test_deep_nesting_in_a_record_is_refused_either_way(tmp_path: Path, depth: int) -> None:
    path = tmp_path / "deep.json"
    path.write_text('[{"a": 1}, {"a": ' + "[" * depth + "]" * depth + "}]")
    with pytest.raises(InspectionError, match="levels deep"):
        inspect_file(path)


def test_long_strings_are_clipped_and_counted_as_the_slow_way_does() -> None:
    long = "s" * (jsonstream.MAX_STRING_CHARS + 10)
    value, nodes = jsonstream._bounded({"a": long, "b": [1, "x" * 130], "c": None})
    assert len(value["a"]) == jsonstream.MAX_STRING_CHARS
    assert nodes == 1 + (1 + len(long) // 64) + 1 + 1 + (1 + 130 // 64) + 1
    flat, count = jsonstream._bounded({"a": "short", "b": 2})
    assert count == 3 and flat == {"a": "short", "b": 2}
