"""The documentation's examples run, and its reference pages match the code.

Conventions for code blocks in ``docs/``:

- Every fenced block whose language is ``python`` runs. The blocks of one page run in order, in one namespace,
  in a fresh temporary working directory, as one test per page (the test id is the page's path). A page is
  a script: later blocks use what earlier blocks defined.
- A block marked ``no-run`` is shown but not run. Mark it with an attribute list, which the docs' Markdown
  accepts: ``{ .python .no-run }`` (or ``{ .bash .no-run }``) after the opening backticks. (A bare
  ``python no-run`` would not render as code, and the test of fence headers below refuses it.)
- A ``text`` block that directly follows a block that runs (nothing but blank lines between) is that block's
  expected output: what the block prints must contain it.
- ``bash`` blocks run only on the pages in `SHELL_PAGES`, in order, in one temporary directory, where
  ``consultkit`` runs this interpreter's ``python -m consultkit``.

To refresh the expected output of a page after a deliberate change, run ``python tests/test_docs.py PAGE``
(then review the diff).

The examples run with the test suite's warning filters, so an example that warns fails: give examples
enough data rather than silencing warnings. They run with a throwaway pseudonymisation key file and without
``CONSULTKIT_PSEUDONYM_KEY``, so they never touch the developer's own key.
"""

from __future__ import annotations

import argparse
import builtins
import contextlib
import io
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import attrs
import pytest

import consultkit as ck
from consultkit import _pseudonym
from consultkit.cli import _parser
from consultkit.cli import main as cli_main
from consultkit.summarize import Coverage, QuestionSummary, Quote, RunManifest

DOCS = Path(__file__).resolve().parent.parent / "docs"
SHELL_PAGES = ("how-to/use-the-command-line.md",)

_OPEN = re.compile(r"^(?P<indent>[ \t]*)(?P<ticks>`{3,})(?P<info>[^`]*)$")
_ATTRS = re.compile(r"^\{(?P<body>[^}]*)\}$")
_PLAIN_INFO = re.compile(r'^[\w+-]*(?:\s+\w+="[^"]*")*$')


@dataclass(frozen=True)
class Block:
    """One fenced code block of a page."""

    page: str
    line: int  # 1-based line of the first line of code
    info: str
    code: str

    @property
    def lang(self) -> str:
        match = _ATTRS.match(self.info)
        if match:
            classes = [c[1:] for c in match["body"].split() if c.startswith(".")]
            return classes[0] if classes else ""
        return self.info.split()[0] if self.info else ""

    @property
    def classes(self) -> set[str]:
        match = _ATTRS.match(self.info)
        return {c[1:] for c in match["body"].split() if c.startswith(".")} if match else set()

    @property
    def runs(self) -> bool:
        return "no-run" not in self.classes


def blocks(page: str) -> list[Block]:
    """The fenced code blocks of a page, in order, with their code unindented."""
    lines = (DOCS / page).read_text(encoding="utf-8").splitlines()
    found: list[Block] = []
    i = 0
    while i < len(lines):
        opening = _OPEN.match(lines[i])
        if opening is None:
            i += 1
            continue
        indent, ticks = opening["indent"], opening["ticks"]
        body: list[str] = []
        j = i + 1
        while j < len(lines) and lines[j].strip() != ticks:
            body.append(lines[j][len(indent) :] if lines[j].startswith(indent) else lines[j])
            j += 1
        if j == len(lines):
            raise AssertionError(f"{page}:{i + 1}: code block is never closed")
        found.append(Block(page, i + 2, opening["info"].strip(), "\n".join(body) + "\n"))
        # a following block is "directly after" this one if only blank lines separate them
        i = j + 1
    return found


def expected_output(page: str, block: Block) -> str | None:
    """The ``text`` block directly after ``block``, if there is one."""
    page_blocks = blocks(page)
    lines = (DOCS / page).read_text(encoding="utf-8").splitlines()
    index = page_blocks.index(block)
    if index + 1 == len(page_blocks):
        return None
    following = page_blocks[index + 1]
    closing = block.line + block.code.count("\n") - 1  # 0-based index of the closing fence
    between = lines[closing + 1 : following.line - 2]
    if following.lang == "text" and all(not line.strip() for line in between):
        return following.code.strip("\n")
    return None


def pages() -> list[str]:
    return sorted(p.relative_to(DOCS).as_posix() for p in DOCS.rglob("*.md"))


def python_pages() -> list[str]:
    return [p for p in pages() if any(b.lang == "python" and b.runs for b in blocks(p))]


@pytest.fixture
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A temporary working directory, a throwaway pseudonymisation key, and the environment restored after."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.delenv("CONSULTKIT_PSEUDONYM_KEY", raising=False)
    # the default pseudonymiser is read once per process; make the examples read the throwaway key
    monkeypatch.setattr(_pseudonym, "_default", None)
    saved = dict(os.environ)
    try:
        yield tmp_path
    finally:
        os.environ.clear()
        os.environ.update(saved)


