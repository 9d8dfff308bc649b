"""The command line: the demo end to end, data commands on pipes, one-line errors."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

import consultkit as ck
from consultkit.cli import main


def test_demo_writes_reports_and_prints_where(tmp_path, capsys):
    out = tmp_path / "demo"
    assert main(["demo", "--out", str(out), "--posts", "400"]) == 0
    printed = capsys.readouterr()
    assert printed.out.strip() == f"report: {(out / 'report.html').resolve()}"
    assert "collected" in printed.err
    assert "filed" in printed.err
    for name in ("report.html", "report.md", "summary.json", "posts.jsonl", "consultation.json"):
        assert (out / name).stat().st_size > 0
    summary = ck.Summary.from_dict(json.loads((out / "summary.json").read_text(encoding="utf-8")))
    assert summary.coverage.contributions > 0
    assert "not a poll" in (out / "report.html").read_text(encoding="utf-8")


def test_demo_is_deterministic(tmp_path, capsys):
    for name in ("a", "b"):
        assert main(["demo", "--out", str(tmp_path / name), "--posts", "300", "--seed", "7"]) == 0
    for report in ("report.html", "report.md", "summary.json", "posts.jsonl"):
        assert (tmp_path / "a" / report).read_bytes() == (tmp_path / "b" / report).read_bytes()


def test_generate_assign_summarize_convert_compose(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["generate", "--posts", "300", "-c", "c.json"]) == 0
    lines = capsys.readouterr().out.splitlines()
    posts = [ck.Post.from_dict(json.loads(line)) for line in lines]
    assert len(posts) >= 300
    (tmp_path / "p.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")

    assert main(["assign", "c.json", "p.jsonl"]) == 0
    captured = capsys.readouterr()
    responses = [ck.Response.from_dict(json.loads(line)) for line in captured.out.splitlines()]
    assert responses
    assert "unassigned" in captured.err

    assert main(["convert", "p.jsonl", "p.csv"]) == 0
    assert list(ck.read_csv(tmp_path / "p.csv")) == posts

    assert main(["summarize", "p.csv", "-c", "c.json", "-o", "r.md"]) == 0
    assert (tmp_path / "r.md").read_text(encoding="utf-8").startswith("# ")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["assign", "missing.json", "p.jsonl"], "No such file"),
        (["summarize", "p.jsonl", "-o", "report.pdf"], "unknown report type"),
        (["convert", "p.jsonl", "p.xml"], "unknown file type"),
        (["assign", "bad.json", "p.jsonl"], "bad.json, line 1, field 'Consultation.questions'"),
        (["summarize", "broken.jsonl", "-o", "r.html"], "broken.jsonl, line 2, field 'created_at'"),
        (["demo", "--posts", "-5", "--out", "d"], "n_posts"),
    ],
)
def test_errors_are_one_line_and_exit_1(tmp_path, capsys, monkeypatch, argv, message):
    monkeypatch.chdir(tmp_path)
    post = {"network": "x", "id": "1", "text": "hi", "created_at": "2026-01-01T00:00:00Z"}
    (tmp_path / "p.jsonl").write_text(json.dumps(post) + "\n", encoding="utf-8")
    (tmp_path / "broken.jsonl").write_text(
        json.dumps(post) + "\n" + json.dumps({**post, "created_at": "2026-01-01T00:00:00"}) + "\n",
        encoding="utf-8",
    )
    (tmp_path / "bad.json").write_text(
        json.dumps({"id": "c", "title": "t", "questions": []}), encoding="utf-8"
    )
    assert main(argv) == 1
    lines = capsys.readouterr().err.strip().splitlines()
    assert lines[-1].startswith("consultkit: error: ")
    assert message in lines[-1]
    assert sum("error" in line for line in lines) == 1
    assert not any("Traceback" in line for line in lines)


def test_help_and_version_and_missing_command(capsys):
    with pytest.raises(SystemExit) as exit_help:
        main(["--help"])
    assert exit_help.value.code == 0
    help_text = capsys.readouterr().out
    for command in ("demo", "generate", "assign", "summarize", "convert", "networks"):
        assert command in help_text
    with pytest.raises(SystemExit) as exit_none:
        main([])
    assert exit_none.value.code == 2


def test_warnings_print_as_one_line(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    post = {"network": "x", "id": "1", "text": "A single contribution.", "created_at": "2026-01-01T00:00:00Z"}
    (tmp_path / "p.jsonl").write_text(json.dumps(post) + "\n", encoding="utf-8")
    assert main(["summarize", "p.jsonl", "-o", "r.html"]) == 0
    err = capsys.readouterr().err
    assert (
        err.strip()
        == "consultkit: warning: only 1 contributions: read this summary as anecdote, not evidence"
    )


def test_networks_lists_the_registry(capsys):
    assert main(["networks"]) == 0
    assert "memory" in capsys.readouterr().out.split()


def test_python_dash_m_runs_the_same_command():
    result = subprocess.run(
        [sys.executable, "-m", "consultkit", "--version"], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == f"consultkit {ck.__version__}"
