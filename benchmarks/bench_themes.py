"""Benchmark themes and codebooks: quality, run-to-run agreement, throughput and memory, next to baselines.

Run from the repository root::

    .venv/bin/python benchmarks/bench_themes.py            # every set, and 100k synthetic posts
    .venv/bin/python benchmarks/bench_themes.py --quick    # skip the 100k throughput run

Quality uses the development sets in ``../shared/data`` (skipped when absent): StackOverflow titles (20
tags), Tweet89 (89 queries), and the accepted comments of the eight English Polis conversations pooled, the
conversation being the label. The baseline, in the same process, is TF-IDF -> TruncatedSVD(100) ->
KMeans(k, n_init=10) told the true k; `ThemeExtractor` runs once told k and once choosing k itself (its
"Other" theme counts as one more cluster). Agreement across seeds is the share of texts two runs with
different ``random_state`` put in matching themes (themes matched one to one, Hungarian method), averaged
over pairs of seeds 0, 1, 2. The codebook row is zero-shot macro-F1 on StackOverflow with the 20 tag names
and the short descriptions below, against a label-name TF-IDF cosine baseline.

Data attributions: StackOverflow - Xu et al., "Short Text Clustering via Convolutional Neural Networks",
NAACL-VSM 2015 (acknowledge Kaggle). Tweet89 - Yin & Wang, "A Dirichlet Multinomial Mixture Model-based
Approach for Short Text Clustering", KDD 2014 (STTM repository). Polis - "Data was gathered using the Polis
software (compdemocracy.org/polis) and is sub-licensed under CC BY 4.0 with Attribution to The Computational
Democracy Project" (compdemocracy.org/case-studies; github.com/compdemocracy/openData).
"""

from __future__ import annotations

import argparse
import csv
import itertools
import os
import resource
import sys
import time
import tracemalloc
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from scipy.optimize import linear_sum_assignment
from sklearn.cluster import KMeans
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import adjusted_rand_score, f1_score, normalized_mutual_info_score
from sklearn.metrics.cluster import contingency_matrix

import consultkit as ck
from consultkit.testing import make_consultation

DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data"

STACKOVERFLOW_CODEBOOK = {
    "wordpress": "WordPress blogs: themes, plugins, posts, pages, widgets, wp admin, shortcodes",
    "oracle": "Oracle database: SQL queries, PL/SQL, tables, stored procedures, sqlplus, oracle 10g 11g",
    "svn": "Subversion version control: svn repository, commit, checkout, branch, merge, tortoisesvn",
    "apache": "Apache web server: httpd, mod_rewrite, .htaccess rules, virtual hosts, redirects, tomcat",
    "excel": "Microsoft Excel: spreadsheets, worksheets, cells, formulas, VBA macros, charts",
    "matlab": "MATLAB: matrices, arrays, plots, figures, toolboxes, image processing, simulink",
    "visual-studio": "Visual Studio IDE: solutions, projects, debugger, build, intellisense, 2008 2010",
    "cocoa": "Cocoa on Mac: Objective-C, NSView, NSWindow, Interface Builder, Xcode, core data",
    "osx": "Mac OS X: the operating system, Finder, terminal, applications, Snow Leopard, Leopard",
    "bash": "Bash shell scripts: commands, variables, loops, grep, sed, awk, unix shell",
    "spring": "Spring framework in Java: beans, dependency injection, Spring MVC, Spring Security",
    "hibernate": "Hibernate ORM in Java: entities, mappings, sessions, HQL, criteria, lazy loading, JPA",
    "scala": "Scala programming language: traits, case classes, actors, implicits, pattern matching, sbt",
    "sharepoint": "SharePoint: lists, document libraries, web parts, sites, MOSS 2007, SharePoint 2010",
    "ajax": "Ajax requests: jQuery ajax calls, XMLHttpRequest, JSON responses, asynchronous JavaScript",
    "qt": "Qt framework in C++: widgets, signals and slots, QML, Qt Creator, QString",
    "drupal": "Drupal CMS: modules, nodes, views, themes, hooks, Drupal 6 and 7",
    "linq": "LINQ queries in .NET: LINQ to SQL, LINQ to Entities, lambda expressions, C# collections",
    "haskell": "Haskell functional programming: monads, types, type classes, GHC, functions",
    "magento": "Magento e-commerce: products, categories, store, checkout, cart, admin, modules",
}