@pytest.mark.parametrize("page", python_pages())
def test_python_examples_run(page: str, isolated: Path) -> None:
    namespace: dict[str, object] = {"__name__": "__docs__"}
    for block in blocks(page):
        if block.lang != "python" or not block.runs:
            continue
        code = compile("\n" * (block.line - 1) + block.code, str(DOCS / page), "exec")
        printed = io.StringIO()
        with contextlib.redirect_stdout(printed):
            exec(code, namespace)
        expected = expected_output(page, block)
        if expected is not None:
            assert expected in printed.getvalue(), f"{page}:{block.line}: output differs from the docs"


@pytest.mark.parametrize("page", SHELL_PAGES)
def test_shell_examples_run(page: str, isolated: Path) -> None:
    prelude = 'set -euo pipefail\nconsultkit() { "$CONSULTKIT_PYTHON" -m consultkit "$@"; }\n'
    env = {**os.environ, "CONSULTKIT_PYTHON": sys.executable}
    ran = 0
    for block in blocks(page):
        if block.lang != "bash" or not block.runs:
            continue
        result = subprocess.run(
            ["bash", "-c", prelude + block.code],
            cwd=isolated,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert result.returncode == 0, f"{page}:{block.line}: exit {result.returncode}\n{result.stderr}"
        expected = expected_output(page, block)
        if expected is not None:
            assert expected in result.stdout, f"{page}:{block.line}: output differs from the docs"
        ran += 1
    assert ran, f"{page} has no bash block to run"


@pytest.mark.parametrize("page", pages())
def test_fence_headers_render(page: str) -> None:
    """A header like ``python no-run`` is not a code block to the docs' Markdown: refuse it."""
    for block in blocks(page):
        assert _PLAIN_INFO.match(block.info) or _ATTRS.match(block.info), (
            f"{page}:{block.line - 1}: write {{ .lang .no-run }} or a plain language, not {block.info!r}"
        )


# -- the reference matches the code ---------------------------------------------------------------------


def section(page: str, anchor: str) -> str:
    """The text of the section whose heading ends in ``{#anchor}``, up to the next heading of its level."""
    text = (DOCS / page).read_text(encoding="utf-8")
    match = re.search(rf"^(#+) .*\{{#{re.escape(anchor)}\}}\s*$", text, re.MULTILINE)
    assert match, f"{page} has no section {{#{anchor}}}"
    level = len(match[1])
    rest = text[match.end() :]
    end = re.search(rf"^#{{1,{level}}} ", rest, re.MULTILINE)
    return rest[: end.start()] if end else rest


def table_names(text: str) -> list[str]:
    """The names in the first column of the (unindented) tables of a section."""
    return re.findall(r"^\| `([\w.-]+)`", text, re.MULTILINE)


MODEL_PAGES = {
    "reference/models.md": (ck.Post, ck.Author, ck.Query, ck.Page),
    "reference/consultation.md": (
        ck.Consultation,
        ck.Question,
        ck.Response,
        ck.Assignment,
        ck.Theme,
        ck.Codebook,
    ),
    "reference/summary.md": (
        ck.Summary,
        Coverage,
        QuestionSummary,
        Quote,
        RunManifest,
    ),
    "reference/personal-data.md": (ck.Redaction,),
}


@pytest.mark.parametrize(
    ("page", "model"),
    [(page, model) for page, models in MODEL_PAGES.items() for model in models],
    ids=lambda value: value if isinstance(value, str) else value.__name__,
)
def test_field_tables_match_models(page: str, model: type) -> None:
    documented = table_names(section(page, model.__name__.lower()))
    actual = [field.name for field in attrs.fields(model) if field.init]
    assert documented == actual


@pytest.mark.parametrize(
    ("page", "enum"),
    [
        ("reference/consultation.md", ck.PolicyStage),
        ("reference/consultation.md", ck.QuestionKind),
        ("reference/consultation.md", ck.MatchReason),
    ],
    ids=lambda value: value if isinstance(value, str) else value.__name__,
)
def test_enum_tables_match_enums(page: str, enum: type) -> None:
    documented = table_names(section(page, enum.__name__.lower()))
    assert documented == [member.name for member in enum]  # type: ignore[attr-defined]


def test_stage_purposes_are_quoted_exactly() -> None:
    text = section("reference/consultation.md", "policystage")
    for stage in ck.PolicyStage:
        assert f"| `{stage.name}` | `{stage.value!r}`".replace("'", '"') in text
        assert f"| {stage.purpose} |" in text


def test_assignment_counts_keys_are_documented() -> None:
    text = section("reference/consultation.md", "assignment")
    documented = re.findall(r"^ {4}\| `(\w+)`", text, re.MULTILINE)
    empty = ck.Assignment(responses=(), unassigned=(), question_posts=(), repeats=0)
    assert documented == list(empty.counts())


def test_every_public_name_is_in_the_reference() -> None:
    reference = "\n".join(
        (DOCS / page).read_text(encoding="utf-8") for page in pages() if page.startswith("reference/")
    )
    missing = [
        name for name in ck.__all__ if name != "__version__" and not re.search(rf"\b{name}\b", reference)
    ]
    assert not missing, f"not in docs/reference/: {missing}"


def test_exception_tree_matches_the_classes() -> None:
    tree = next(b for b in blocks("reference/exceptions.md") if b.lang == "text").code
    drawn: list[tuple[int, str, tuple[str, ...]]] = []
    for line in tree.splitlines():
        match = re.match(r"^(?P<lead>[│├└─ ]*)(?P<name>\w+)(?: \((?P<bases>[\w, ]+)\))?$", line)
        if match:
            bases = tuple(b.strip() for b in (match["bases"] or "").split(",") if b.strip())
            drawn.append((len(match["lead"]) // 4, match["name"], bases))
    parents: dict[int, type] = {}
    for depth, name, extra_bases in drawn:
        cls = getattr(ck, name)
        expected = ([parents[depth - 1]] if depth else []) + [getattr(builtins, b) for b in extra_bases]
        assert list(cls.__bases__) == expected, f"{name}: bases {cls.__bases__}, the tree says {expected}"
        parents[depth] = cls
    exported = {
        name
        for name in ck.__all__
        if isinstance(getattr(ck, name), type) and issubclass(getattr(ck, name), (Exception, Warning))
    }
    assert {name for _, name, _ in drawn} == exported


CLI_PAGE = "reference/cli.md"


def _help(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    with pytest.raises(SystemExit) as exit_info:
        cli_main([*args, "--help"])
    assert exit_info.value.code == 0
    return capsys.readouterr().out


def test_cli_reference_lists_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    commands = re.findall(r"^ {4}(\w+)", _help(capsys).split("commands:")[1].split("\n\n")[0], re.MULTILINE)
    documented = re.findall(r"^## `consultkit (\w+)` \{#\w+\}$", (DOCS / CLI_PAGE).read_text(), re.MULTILINE)
    assert sorted(commands) == sorted(documented)


def _cli_commands() -> list[str]:
    """Every subcommand the parser knows (aliases once), so a new command is checked without editing here."""
    action = next(a for a in _parser()._actions if isinstance(a, argparse._SubParsersAction))
    names: dict[int, str] = {}
    for name, subparser in action.choices.items():
        names.setdefault(id(subparser), name)
    return sorted(names.values())


@pytest.mark.parametrize("command", _cli_commands())
def test_cli_reference_lists_every_option(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    options = set(re.findall(r"(?<![\w-])(--[a-z][\w-]*)", _help(capsys, command))) - {"--help"}
    text = section(CLI_PAGE, command)
    missing = sorted(option for option in options if option not in text)
    assert not missing, f"consultkit {command}: options not in {CLI_PAGE}: {missing}"


# -- keeping expected output in step ---------------------------------------------------------------------


def update_outputs(page: str) -> list[int]:
    """Run a page's python blocks and rewrite its expected-output blocks with what they print.

    Returns the line numbers of the blocks that changed. Review the diff: a changed number in a tutorial is
    a changed behaviour.
    """
    path = DOCS / page
    lines = path.read_text(encoding="utf-8").splitlines()
    namespace: dict[str, object] = {"__name__": "__docs__"}
    page_blocks = blocks(page)
    changes: list[tuple[int, int, list[str]]] = []
    for index, block in enumerate(page_blocks):
        if block.lang != "python" or not block.runs:
            continue
        printed = io.StringIO()
        with contextlib.redirect_stdout(printed):
            exec(compile("\n" * (block.line - 1) + block.code, str(path), "exec"), namespace)
        if expected_output(page, block) is not None:
            following = page_blocks[index + 1]
            changes.append((following.line - 1, following.code.count("\n"), printed.getvalue().splitlines()))
    changed = []
    for start, length, new in reversed(changes):
        if lines[start : start + length] != new:
            changed.append(start + 1)
            lines[start : start + length] = new
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return sorted(changed)


if __name__ == "__main__":
    # python tests/test_docs.py PAGE...   (PAGE relative to docs/, e.g. tutorial/first-consultation.md)
    import tempfile

    for name in sys.argv[1:]:
        with tempfile.TemporaryDirectory() as scratch:
            os.chdir(scratch)  # as the tests do: a fresh directory and a throwaway key
            os.environ["XDG_CONFIG_HOME"] = scratch
            os.environ.pop("CONSULTKIT_PSEUDONYM_KEY", None)
            print(f"{name}: updated output at lines {update_outputs(name)}")
