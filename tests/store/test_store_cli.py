"""``consultkit store init|stats|export|import`` end to end, on a SQLite file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import consultkit as ck
from consultkit.cli import main


@pytest.fixture
def posts_file(tmp_path: Path) -> Path:
    posts = [
        ck.Post(
            network="mastodon", id=str(n), text=f"Comment {n} #BusLanes", created_at="2025-03-01T09:00:00Z"
        )
        for n in range(25)
    ]
    path = tmp_path / "posts.jsonl"
    ck.write_jsonl(posts, path)
    return path


def test_init_creates_a_store_at_the_latest_schema(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = str(tmp_path / "new.db")
    assert main(["store", "init", "--store", url]) == 0
    assert capsys.readouterr().out == f"{url}: sqlite store at schema version 2\n"


def test_import_then_stats_then_export(
    tmp_path: Path, posts_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = str(tmp_path / "cli.db")
    assert main(["store", "import", "--store", url, str(posts_file)]) == 0
    assert "25 new posts, 0 updated" in capsys.readouterr().err
    assert main(["store", "import", "--store", url, str(posts_file)]) == 0
    assert "0 new posts, 0 updated" in capsys.readouterr().err
    assert main(["store", "stats", "--store", url, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["posts"] == 25
    assert main(["store", "stats", "--store", url]) == 0
    assert "posts                     25" in capsys.readouterr().out
    assert main(["store", "export", "--store", url]) == 0
    assert [json.loads(line)["id"] for line in capsys.readouterr().out.splitlines()] == [
        str(n) for n in range(25)
    ]
    assert main(["store", "export", "--store", url, "-o", str(tmp_path / "out.csv")]) == 0
    assert list(ck.read_csv(tmp_path / "out.csv")) == list(ck.read_jsonl(posts_file))


def test_a_bad_line_imports_nothing(
    tmp_path: Path, posts_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = str(tmp_path / "bad.db")
    broken = tmp_path / "broken.jsonl"
    broken.write_text(posts_file.read_text(encoding="utf-8") + '{"network": "x"}\n', encoding="utf-8")
    assert main(["store", "import", "--store", url, str(broken)]) == 1
    assert "broken.jsonl, line 26" in capsys.readouterr().err
    with ck.Store(url) as store:
        assert store.stats()["posts"] == 0


def test_export_review_changes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = str(tmp_path / "review.db")
    consultation = ck.Consultation(
        id="c1", title="Bus lanes", questions=[ck.Question(id="q1", text="Views?")]
    )
    response = ck.Response(
        post=ck.Post(network="mastodon", id="1", text="Yes", created_at="2025-03-01T09:00:00Z"),
        question_id="q1",
        matched_by="hashtag",
    )
    with ck.Store(url) as store:
        store.save_consultation(consultation)
        store.save_themes("c1", [ck.Theme(id=0, label="Support")], [response], [0])
        store.review("c1", analyst="j.smith").flag(response, note="check")
    assert main(["store", "export", "--store", url, "--review", "c1"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("kind,theme_id,machine_label")
    assert out[1].startswith("response,0,,,,,mastodon,1,q1,0,False,True,1,j.smith,")
    assert main(["store", "export", "--store", url, "--review", "c1", "-o", str(tmp_path / "r.json")]) == 0
    assert json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))[0]["flagged"] is True


def test_errors_are_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["store", "stats", "--store", "mysql://root:hunter2@db/x"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("consultkit: error: unsupported store URL scheme 'mysql'")
    assert "hunter2" not in err
    assert main(["store", "import", "--store", str(tmp_path / "x.db"), str(tmp_path / "posts.txt")]) == 1
    assert "unknown file type" in capsys.readouterr().err