def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").split("\n")


def stackoverflow() -> tuple[list[str], list[int]]:
    root = DATA / "clustering" / "stc-stackoverflow"
    labels = [int(x) for x in (root / "label_StackOverflow.txt").read_text().split()]
    return _lines(root / "title_StackOverflow.txt")[: len(labels)], labels


def tweet89() -> tuple[list[str], list[int]]:
    root = DATA / "clustering" / "stc-tweet89"
    labels = [int(x) for x in (root / "Tweet_LABEL.txt").read_text().split()]
    return _lines(root / "Tweet.txt")[: len(labels)], labels


def polis() -> tuple[list[str], list[int]]:
    """Accepted comments of the English conversations, each labelled with its conversation."""
    texts, labels = [], []
    folders = sorted(p for p in (DATA / "polis").iterdir() if p.is_dir() and not p.name.startswith("austria"))
    for label, folder in enumerate(folders):
        with (folder / "comments.csv").open(encoding="utf-8", newline="") as file:
            for row in csv.DictReader(file):
                if row["moderated"] == "1" and row["comment-body"].strip():
                    texts.append(row["comment-body"])
                    labels.append(label)
    return texts, labels


SETS: dict[str, Callable[[], tuple[list[str], list[int]]]] = {
    "stackoverflow": stackoverflow,
    "tweet89": tweet89,
    "polis (8 conversations)": polis,
}


def baseline(texts: Sequence[str], k: int, seed: int = 0) -> np.ndarray[Any, Any]:
    """TF-IDF -> TruncatedSVD(100) -> KMeans(k): the plain pipeline every result is compared with."""
    matrix = TfidfVectorizer().fit_transform(texts)
    reduced = TruncatedSVD(min(100, matrix.shape[1] - 1), random_state=seed).fit_transform(matrix)
    labels: np.ndarray[Any, Any] = KMeans(k, random_state=seed, n_init=10).fit_predict(reduced)
    return labels


def agreement(a: Sequence[int], b: Sequence[int]) -> float:
    """Share of texts two labelings put in matching clusters, clusters matched one to one."""
    table = contingency_matrix(a, b)
    rows, cols = linear_sum_assignment(-table)
    return float(table[rows, cols].sum() / len(a))


def timed(step: Callable[[], Any]) -> tuple[Any, float]:
    started = time.perf_counter()
    result = step()
    return result, time.perf_counter() - started


def quality() -> list[dict[str, Any]]:
    rows = []
    for name, load in SETS.items():
        if not DATA.exists():
            break
        texts, truth = load()
        k = len(set(truth))
        base, base_s = timed(lambda: baseline(texts, k))  # noqa: B023  # called at once
        given, given_s = timed(lambda: ck.ThemeExtractor(n_themes=k).fit(texts))  # noqa: B023
        runs = [ck.ThemeExtractor(random_state=seed).fit(texts) for seed in range(3)]
        base_runs = [baseline(texts, k, seed) for seed in range(3)]
        rows.append(
            {
                "set": name,
                "texts": len(texts),
                "k": k,
                "baseline_nmi": normalized_mutual_info_score(truth, base),
                "baseline_ari": adjusted_rand_score(truth, base),
                "given_nmi": normalized_mutual_info_score(truth, given.labels_),
                "given_ari": adjusted_rand_score(truth, given.labels_),
                "auto_k": runs[0].n_themes_,
                "auto_nmi": normalized_mutual_info_score(truth, runs[0].labels_),
                "auto_ari": adjusted_rand_score(truth, runs[0].labels_),
                "other_share": float((runs[0].labels_ == -1).mean()),
                "agreement": np.mean(
                    [agreement(a.labels_, b.labels_) for a, b in itertools.combinations(runs, 2)]
                ),
                "baseline_agreement": np.mean(
                    [agreement(a, b) for a, b in itertools.combinations(base_runs, 2)]
                ),
                "time_ratio": given_s / base_s,
                "labels": [t.label for t in runs[0].themes_[:6]],
            }
        )
    return rows


