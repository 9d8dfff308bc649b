"""Benchmark: `DuplicateDetector` and `find_campaigns` against datasketch's `MinHashLSH`, in one process.

Run from the repository root (datasketch comes with the ``bench`` extra: ``pip install -e ".[bench]"``)::

    .venv/bin/python benchmarks/bench_duplicates.py            # 10k and 100k posts
    .venv/bin/python benchmarks/bench_duplicates.py --full     # adds 1M posts (about 15 minutes, 3 GB)

Both sides read the same synthetic posts (``make_consultation``, whose two form-letter campaigns have known
members). The baseline is what one would write with datasketch: exact repeats folded by `match_key`, then
``MinHashLSH`` (64 permutations, Jaccard 0.5, word 3-shingles) over the distinct texts in its streaming
dedupe idiom (query, join the first match, else insert). Each step runs once in a forked child (Linux):
time, and peak resident memory above the parent's (the posts themselves are not counted). Quality:

- pair precision / recall: of the pairs of campaign posts, the share put in one group (recall); of the pairs
  in one group that hold a campaign post, the share from the same campaign (precision);
- campaign membership (consultkit only: the baseline has no notion of campaign): precision and recall of the
  posts `find_campaigns` puts in campaigns;
- Polis (``../shared/data/polis``, real statements; CC BY 4.0, The Computational Democracy Project): groups of
  two or more statements found, and the share of them holding a statement the moderators rejected (rejected
  statements are often restatements of accepted ones).
"""

from __future__ import annotations

import argparse
import csv
import os
import pickle
import resource
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

import consultkit as ck
from consultkit.summarize._text import match_key
from consultkit.testing import make_consultation

POLIS = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "polis"


