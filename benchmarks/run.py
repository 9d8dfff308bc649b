"""Benchmarks: throughput and peak memory of consultkit's steps, next to a plain baseline in the same process.

Run from the repository root::

    .venv/bin/python benchmarks/run.py            # 10k and 100k posts
    .venv/bin/python benchmarks/run.py --full     # adds 1M posts (several minutes, a few GB)

Each row times one step on the same synthetic posts (``consultkit.testing.make_consultation``) and measures
its peak traced memory in a second pass (tracemalloc slows code, so it never runs while timing). The baseline
column does the nearest plain-Python job (stdlib ``json`` on dicts; a hashtag-only set intersection), so the
ratio shows what validation, thread matching and honesty cost. Peak memory is what the step allocates on top
of its input; a memory ratio is shown only when the baseline allocates more than 1 MiB.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import consultkit as ck
from consultkit.testing import make_consultation


def measure(step: Callable[[], Any]) -> tuple[float, float]:
    """Seconds for one run, and peak traced memory (MiB) in a second run."""
    started = time.perf_counter()
    step()
    seconds = time.perf_counter() - started
    tracemalloc.start()
    step()
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return seconds, peak


def _write_plain(dicts: Sequence[dict[str, Any]], path: Path) -> None:
    with path.open("w", encoding="utf-8") as out:
        out.writelines(json.dumps(d, ensure_ascii=False) + "\n" for d in dicts)


def _read_plain(path: Path) -> int:
    with path.open(encoding="utf-8") as lines:
        return sum(1 for line in lines if json.loads(line))


def baseline_assign(posts: Sequence[ck.Post], consultation: ck.Consultation) -> int:
    """Hashtag-only filing with sets: the floor under `Consultation.assign`."""
    tags = {tag: q.id for q in consultation.questions for tag in q.hashtags}
    return sum(1 for post in posts if not tags.keys().isdisjoint(post.hashtags))


def run(n_posts: int, workdir: Path) -> list[dict[str, Any]]:
    synthetic = make_consultation(n_posts=n_posts, random_state=0)
    posts, consultation = synthetic.posts, synthetic.consultation
    dicts = [p.to_dict() for p in posts]
    path = workdir / "posts.jsonl"
    ck.write_jsonl(posts, path)
    assignment = consultation.assign(posts)
    steps: list[tuple[str, Callable[[], Any], Callable[[], Any]]] = [
        ("generate", lambda: make_consultation(n_posts=n_posts, random_state=1), lambda: None),
        (
            "write_jsonl",
            lambda: ck.write_jsonl(posts, workdir / "out.jsonl"),
            lambda: _write_plain(dicts, workdir / "plain.jsonl"),
        ),
        (
            "read_jsonl",
            lambda: sum(1 for _ in ck.read_jsonl(path)),
            lambda: _read_plain(path),
        ),
        ("assign", lambda: consultation.assign(posts), lambda: baseline_assign(posts, consultation)),
        (
            "summarize",
            lambda: ck.summarize(assignment, consultation, random_state=0),
            lambda: None,
        ),
    ]
    rows = []
    for name, step, baseline in steps:
        seconds, peak = measure(step)
        base_seconds, base_peak = measure(baseline)
        has_baseline = base_seconds > 1e-4
        rows.append(
            {
                "step": name,
                "posts": n_posts,
                "posts_per_s": n_posts / seconds,
                "peak_mib": peak,
                "baseline_posts_per_s": n_posts / base_seconds if has_baseline else None,
                "time_ratio": seconds / base_seconds if has_baseline else None,
                "memory_ratio": peak / base_peak if has_baseline and base_peak > 1 else None,
            }
        )
    return rows


def table(rows: Sequence[dict[str, Any]]) -> str:
    def fmt(value: float | None, spec: str, unit: str = "") -> str:
        return "—" if value is None else format(value, spec) + unit

    lines = [
        "| step | posts | posts/s | peak MiB | baseline posts/s | time ratio | memory ratio |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    lines += [
        f"| {r['step']} | {r['posts']:,} | {fmt(r['posts_per_s'], ',.0f')} | {fmt(r['peak_mib'], '.1f')} | "
        f"{fmt(r['baseline_posts_per_s'], ',.0f')} | {fmt(r['time_ratio'], '.2f', 'x')} | "
        f"{fmt(r['memory_ratio'], '.2f', 'x')} |"
        for r in rows
    ]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--full", action="store_true", help="also run 1,000,000 posts")
    parser.add_argument("--sizes", type=int, nargs="*", help="post counts to run instead of the defaults")
    args = parser.parse_args(argv)
    sizes = args.sizes or ([10_000, 100_000, 1_000_000] if args.full else [10_000, 100_000])
    with tempfile.TemporaryDirectory() as workdir:
        rows = [row for n in sizes for row in run(n, Path(workdir))]
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"consultkit {ck.__version__}, Python {sys.version.split()[0]}, {os.cpu_count()} CPUs, load {load}")
    print(table(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
