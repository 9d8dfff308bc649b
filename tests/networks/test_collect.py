"""``consultkit collect``: JSONL to stdout or into a store, tokens from the environment and never shown."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

import consultkit as ck
from consultkit.cli import main
from consultkit.testing._faults import FakeMastodon, FaultServer

SECRET = "tok-do-not-print-7f3a"


@pytest.fixture
def server() -> object:
    with FaultServer(FakeMastodon(120)) as running:
        yield running


def test_collect_writes_jsonl_to_stdout(
    server: FaultServer, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CONSULTKIT_MASTODON_TOKEN", SECRET)
    assert (
        main(["collect", "mastodon", "--hashtag", "#BusLanes", "--instance", server.url, "--limit", "50"])
        == 0
    )
    out, err = capsys.readouterr()
    posts = list(ck.read_jsonl(io.StringIO(out)))
    assert len(posts) == 50
    assert posts[0].network == "mastodon"
    assert "collected 50 posts from mastodon" in err
    assert SECRET not in out + err


def test_collect_window(server: FaultServer, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["collect", "mastodon", "--hashtag", "buslanes", "--instance", server.url]
    assert main([*args, "--since", "2025-03-01T01:00:00Z", "--until", "2025-03-01T01:30:00+00:00"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 30
    assert {json.loads(line)["created_at"][:13] for line in lines} == {"2025-03-01T01"}


def test_collect_into_a_store_resumes_and_does_not_repeat(server: FaultServer, tmp_path: Path) -> None:
    db = str(tmp_path / "harvest.db")
    args = ["collect", "mastodon", "--hashtag", "buslanes", "--instance", server.url, "--store", db]
    assert main(args) == 0
    assert main(args) == 0  # a finished harvest starts again; the store keeps one copy of each post
    with ck.Store(db) as store:
        assert len(list(store.posts(network="mastodon"))) == 120


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["collect", "mastodon"], "at least one --hashtag or --term"),
        (["collect", "memory", "--hashtag", "x"], "not a network to collect from"),
        (["collect", "mastodon", "--hashtag", "x", "--subreddit", "bristol"], "for reddit only"),
    ],
)
def test_collect_refuses_what_it_cannot_do(argv: list[str], message: str) -> None:
    with pytest.raises(SystemExit, match=message):
        main(argv)


def test_a_bad_time_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["collect", "mastodon", "--hashtag", "x", "--since", "2025-03-01T10:00"])
    assert "ISO 8601 time with a zone" in capsys.readouterr().err