def measure(step: Callable[[], Any]) -> tuple[Any, float, float]:
    """Run a step once in a forked child: its result, seconds, and peak resident memory (MiB) above what
    the process held before. Forking keeps each step's peak apart and costs no tracing overhead (tracemalloc
    multiplies the memory of a million small objects). A child that dies (out of memory) gives ``None``."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: run, send back the result, time and peak, leave without cleaning up
        os.close(read_end)
        before = _rss_mib()
        started = time.perf_counter()
        result = step()
        seconds = time.perf_counter() - started
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 - before
        with os.fdopen(write_end, "wb") as pipe:
            pickle.dump((result, seconds, peak), pipe)
        os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as pipe:
        data = pipe.read()
    _, status = os.waitpid(pid, 0)
    if status != 0 or not data:
        return None, float("nan"), float("nan")
    result, seconds, peak = pickle.loads(data)
    return result, seconds, peak


def _rss_mib() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def datasketch_labels(texts: Sequence[str], threshold: float = 0.5, num_perm: int = 64) -> np.ndarray:
    """Exact repeats by `match_key`, then near copies by datasketch's MinHashLSH, in its streaming dedupe
    idiom: each distinct text is queried against the texts kept so far, joins the first one found, and is
    kept only if none is (keeping every text and joining all query results grows with the square of a
    campaign's size: at 1M posts it ran out of 24 GB). One group id per text."""
    from datasketch import MinHash, MinHashLSH  # noqa: PLC0415  # an optional extra, imported when used

    keys = [match_key(text) for text in texts]
    ids: dict[str, int] = {}
    text_ids = np.fromiter((ids.setdefault(key, len(ids)) for key in keys), dtype=np.int64, count=len(keys))
    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
    distinct = list(ids)
    leader = np.arange(len(distinct))
    for start in range(0, len(distinct), 10_000):
        batch = distinct[start : start + 10_000]
        shingles = [
            [" ".join(w[i : i + 3]).encode() for i in range(max(len(w) - 2, 1))]
            for w in map(str.split, batch)
        ]
        for offset, minhash in enumerate(MinHash.bulk(shingles, num_perm=num_perm)):
            found = lsh.query(minhash)
            if found:
                leader[start + offset] = min(found)
            else:
                lsh.insert(start + offset, minhash)
    return leader[text_ids]


def pair_scores(labels: np.ndarray, campaign_of: Sequence[str | None]) -> tuple[float, float]:
    """Precision and recall of same-group pairs against the campaigns' members."""
    same_campaign = together = grouped_with_campaign = 0
    by_group: dict[int, Counter[str | None]] = {}
    for label, campaign in zip(labels.tolist(), campaign_of, strict=True):
        by_group.setdefault(label, Counter())[campaign] += 1
    for counts in by_group.values():
        size, outside = sum(counts.values()), counts[None]
        if size == outside:
            continue
        correct = sum(n * (n - 1) // 2 for campaign, n in counts.items() if campaign is not None)
        together += correct
        grouped_with_campaign += size * (size - 1) // 2 - outside * (outside - 1) // 2
    for n in Counter(c for c in campaign_of if c is not None).values():
        same_campaign += n * (n - 1) // 2
    return together / max(grouped_with_campaign, 1), together / max(same_campaign, 1)


def campaign_scores(
    report: ck.CampaignReport, truth: dict[tuple[str, str], str | None]
) -> tuple[float, float]:
    found = {key for campaign in report.campaigns for key in campaign.members}
    hits = sum(truth[key] is not None for key in found)
    return hits / max(len(found), 1), hits / max(sum(c is not None for c in truth.values()), 1)


def run(n_posts: int) -> list[dict[str, Any]]:
    synthetic = make_consultation(n_posts=n_posts, random_state=0)
    posts = [p for p in synthetic.posts if synthetic.truth[p.key].asks is None]
    truth = {p.key: synthetic.truth[p.key].campaign_id for p in posts}
    del synthetic
    texts = [p.text for p in posts]
    campaign_of = [truth[p.key] for p in posts]
    labels, seconds, peak = measure(lambda: ck.DuplicateDetector().fit(texts).labels_)
    baseline, base_seconds, base_peak = measure(lambda: datasketch_labels(texts))
    precision, recall = pair_scores(labels, campaign_of)
    base_precision, base_recall = (
        (float("nan"),) * 2 if baseline is None else pair_scores(baseline, campaign_of)
    )
    report, c_seconds, c_peak = measure(lambda: ck.find_campaigns(posts))
    c_precision, c_recall = campaign_scores(report, truth)
    return [
        {
            "what": "DuplicateDetector.fit vs datasketch",
            "posts": len(texts),
            "seconds": seconds,
            "peak": peak,
            "base_seconds": base_seconds,
            "base_peak": base_peak,
            "quality": f"pairs P {precision:.3f} R {recall:.3f} (datasketch P {base_precision:.3f} "
            f"R {base_recall:.3f})",
        },
        {
            "what": "find_campaigns",
            "posts": len(texts),
            "seconds": c_seconds,
            "peak": c_peak,
            "base_seconds": None,
            "base_peak": None,
            "quality": f"{len(report.campaigns)} campaigns, membership P {c_precision:.3f} R {c_recall:.3f}",
        },
    ]


def polis() -> str:
    if not POLIS.is_dir():
        return "Polis: ../shared/data/polis not found, skipped"
    results = {}
    for name, labeller in (
        ("consultkit", lambda texts: ck.DuplicateDetector().fit(texts).labels_),
        ("datasketch", datasketch_labels),
    ):
        groups = with_rejected = 0
        for path in sorted(POLIS.glob("*/comments.csv")):
            with path.open(newline="", encoding="utf-8") as handle:
                rows = [row for row in csv.DictReader(handle) if "comment-body" in row]
            if not rows:
                continue
            members: dict[int, list[str]] = {}
            for label, row in zip(labeller([r["comment-body"] for r in rows]).tolist(), rows, strict=True):
                members.setdefault(label, []).append(row["moderated"])
            multi = [m for m in members.values() if len(m) > 1]
            groups += len(multi)
            with_rejected += sum("-1" in m for m in multi)
        results[name] = f"{groups} groups, {with_rejected / max(groups, 1):.0%} holding a rejected statement"
    return f"Polis restatements: consultkit {results['consultkit']}; datasketch {results['datasketch']}"


HEADER = (
    "| step | posts | posts/s | peak MiB | baseline posts/s | baseline peak MiB | time ratio | memory ratio "
    "| quality | load |\n|---|---:|---:|---:|---:|---:|---:|---:|---|---|"
)


def table(rows: Sequence[dict[str, Any]]) -> str:
    def ratio(a: float, b: float | None) -> str:
        return "—" if b is None else f"{a / b:.2f}x"

    lines = []
    for r in rows:
        base_rate = "—" if r["base_seconds"] is None else f"{r['posts'] / r['base_seconds']:,.0f}"
        base_peak = "—" if r["base_peak"] is None else f"{r['base_peak']:,.0f}"
        lines.append(
            f"| {r['what']} | {r['posts']:,} | {r['posts'] / r['seconds']:,.0f} | {r['peak']:,.0f} "
            f"| {base_rate} | {base_peak} | {ratio(r['seconds'], r['base_seconds'])} "
            f"| {ratio(r['peak'], r['base_peak'])} | {r['quality']} | {r['load']} |"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--full", action="store_true", help="also run 1,000,000 posts")
    parser.add_argument("--sizes", type=int, nargs="*", help="post counts to run instead of the defaults")
    args = parser.parse_args(argv)
    try:
        import datasketch  # noqa: F401, PLC0415  # only checks that the baseline is installed
    except ImportError:
        print('datasketch is missing: pip install -e ".[bench]"', file=sys.stderr)
        return 1
    sizes = args.sizes or ([10_000, 100_000, 1_000_000] if args.full else [10_000, 100_000])
    print(f"consultkit {ck.__version__}, Python {sys.version.split()[0]}, {os.cpu_count()} cores")
    print(HEADER, flush=True)
    for n in sizes:  # rows as soon as they are measured, with the load average (1 min) before and after
        load = os.getloadavg()[0]
        rows = run(n)
        for row in rows:
            row["load"] = f"{load:.1f} to {os.getloadavg()[0]:.1f}"
        print(table(rows), flush=True)
    print(polis())
    return 0


if __name__ == "__main__":
    sys.exit(main())
