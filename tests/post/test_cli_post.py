"""`safespace post check`: from a file or standard input, plain text or JSON, with a clear error for input
that is not a draft; nothing written anywhere."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest

from checks import cli

EXAMPLE = "Struggling with an 8 year old boy I see at school on Fridays - he only wants to paint."


def run(argv: list[str], stdin: bytes = b"", monkeypatch: pytest.MonkeyPatch | None = None) -> int:
    if monkeypatch is not None:
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8"))
    return cli.main(argv)


def test_check_a_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    draft = tmp_path / "draft.txt"
    draft.write_text(EXAMPLE, encoding="utf-8")
    assert cli.main(["post", "check", str(draft), "--where", "large_group"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Could identify a client\n")
    assert "an age and a gender" in out and "“Fridays”" in out and "Say “a young client”" in out
    assert "Social media is not supervision and not a peer group" in out
    assert "hcpc-uk.co.uk" in out and "bacp.co.uk" in out and "counseling.org" in out
    assert "cannot know what a reader already knows" in out


def test_check_standard_input_as_json(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["post", "check", "--json"], EXAMPLE.encode(), monkeypatch) == 0
    d = json.loads(capsys.readouterr().out)
    assert d["severity"] == "high" and d["where"] == "public"
    kinds = {f["data"].get("kind") for f in d["findings"]}
    assert {"age_gender", "setting", "weekday", "said"} <= kinds
    assert all("spans" in f["data"] for f in d["findings"] if f["category"] != "where")


def test_nothing_found(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["post", "check", "-"], b"Lovely walk this morning.", monkeypatch) == 0
    assert capsys.readouterr().out.startswith("Nothing found")


def test_terminal_control_characters_are_made_harmless(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["post", "check", "-"], b"my client Tom\x1b[2J is 8", monkeypatch) == 0
    assert "\x1b" not in capsys.readouterr().out


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "there is no such file"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "is not text"),
        (b"a" * 500_000, "too long"),
    ],
)
def test_input_that_is_not_a_draft(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes | None, message: str
) -> None:
    path = tmp_path / "draft.txt"
    if content is not None:
        path.write_bytes(content)
    assert cli.main(["post", "check", str(path)]) == cli.EXIT_FAILED
    assert message in capsys.readouterr().err


def test_a_folder_is_not_a_draft(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["post", "check", str(tmp_path)]) == cli.EXIT_FAILED
    assert "folder" in capsys.readouterr().err


def test_windows_text_is_read(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "draft.txt"
    path.write_bytes("My client, aged 8, loves caf\xe9s".encode("cp1252"))
    assert cli.main(["post", "check", str(path), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["severity"] in ("medium", "high")


def test_an_unknown_destination_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        cli.main(["post", "check", "--where", "moon"])
    assert exc.value.code == 2


def test_nothing_is_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:  # type: ignore[no-untyped-def]
    import os

    home = Path(os.environ["SAFESPACE_HOME"])
    before = sorted(home.rglob("*"))
    assert run(["post", "check", "-"], EXAMPLE.encode(), monkeypatch) == 0
    assert sorted(home.rglob("*")) == before
