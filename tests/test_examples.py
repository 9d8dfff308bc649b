"""The scripts in ``examples/`` run as their docstrings say, and write what they say they write.

Each runs in a fresh interpreter (``sys.executable -W error``, so a warning fails it as in the test
suite) with a temporary working directory and no pseudonymisation key of the developer's.
"""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
from pathlib import Path

import consultkit as ck

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def run(script: str, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "XDG_CONFIG_HOME": str(cwd / "config"), "TMPDIR": str(cwd)}
    env.pop("CONSULTKIT_PSEUDONYM_KEY", None)
    result = subprocess.run(
        [sys.executable, "-W", "error", str(EXAMPLES / script), *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, f"{script} exited {result.returncode}\n{result.stdout}\n{result.stderr}"
    return result


def test_every_example_is_tested() -> None:
    assert sorted(p.name for p in EXAMPLES.glob("*.py")) == ["demo_consultation.py", "read_write_posts.py"]


def test_demo_consultation_writes_a_report(tmp_path: Path) -> None:
    out = tmp_path / "reports"
    result = run("demo_consultation.py", "--posts", "600", str(out), cwd=tmp_path)

    report = out / "report.html"
    assert result.stdout.strip().splitlines()[-1] == f"report: {report.resolve()}"
    html = report.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>")
    assert "This is not a poll." in html
    assert (out / "report.md").read_text(encoding="utf-8").startswith("# ")
    summary = ck.Summary.from_dict(json.loads((out / "summary.json").read_text(encoding="utf-8")))
    assert summary.manifest.random_state == 0
    for name in ("posts in", "responses", "unassigned", "repeats", "out of window"):
        assert f"  {name} " in result.stdout


def test_demo_consultation_is_deterministic(tmp_path: Path) -> None:
    run("demo_consultation.py", "--posts", "400", "one", cwd=tmp_path)
    run("demo_consultation.py", "--posts", "400", "two", cwd=tmp_path)
    for name in ("report.html", "report.md", "summary.json"):
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes()


def test_demo_consultation_defaults_to_a_temporary_directory(tmp_path: Path) -> None:
    result = run("demo_consultation.py", "--posts", "300", cwd=tmp_path)
    report = Path(result.stdout.strip().splitlines()[-1].removeprefix("report: "))
    assert report.name == "report.html"
    assert report.is_file()
    assert report.parent.parent == tmp_path.resolve()  # mkdtemp under TMPDIR


def test_read_write_posts_round_trips(tmp_path: Path) -> None:
    out = tmp_path / "data"
    result = run("read_write_posts.py", "--posts", "300", str(out), cwd=tmp_path)

    assert "round trip: every post came back unchanged" in result.stdout
    posts = list(ck.read_jsonl(out / "posts.jsonl"))
    assert len(posts) == 300
    assert list(ck.read_csv(out / "posts.csv")) == posts
    with gzip.open(out / "posts-again.jsonl.gz", "rt", encoding="utf-8") as handle:
        assert sum(1 for _ in handle) == 300
    english = list(ck.read_jsonl(out / "en.jsonl"))
    assert english == [post for post in posts if post.lang == "en"]
    assert f"wrote {len(english):,} posts in English" in result.stdout
