"""A consultation from start to finish: generate, collect, file, summarise, report.

Run it from the repository root:

    .venv/bin/python examples/demo_consultation.py            # writes into a new temporary directory
    .venv/bin/python examples/demo_consultation.py reports/   # writes into reports/
    .venv/bin/python examples/demo_consultation.py --posts 5000 --seed 1 reports/

It writes report.html (open it in a browser), report.md and summary.json into the directory, prints the
filing counts and ends with the report's path. Everything is synthetic and offline: the posts come from
`consultkit.testing.make_consultation` and are served by the in-memory network, which pages its results like
a real network would.
"""

from __future__ import annotations

import argparse
import tempfile
from collections.abc import Sequence
from pathlib import Path

import consultkit as ck
from consultkit.testing import make_consultation


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("out", nargs="?", type=Path, help="output directory (default: a new temporary one)")
    parser.add_argument("--posts", type=int, default=1000, help="how many posts to generate (default: 1000)")
    parser.add_argument("--seed", type=int, default=0, help="random_state (default: 0)")
    args = parser.parse_args(argv)
    out: Path = args.out if args.out is not None else Path(tempfile.mkdtemp(prefix="consultkit-demo-"))
    out.mkdir(parents=True, exist_ok=True)

    # 1. A synthetic consultation: its questions, and posts answering them on several networks. The same
    #    random_state gives the same posts, so the report below is the same on every run.
    demo = make_consultation(n_posts=args.posts, random_state=args.seed)
    consultation = demo.consultation
    stage = consultation.stage.value
    print(f"{consultation.title!r}: {len(consultation.questions)} questions, policy stage {stage!r}")

    # 2. Collect. A query built from the questions' own hashtags and keywords finds what a hashtag or keyword
    #    search on a real network would. Real networks share this interface: only the name and options change.
    source = ck.network("memory", posts=demo.posts)
    query = ck.Query(
        hashtags=[tag for question in consultation.questions for tag in question.hashtags],
        terms=[word for question in consultation.questions for word in question.keywords],
    )
    posts = list(source.search(query))
    print(f"collected {len(posts):,} of the {len(demo.posts):,} posts by hashtag and keyword")

    # 3. File the posts under the questions they answer. Nothing is dropped: posts that match no question,
    #    repeats and posts outside the consultation's dates are kept and counted.
    assignment = consultation.assign(posts)
    for name, count in assignment.counts().items():
        print(f"  {name.replace('_', ' '):<16} {count:>6,}")

    # 4. Summarise: coverage, responses per question, verbatim quotes free of personal data, and caveats.
    summary = ck.summarize(assignment, consultation, random_state=args.seed)
    for question in summary.questions:
        print(f"  {question.id:<12} {question.responses:>6,} responses, {len(question.quotes)} quotes")

    # 5. Report. to_html() and to_markdown() return text to put where you like; to_json(path) also writes
    #    the summary, atomically, for other tools to read.
    (out / "report.md").write_text(summary.to_markdown(), encoding="utf-8")
    summary.to_json(out / "summary.json")
    report = out / "report.html"
    report.write_text(summary.to_html(), encoding="utf-8")
    print(f"report: {report.resolve()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
