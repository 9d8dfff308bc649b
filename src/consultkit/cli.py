"""The ``consultkit`` command: a thin shell over the library's public functions.

argparse (standard library) is enough for a handful of subcommands and keeps the base install small.
Data commands write JSONL to stdout so they compose with pipes; messages go to stderr; an error is one
line and a non-zero exit status, never a traceback.
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
import time
import warnings
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TextIO

from ._consultation import Consultation
from ._exceptions import ConsultkitError, ConsultkitWarning, DataFormatError, ModelValidationError
from ._io import open_atomic, read_csv, read_jsonl, write_csv, write_jsonl
from ._models import Post, Query
from ._version import __version__
from .networks import available_networks
from .networks._collect import add_collect_command
from .networks.memory import MemoryNetwork
from .store._cli import add_store_command
from .summarize import Summary, summarize
from .testing import make_consultation

__all__ = ["main"]

EPILOG = """examples:
  consultkit demo                                   run the bundled demo consultation, write a report
  consultkit generate --posts 500 > posts.jsonl     make a synthetic consultation's posts
  consultkit assign consultation.json posts.jsonl   file posts as responses (JSONL out)
  consultkit summarize posts.jsonl -c consultation.json -o report.html

docs: https://consultkit.readthedocs.io"""


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("always", ConsultkitWarning)
            warnings.showwarning = _show_warning
            status: int = args.run(args)
    except (ConsultkitError, OSError, ValueError) as exc:
        print(f"consultkit: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("consultkit: interrupted", file=sys.stderr)
        return 130
    return status


def _show_warning(message: Warning | str, *args: object, **kwargs: object) -> None:
    """Warnings as one line, like errors, without a source location."""
    print(f"consultkit: warning: {message}", file=sys.stderr)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="consultkit",
        description="Run policy consultations through social media: collect posts, file them as "
        "responses to questions, summarise them for each stage of policymaking.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"consultkit {__version__}")
    commands = parser.add_subparsers(title="commands", metavar="COMMAND", required=True)

    demo = commands.add_parser(
        "demo",
        help="run the bundled demo consultation end to end and write a report",
        description="Generate a synthetic consultation, harvest it from an in-memory network, file the "
        "posts as responses, summarise them and write report.html, report.md, summary.json and "
        "posts.jsonl into the output directory.",
    )
    demo.add_argument(
        "--out", type=Path, default=Path("consultkit-demo"), help="output directory (default: %(default)s)"
    )
    demo.add_argument(
        "--posts", type=int, default=2000, help="number of posts to generate (default: %(default)s)"
    )
    demo.add_argument(
        "--seed", type=int, default=0, help="random_state for generation and summary (default: %(default)s)"
    )
    demo.set_defaults(run=_demo)

    generate = commands.add_parser(
        "generate",
        help="write a synthetic consultation's posts as JSONL",
        description="Write the posts of a synthetic consultation to stdout as JSONL, and optionally the "
        "consultation itself as JSON.",
    )
    generate.add_argument("--posts", type=int, default=1000, help="number of posts (default: %(default)s)")
    generate.add_argument("--seed", type=int, default=0, help="random_state (default: %(default)s)")
    generate.add_argument("-c", "--consultation", type=Path, help="also write the consultation as JSON here")
    generate.set_defaults(run=_generate)

    assign = commands.add_parser(
        "assign",
        help="file posts as responses to a consultation's questions (JSONL out)",
        description="Read a consultation (JSON) and posts (JSONL or CSV), write one response per line to "
        "stdout; counts of unassigned, out-of-window and repeated posts go to stderr.",
    )
    assign.add_argument("consultation", type=Path, help="consultation JSON file")
    assign.add_argument("posts", type=Path, help="posts file (.jsonl, .jsonl.gz or .csv)")
    assign.set_defaults(run=_assign)

    summary = commands.add_parser(
        "summarize",
        aliases=["summarise"],
        help="summarise posts into a report (HTML, Markdown or JSON)",
        description="Summarise posts, filed under a consultation's questions when one is given. The "
        "report format follows the output file's extension (.html, .md, .json).",
    )
    summary.add_argument("posts", type=Path, help="posts file (.jsonl, .jsonl.gz or .csv)")
    summary.add_argument("-c", "--consultation", type=Path, help="consultation JSON file")
    summary.add_argument("-o", "--out", type=Path, required=True, help="report file: .html, .md or .json")
    summary.add_argument("--seed", type=int, default=0, help="random_state (default: %(default)s)")
    summary.set_defaults(run=_summarize)

    convert = commands.add_parser(
        "convert",
        help="convert posts between JSONL and CSV",
        description="Convert a posts file; formats follow the extensions (.jsonl, .jsonl.gz, .csv).",
    )
    convert.add_argument("source", type=Path)
    convert.add_argument("target", type=Path)
    convert.set_defaults(run=_convert)

    networks = commands.add_parser("networks", help="list the networks consultkit can collect from")
    networks.set_defaults(run=_networks)
    add_collect_command(commands)
    add_store_command(commands)
    return parser


def _demo(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    _say(f"generating a synthetic consultation with {args.posts:,} posts (seed {args.seed})")
    synthetic = make_consultation(n_posts=args.posts, random_state=args.seed)
    consultation = synthetic.consultation
    source = MemoryNetwork(synthetic.posts)
    query = Query(
        hashtags=[tag for q in consultation.questions for tag in q.hashtags],
        terms=[word for q in consultation.questions for word in q.keywords],
    )
    threads = [source.replies(ref) for question in consultation.questions for ref in question.asked_in]
    posts = _collect(itertools.chain(source.search(query), *threads))
    _say(f"collected {len(posts):,} posts (hashtags, keywords and reply threads) from the memory network")
    assignment = consultation.assign(posts)
    counts = assignment.counts()
    _say(
        f"filed {counts['responses']:,} responses to {len(consultation.questions)} questions; "
        f"{counts['unassigned']:,} unassigned, {counts['out_of_window']:,} outside the dates (kept)"
    )
    summary = summarize(assignment, consultation, random_state=args.seed)
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    write_jsonl(posts, out / "posts.jsonl")
    _write_text(out / "consultation.json", _json(consultation.to_dict()))
    report = _write_report(summary, out / "report.html")
    _write_report(summary, out / "report.md")
    _write_report(summary, out / "summary.json")
    _say(f"done in {time.perf_counter() - started:.1f}s; also wrote report.md, summary.json, posts.jsonl")
    print(f"report: {report.resolve()}")
    return 0


def _collect(stream: Iterable[Post]) -> list[Post]:
    """Harvest every post of a stream, with a progress line on a terminal."""
    posts: list[Post] = []
    for post in stream:
        posts.append(post)
        if sys.stderr.isatty() and len(posts) % 500 == 0:
            print(f"\rcollecting: {len(posts):,} posts", end="", file=sys.stderr, flush=True)
    if sys.stderr.isatty():
        print(file=sys.stderr)
    return posts


def _generate(args: argparse.Namespace) -> int:
    synthetic = make_consultation(n_posts=args.posts, random_state=args.seed)
    if args.consultation is not None:
        _write_text(args.consultation, _json(synthetic.consultation.to_dict()))
    write_jsonl(synthetic.posts, sys.stdout)
    return 0


def _assign(args: argparse.Namespace) -> int:
    consultation = _read_consultation(args.consultation)
    assignment = consultation.assign(_read_posts(args.posts))
    write_jsonl(assignment.responses, sys.stdout)
    _say(", ".join(f"{k.replace('_', ' ')} {v:,}" for k, v in assignment.counts().items()))
    return 0


def _summarize(args: argparse.Namespace) -> int:
    _report_kind(args.out)
    consultation = _read_consultation(args.consultation) if args.consultation else None
    summary = summarize(_read_posts(args.posts), consultation, random_state=args.seed)
    print(f"report: {_write_report(summary, args.out).resolve()}")
    return 0


def _convert(args: argparse.Namespace) -> int:
    _kind(args.target)
    posts = _read_posts(args.source)
    count = write_csv(posts, args.target) if _kind(args.target) == "csv" else write_jsonl(posts, args.target)
    _say(f"wrote {count:,} posts to {args.target}")
    return 0


def _networks(args: argparse.Namespace) -> int:
    print("\n".join(available_networks()))
    return 0


def _kind(path: Path) -> str:
    name = path.name.lower()
    for suffix, kind in ((".csv", "csv"), (".jsonl", "jsonl"), (".ndjson", "jsonl")):
        if name.endswith((suffix, suffix + ".gz")):
            return kind
    raise ValueError(f"{path}: unknown file type; use .jsonl, .ndjson or .csv, optionally with .gz")


def _read_posts(path: Path) -> list[Post]:
    return list(read_csv(path) if _kind(path) == "csv" else read_jsonl(path))


def _read_consultation(path: Path) -> Consultation:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise DataFormatError(str(path), exc.lineno, "<json>", f"not valid JSON: {exc.msg}") from None
    try:
        return Consultation.from_dict(data)
    except ModelValidationError as exc:
        raise DataFormatError(str(path), 1, f"{exc.model}.{exc.field}", exc.problem, exc.value) from None


def _report_kind(path: Path) -> str:
    kinds = {".html": "html", ".htm": "html", ".md": "markdown", ".markdown": "markdown", ".json": "json"}
    try:
        return kinds[path.suffix.lower()]
    except KeyError:
        raise ValueError(f"{path}: unknown report type; use .html, .md or .json") from None


def _write_report(summary: Summary, path: Path) -> Path:
    kind = _report_kind(path)
    if kind == "json":
        summary.to_json(path)
    else:
        _write_text(path, summary.to_html() if kind == "html" else summary.to_markdown())
    return path


def _json(data: object) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def _write_text(path: Path, text: str) -> None:
    with open_atomic(path) as handle:
        handle.write(text)


def _say(message: str, stream: TextIO | None = None) -> None:
    print(message, file=stream or sys.stderr)