def representations() -> list[tuple[str, float, float]]:
    """NMI told k with the default representation and with wordllama (when the extra is installed)."""
    try:
        wordllama = ck.WordLlamaEmbedder().fit()
    except ck.MissingResourceError:
        return []
    rows = []
    for name, load in SETS.items():
        texts, truth = load()
        k = len(set(truth))
        lsa = ck.ThemeExtractor(n_themes=k).fit(texts).labels_
        static = ck.ThemeExtractor(n_themes=k, embedder=wordllama).fit(texts).labels_
        rows.append(
            (name, normalized_mutual_info_score(truth, lsa), normalized_mutual_info_score(truth, static))
        )
    return rows


def codebook() -> dict[str, float] | None:
    if not DATA.exists():
        return None
    texts, truth = stackoverflow()
    names = list(STACKOVERFLOW_CODEBOOK)
    gold = [names[y - 1] for y in truth]
    vectorizer = TfidfVectorizer().fit(texts + names)
    similarity = (vectorizer.transform(texts) @ vectorizer.transform(names).T).toarray()
    base = [
        names[j] if row[j] > 0 else "none" for row, j in zip(similarity, similarity.argmax(1), strict=True)
    ]
    ours = ck.CodebookClassifier(STACKOVERFLOW_CODEBOOK).fit(texts).predict(texts)
    return {
        "baseline_f1": f1_score(gold, base, labels=names, average="macro"),
        "zero_shot_f1": f1_score(gold, [p or "none" for p in ours], labels=names, average="macro"),
    }


def throughput(n_posts: int) -> dict[str, float]:
    texts = [p.text for p in make_consultation(n_posts=n_posts, random_state=0).posts]
    model, seconds = timed(lambda: ck.ThemeExtractor().fit(texts))
    _, base_seconds = timed(lambda: baseline(texts, model.n_themes_))
    tracemalloc.start()
    ck.ThemeExtractor().fit(texts)
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return {
        "posts": n_posts,
        "seconds": seconds,
        "posts_per_s": n_posts / seconds,
        "baseline_seconds": base_seconds,
        "peak_mib": peak,
        "max_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "themes": model.n_themes_,
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="skip the 100k-post throughput run")
    args = parser.parse_args(argv)
    print(f"consultkit {ck.__version__}, Python {sys.version.split()[0]}, load average {os.getloadavg()}")
    print(
        "\n| set | texts | k | baseline NMI / ARI | told k: NMI / ARI | own k | NMI / ARI | Other | "
        "agreement (baseline) | time ratio |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    rows = quality()
    for r in rows:
        print(
            f"| {r['set']} | {r['texts']:,} | {r['k']} | {r['baseline_nmi']:.3f} / {r['baseline_ari']:.3f} | "
            f"{r['given_nmi']:.3f} / {r['given_ari']:.3f} | {r['auto_k']} | {r['auto_nmi']:.3f} / "
            f"{r['auto_ari']:.3f} | {r['other_share']:.1%} | {r['agreement']:.1%} "
            f"({r['baseline_agreement']:.1%}) | {r['time_ratio']:.2f}x |"
        )
    if rows:
        gain = np.mean([r["given_nmi"] - r["baseline_nmi"] for r in rows])
        print(f"\nmean NMI gain over the baseline, told k: {gain:+.3f}")
        for r in rows:
            print(f"labels, {r['set']}: {'; '.join(r['labels'])}")
    if DATA.exists():
        for name, lsa, static in representations():
            print(f"representation, {name}, told k: LSA NMI {lsa:.3f}, wordllama NMI {static:.3f}")
    scores = codebook()
    if scores:
        print(
            f"\ncodebook, StackOverflow zero-shot macro-F1: {scores['zero_shot_f1']:.3f} "
            f"(label-name baseline {scores['baseline_f1']:.3f}, "
            f"{scores['zero_shot_f1'] - scores['baseline_f1']:+.3f})"
        )
    if not args.quick:
        t = throughput(100_000)
        print(
            f"\n100k synthetic posts: {t['seconds']:.1f} s ({t['posts_per_s']:,.0f} posts/s, "
            f"{t['themes']} themes), "
            f"baseline {t['baseline_seconds']:.1f} s ({t['seconds'] / t['baseline_seconds']:.2f}x); "
            f"peak traced {t['peak_mib']:.0f} MiB, max RSS {t['max_rss_mib']:.0f} MiB"
        )
    print(f"load average at the end {os.getloadavg()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
