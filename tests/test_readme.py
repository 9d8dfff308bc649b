"""The README's Python example runs as written."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import consultkit as ck

README = Path(__file__).resolve().parent.parent / "README.md"


def test_readme_python_example_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = README.read_text(encoding="utf-8")
    blocks = re.findall(r"^```python\n(.*?)^```", text, re.MULTILINE | re.DOTALL)
    assert blocks, "the README has no python example"
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, object] = {}
    for block in blocks:
        exec(compile(block, str(README), "exec"), namespace)  # our own documentation
    summary = namespace["summary"]
    assert isinstance(summary, ck.Summary)
    assert "not a poll" in str(namespace["html"])
    assert summary.coverage.repeats > 0  # replies found both by the search and in their thread, counted once
