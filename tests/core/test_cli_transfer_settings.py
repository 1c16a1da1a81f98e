"""The CLI's transfer options: unset, they are the engine's own defaults (the GUI's), and its help says which."""

from __future__ import annotations

import pytest

from planet_gui import cli
from planet_gui.core.transfer import TransferSettings
from planet_gui.core.transfer.sizing import MiB


def _settings(*argv: str) -> TransferSettings:
    args = cli.build_parser().parse_args(["upload", "file.csv", *argv])
    settings = cli._transfer_settings(args)
    assert isinstance(settings, TransferSettings)
    return settings


def test_unset_options_are_the_engines_defaults() -> None:
    defaults = TransferSettings()
    got = _settings()
    assert (got.concurrency, got.file_concurrency, got.part_size) == \
        (defaults.concurrency, defaults.file_concurrency, defaults.part_size)


def test_given_options_win_and_concurrency_covers_files_too() -> None:
    got = _settings("--concurrency", "2", "--part-size", "5")
    assert (got.concurrency, got.file_concurrency, got.part_size) == (2, 2, 5 * MiB)
    with pytest.raises(cli.UsageError, match="part-size"):
        _settings("--part-size", "4")


def test_the_help_states_the_engines_defaults(capsys: pytest.CaptureFixture[str]) -> None:
    defaults = TransferSettings()
    with pytest.raises(SystemExit):
        cli.build_parser().parse_args(["upload", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert f"(default {defaults.concurrency} parts, {defaults.file_concurrency} files)" in text
    assert f"(default {defaults.part_size // MiB})" in text
