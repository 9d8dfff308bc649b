"""Benchmark: stance and sentiment quality and speed, next to plain baselines in the same process.

Run from the repository root (needs ``../shared/data``; takes a few minutes)::

    .venv/bin/python benchmarks/bench_stance_sentiment.py

Quality is measured on development data only: models and rules were tuned on SemEval-2016's train split and
are reported on its validation split; sentiment has only a validation split, so its defaults were chosen by
hand rather than fitted to it. Baselines: TextBlob's raw polarity (sentiment); that polarity mapped to a
stance, and always answering "against" (zero-shot stance); TF-IDF word n-grams and logistic regression
(few-shot stance). Throughput counts texts per second on this machine; peak memory is traced separately.

Data attribution: TweetEval (Barbieri et al., Findings of EMNLP 2020); SemEval-2016 Task 6 stance
(Mohammad et al., 2016); SemEval-2017 Task 4 sentiment (Rosenthal et al., 2017).
"""

from __future__ import annotations

import os
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score, recall_score
from sklearn.pipeline import make_pipeline
from textblob import TextBlob

import consultkit as ck
from consultkit.summarize._stance import f_avg

DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data"
TARGETS = {
    "abortion": "Legalization of Abortion",
    "atheism": "Atheism",
    "climate": "Climate Change is a Real Concern",
    "feminist": "Feminist Movement",
    "hillary": "Hillary Clinton",
}
STANCE_NAMES = ("none", "against", "favor")
SENTIMENT_NAMES = ("negative", "neutral", "positive")


def lines(path: Path, names: tuple[str, ...]) -> tuple[list[str], list[str]]:
    labels = [names[int(x)] for x in (path.parent / path.name.replace("text", "labels")).read_text().split()]
    return path.read_text(encoding="utf-8").split("\n")[: len(labels)], labels


def timed(step: Callable[[], Any]) -> tuple[Any, float, float]:
    """Result, seconds, and peak traced memory (MiB, from a second run)."""
    started = time.perf_counter()
    result = step()
    seconds = time.perf_counter() - started
    tracemalloc.start()
    step()
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return result, seconds, peak


def textblob_label(value: float, positive: str, negative: str, neutral: str) -> str:
    return positive if value > 0 else negative if value < 0 else neutral


def sentiment_rows() -> list[tuple[str, ...]]:
    texts, truth = lines(DATA / "sentiment" / "val_text.txt", SENTIMENT_NAMES)
    batch = (texts * 5)[:10_000]
    scorer = ck.SentimentScorer()
    scorer.predict(texts[:10])  # load the lexicon outside the timing
    predicted, seconds, peak = timed(lambda: scorer.predict(batch))
    raw, base_seconds, base_peak = timed(lambda: [TextBlob(t).sentiment.polarity for t in batch])
    base = [textblob_label(v, "positive", "negative", "neutral") for v in raw]
    ours_r = recall_score(truth, predicted[: len(truth)], average="macro")
    base_r = recall_score(truth, base[: len(truth)], average="macro")
    ours_f = f1_score(truth, predicted[: len(truth)], average="macro")
    base_f = f1_score(truth, base[: len(truth)], average="macro")
    return [
        ("sentiment avg recall (TweetEval val)", f"{ours_r:.3f}", f"{base_r:.3f}", f"{ours_r / base_r:.2f}"),
        ("sentiment macro-F1 (TweetEval val)", f"{ours_f:.3f}", f"{base_f:.3f}", f"{ours_f / base_f:.2f}"),
        (
            "sentiment texts/s",
            f"{len(batch) / seconds:,.0f}",
            f"{len(batch) / base_seconds:,.0f}",
            f"{base_seconds / seconds:.2f}",
        ),
        ("sentiment peak MiB (10k texts)", f"{peak:.1f}", f"{base_peak:.1f}", f"{peak / base_peak:.2f}"),
    ]


def stance_rows() -> list[tuple[str, ...]]:
    truth: list[str] = []
    zero: list[str] = []
    polarity: list[str] = []
    few: list[str] = []
    tfidf: list[str] = []
    cv: list[float] = []
    batch: list[str] = []
    seconds = peak = fit_seconds = base_fit_seconds = 0.0
    for folder, target in TARGETS.items():
        train, train_truth = lines(DATA / "stance" / folder / "train_text.txt", STANCE_NAMES)
        val, val_truth = lines(DATA / "stance" / folder / "val_text.txt", STANCE_NAMES)
        truth += val_truth
        classifier = ck.StanceClassifier(target).fit()
        zero += classifier.predict(val)
        polarity += [textblob_label(TextBlob(t).sentiment.polarity, "favor", "against", "none") for t in val]
        batch += train
        started = time.perf_counter()
        learned = ck.StanceClassifier(target).fit(train, train_truth)
        fit_seconds += time.perf_counter() - started
        few += learned.predict(val)
        cv.append(float(learned.cv_scores_["f_avg"].mean()))
        started = time.perf_counter()
        baseline = make_pipeline(
            TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True),
            LogisticRegression(class_weight="balanced", max_iter=2000, random_state=0),
        ).fit(train, train_truth)
        base_fit_seconds += time.perf_counter() - started
        tfidf += list(baseline.predict(val))
    classifier = ck.StanceClassifier("Hillary Clinton").fit()
    batch = (batch * 4)[:10_000]
    _, seconds, peak = timed(lambda: classifier.predict(batch))
    against = ["against"] * len(truth)
    zero_f, pol_f, ag_f = f_avg(truth, zero), f_avg(truth, polarity), f_avg(truth, against)
    few_f, tf_f = f_avg(truth, few), f_avg(truth, tfidf)
    return [
        (
            "stance zero-shot F_avg (SemEval val, pooled)",
            f"{zero_f:.3f}",
            f"{pol_f:.3f}",
            f"{zero_f / pol_f:.2f}",
        ),
        ("  vs always 'against'", f"{zero_f:.3f}", f"{ag_f:.3f}", f"{zero_f / ag_f:.2f}"),
        (
            "stance few-shot F_avg (train -> val, pooled)",
            f"{few_f:.3f}",
            f"{tf_f:.3f}",
            f"{few_f / tf_f:.2f}",
        ),
        ("stance few-shot 5-fold CV F_avg (train, mean)", f"{sum(cv) / len(cv):.3f}", "", ""),
        (
            "stance few-shot fit seconds (5 targets, with CV)",
            f"{fit_seconds:.1f}",
            f"{base_fit_seconds:.1f}",
            "",
        ),
        ("stance zero-shot texts/s", f"{len(batch) / seconds:,.0f}", "", ""),
        ("stance zero-shot peak MiB (10k texts)", f"{peak:.1f}", "", ""),
    ]


def main() -> None:
    if not DATA.is_dir():
        raise SystemExit(f"needs the development data in {DATA}")
    print(f"load average before: {os.getloadavg()[0]:.2f} (2 cores; other work may be running)")
    rows = [("measure", "consultkit", "baseline", "ratio"), *sentiment_rows(), *stance_rows()]
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    for row in rows:
        print(" | ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)))
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    print("Data: TweetEval (Barbieri et al., 2020); SemEval-2016 Task 6; SemEval-2017 Task 4.")


if __name__ == "__main__":
    main()
