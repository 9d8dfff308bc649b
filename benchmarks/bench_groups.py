"""Opinion groups: agreement with Pol.is's own groups, and time and memory at Pol.is's caps.

Run from the repository root::

    .venv/bin/python benchmarks/bench_groups.py            # real conversations + 10k x 1k synthetic
    .venv/bin/python benchmarks/bench_groups.py --full     # adds 100,000 participants x 10,000 statements

Quality: on each conversation in ``../shared/data/polis`` with a ``participants-votes.csv``, the adjusted Rand
index between `OpinionGroups` and the file's ``group-id`` (participants both place), next to a baseline of
plain k-means (k=2) on the mean-imputed votes. Scale: synthetic sparse votes (5% of cells, two opinion camps);
seconds, and peak memory (RSS growth, sampled) next to the baseline of building the sparse matrix itself.
Data: Pol.is (compdemocracy.org/polis), CC BY 4.0, The Computational Democracy Project.
"""

from __future__ import annotations

import argparse
import os
import resource
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp
from sklearn.cluster import KMeans
from sklearn.metrics import adjusted_rand_score

import consultkit as ck

DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "polis"


def rss_mib() -> float:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def measure(step: Callable[[], Any]) -> tuple[float, float, Any]:
    """Seconds, peak RSS growth (MiB, sampled every 10 ms) and the step's result."""
    start, peak, done = rss_mib(), [0.0], threading.Event()

    def sample() -> None:
        while not done.wait(0.01):
            peak[0] = max(peak[0], rss_mib() - start)

    watcher = threading.Thread(target=sample, daemon=True)
    watcher.start()
    began = time.perf_counter()
    result = step()
    seconds = time.perf_counter() - began
    done.set()
    watcher.join()
    return seconds, max(peak[0], rss_mib() - start), result


def baseline_labels(dense: np.ndarray) -> np.ndarray:
    seen = ~np.isnan(dense)
    means = np.nan_to_num(np.where(seen, dense, 0).sum(axis=0) / np.maximum(seen.sum(axis=0), 1))
    return KMeans(2, n_init=10, random_state=0).fit(np.where(seen, dense, means)).labels_


def quality() -> None:
    if not DATA.is_dir():
        print(f"(no {DATA}: skipping the comparison with Pol.is)")
        return
    print(
        "conversation                        participants  Pol.is grouped  ours grouped  groups  ARI   "
        "baseline ARI"
    )
    scores = []
    for folder in sorted(p for p in DATA.iterdir() if (p / "participants-votes.csv").exists()):
        export = ck.read_polis(folder)
        model = ck.OpinionGroups(random_state=0).fit(export.votes, excluded=export.excluded)
        theirs = np.array([-1 if g is None else g for g in export.group_ids])
        both = (theirs >= 0) & (model.labels_ >= 0)
        ari = adjusted_rand_score(theirs[both], model.labels_[both])
        base = adjusted_rand_score(theirs[both], baseline_labels(export.dense())[both])
        scores.append(ari)
        print(
            f"{folder.name[:34]:34} {len(theirs):>13} {int((theirs >= 0).sum()):>15} "
            f"{int((model.labels_ >= 0).sum()):>13} {model.n_groups_:>7}  {ari:.3f} {base:>13.3f}"
        )
    print(f"mean ARI {np.mean(scores):.3f} over {len(scores)} conversations")


def synthetic(n_rows: int, n_cols: int, density: float, seed: int = 0) -> sp.csr_array:
    """Two camps with opposite leanings on every statement, votes on ``density`` of the cells."""
    rng = np.random.default_rng(seed)
    per_row = rng.binomial(n_cols, density, size=n_rows)
    rows = np.repeat(np.arange(n_rows, dtype=np.int32), per_row)
    cols = rng.integers(0, n_cols, size=len(rows), dtype=np.int32)
    camp = rng.integers(0, 2, size=n_rows)
    lean = rng.choice([-1, 1], size=n_cols)
    agree = np.where(camp[rows] == 0, lean[cols], -lean[cols]) * np.where(rng.random(len(rows)) < 0.8, 1, -1)
    values = np.where(rng.random(len(rows)) < 0.1, 0, agree).astype(np.float64)
    matrix = sp.csr_array((values, (rows, cols)), shape=(n_rows, n_cols))
    matrix.sum_duplicates()
    matrix.data = np.clip(matrix.data, -1, 1)  # a repeated cell is one vote
    return matrix


def scale(n_rows: int, n_cols: int, density: float = 0.05) -> None:
    build_s, build_mib, votes = measure(lambda: synthetic(n_rows, n_cols, density))
    fit_s, fit_mib, model = measure(lambda: ck.OpinionGroups(random_state=0).fit(votes))
    print(
        f"{n_rows:>7} x {n_cols:<6} {votes.nnz:>11,} votes  fit {fit_s:6.1f} s  {fit_mib:7.0f} MiB  "
        f"| baseline (build the matrix) {build_s:5.1f} s {build_mib:6.0f} MiB  "
        f"| ratio {fit_s / build_s:4.1f}x time {fit_mib / max(build_mib, 1):4.1f}x memory  "
        f"groups {model.n_groups_}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--full", action="store_true", help="add 100,000 x 10,000 at 5% (about a minute)")
    args = parser.parse_args()
    print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    quality()
    scale(10_000, 1_000)
    if args.full:
        scale(100_000, 10_000)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS of the whole run {peak:.0f} MiB")


if __name__ == "__main__":
    main()
