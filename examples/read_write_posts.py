"""Posts in and out: a JSON Lines to CSV to JSON Lines round trip that loses nothing.

Run it from the repository root:

    .venv/bin/python examples/read_write_posts.py           # writes into a new temporary directory
    .venv/bin/python examples/read_write_posts.py data/     # writes into data/

It writes posts.jsonl, posts.csv (open it in a spreadsheet), posts-again.jsonl.gz and en.jsonl into the
directory, checks that every post survived each step unchanged, and prints what it wrote.
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
    parser.add_argument("--posts", type=int, default=500, help="how many posts to generate (default: 500)")
    args = parser.parse_args(argv)
    out: Path = args.out if args.out is not None else Path(tempfile.mkdtemp(prefix="consultkit-posts-"))
    out.mkdir(parents=True, exist_ok=True)

    posts = make_consultation(n_posts=args.posts, random_state=0).posts

    # JSON Lines: one post per line, every field kept. Writers return how many records they wrote, and write
    # to a temporary file renamed into place at the end, so a failure never leaves half a file.
    jsonl = out / "posts.jsonl"
    print(f"wrote {ck.write_jsonl(posts, jsonl):,} posts to {jsonl}")

    # CSV: one row per post, for spreadsheets. Readers are lazy and validate every row; a bad row raises
    # DataFormatError naming the file, line and column.
    csv_path = out / "posts.csv"
    print(f"wrote {ck.write_csv(ck.read_jsonl(jsonl), csv_path):,} posts to {csv_path}")

    # Back to JSON Lines, gzip-compressed because the name ends in .gz.
    again = out / "posts-again.jsonl.gz"
    print(f"wrote {ck.write_jsonl(ck.read_csv(csv_path), again):,} posts to {again}")

    # Nothing was lost or changed on the way: the posts compare equal, field by field.
    assert list(ck.read_jsonl(again)) == list(posts), "the round trip changed a post"
    print("round trip: every post came back unchanged")

    # Streaming: filter a file of any size without holding it in memory.
    english = out / "en.jsonl"
    count = ck.write_jsonl((post for post in ck.read_jsonl(jsonl) if post.lang == "en"), english)
    print(f"wrote {count:,} posts in English to {english}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
