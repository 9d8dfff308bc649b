"""``consultkit store init|stats|export|import``: create, inspect, dump and fill a store from the shell."""

from __future__ import annotations

import argparse
import itertools
import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .._io import read_csv, read_jsonl, write_csv, write_jsonl
from .._models import Post
from ._store import Store

__all__ = ["add_store_command"]

STORE_HELP = "the store: a SQLite file or sqlite:///path, or postgresql://user@host/db (default: %(default)s)"


def add_store_command(commands: Any) -> None:
    """Register ``store`` and its four actions on the CLI's sub-command parsers."""
    store = commands.add_parser(
        "store",
        help="create a store, show what it holds, export or import its posts",
        description="Work with a store: a SQLite file (the default) or a PostgreSQL database shared by a "
        "team. Opening an older store upgrades its schema.",
        epilog="The store defaults to $CONSULTKIT_STORE, else consultkit.db. Put a PostgreSQL password in "
        "~/.pgpass or $PGPASSWORD rather than in the URL; consultkit never prints it either way.",
    )
    actions = store.add_subparsers(title="actions", metavar="ACTION", required=True)
    default = os.environ.get("CONSULTKIT_STORE", "consultkit.db")

    def action(name: str, help: str, run: Any) -> argparse.ArgumentParser:
        parser: argparse.ArgumentParser = actions.add_parser(
            name, help=help, description=help[0].upper() + help[1:] + "."
        )
        parser.add_argument("--store", default=default, help=STORE_HELP)
        parser.set_defaults(run=run)
        return parser

    action("init", "create the store, or upgrade an older one", _init)
    stats = action("stats", "count what the store holds", _stats)
    stats.add_argument("--json", action="store_true", help="print the counts as JSON")
    export = action("export", "write the store's posts, or one consultation's review changes", _export)
    export.add_argument(
        "-o", "--out", type=Path, help="output file: .jsonl, .jsonl.gz or .csv (default: stdout)"
    )
    export.add_argument(
        "--review",
        metavar="CONSULTATION",
        help="export where analysts changed the machine's themes in this consultation (.csv or .json)",
    )
    imported = action("import", "add posts from JSONL or CSV files, all in one transaction", _import)
    imported.add_argument("files", nargs="+", type=Path, help="posts files (.jsonl, .jsonl.gz or .csv)")


def _init(args: argparse.Namespace) -> int:
    with Store(args.store) as store:
        print(f"{store.url}: {store.backend} store at schema version {store.schema_version}")
    return 0


def _stats(args: argparse.Namespace) -> int:
    with Store(args.store) as store:
        counts = store.stats()
    if args.json:
        print(json.dumps(counts, indent=2))
    else:
        width = max(map(len, counts))
        print("\n".join(f"{name:<{width}}  {count:>12,}" for name, count in counts.items()))
    return 0


def _export(args: argparse.Namespace) -> int:
    with Store(args.store) as store:
        if args.review is not None:
            if args.out is None:
                count = store.export_review(args.review, sys.stdout, format="csv")
            else:
                count = store.export_review(args.review, args.out)
            print(f"exported {count:,} review changes", file=sys.stderr)
            return 0
        target = args.out if args.out is not None else sys.stdout
        csv = args.out is not None and _kind(args.out) == "csv"
        count = write_csv(store.posts(), target) if csv else write_jsonl(store.posts(), target)
    print(f"exported {count:,} posts", file=sys.stderr)
    return 0


def _import(args: argparse.Namespace) -> int:
    for path in args.files:
        _kind(path)  # refuse an unknown file type before writing anything
    with Store(args.store) as store, store.transaction():
        before = store.stats()["posts"]
        written = store.add_posts(itertools.chain.from_iterable(_read(path) for path in args.files))
        added = store.stats()["posts"] - before
    print(f"{added:,} new posts, {written - added:,} updated, into {store.url}", file=sys.stderr)
    return 0


def _read(path: Path) -> Iterator[Post]:
    return read_csv(path) if _kind(path) == "csv" else read_jsonl(path)


def _kind(path: Path) -> str:
    from ..cli import _kind as kind  # noqa: PLC0415  # the CLI's one rule for file types; it imports us

    return kind(path)
