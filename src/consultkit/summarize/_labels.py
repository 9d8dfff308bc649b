"""Readable theme labels: short noun phrases taken from the members' own words, by class-based TF-IDF.

No part-of-speech tagger is needed (NLTK's corpora download at run time, so consultkit does without):
candidate phrases are 1-3 consecutive words inside one clause that neither start nor end with a function
word or a common verb (nor end in a past participle), and whose inner words are content words or
``of``/``for``/``and``. A phrase scores high for a theme when a large share of the theme's members use it and
few texts elsewhere do (the c-TF-IDF weighting of BERTopic, on document frequencies), with a small bonus per
extra word. The label shows the phrase as people most often wrote it.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence

from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

__all__ = ["describe_keywords", "label_themes", "phrases"]

_LINK = re.compile(r"https?://\S+|www\.\S+|(?<!\w)@[\w.-]+", re.IGNORECASE)
_CLAUSE = re.compile('[.,;:!?()\\[\\]{}"\u201c\u201d\u2026|/\n]+|\\s[-\u2013\u2014]+\\s')
_APOSTROPHE = "\u2019"
_WORD = re.compile(r"#?[^\W\d_][\w'" + _APOSTROPHE + r"+#-]*[\w+#]|#?[^\W\d_]")

# Words that make a poor start or end of a label: function words, and verbs and fillers common in opinions.
_WEAK = ENGLISH_STOP_WORDS | {
    "also", "am", "are", "can", "could", "did", "does", "doing", "don't", "dont", "get", "gets", "getting",
    "go", "going", "got", "has", "have", "i'm", "im", "is", "it's", "just", "know", "let", "like", "lot",
    "make", "makes", "many", "may", "might", "more", "most", "must", "need", "needs", "new", "one", "people",
    "really", "rt", "said", "say", "says", "see", "should", "thing", "things", "think", "use", "used",
    "using", "want", "wants", "way", "will", "would", "yes", "no", "let's", "that's", "there's", "we're",
    "you're", "can't", "won't", "isn't", "aren't", "didn't", "doesn't", "shouldn't", "wouldn't", "amp",
    "why", "how", "what", "when", "where", "who", "which", "i've", "i'd", "i'll", "we've", "we'd", "we'll",
    "they're", "they've", "you've", "it'd", "actually", "take", "takes", "taking", "took", "give", "gives",
    "keep", "keeps", "put", "come", "comes", "seem", "seems", "feel", "feels", "look", "looks", "try",
    "trying", "lose", "loses", "losing", "stop", "help", "helps", "bring", "mean", "means",
    "pretty", "sure", "totally", "definitely", "absolutely", "maybe", "probably", "ok", "okay",
}  # fmt: skip
_JOINERS = {"of", "for", "and"}
MAX_WORDS = 3


def phrases(text: str) -> Iterable[tuple[str, str]]:
    """``(key, surface)`` of each candidate phrase in a text: the casefolded key and the words as written."""
    for clause in _CLAUSE.split(_LINK.sub(" ", text)):
        words = [w.lstrip("#") for w in _WORD.findall(clause)]
        folded = [w.casefold().replace(_APOSTROPHE, "'") for w in words]
        for i, first in enumerate(folded):
            if first in _WEAK or len(first) < 2:
                continue
            for n in range(1, MAX_WORDS + 1):
                if i + n > len(words):
                    break
                last = folded[i + n - 1]
                inner = folded[i + 1 : i + n - 1]
                if any(w in _WEAK and w not in _JOINERS for w in inner):
                    break
                if last not in _WEAK and len(last) > 1 and not _past_tense(last):
                    yield " ".join(folded[i : i + n]), " ".join(words[i : i + n])


def _past_tense(word: str) -> bool:
    """Whether a word looks like a past participle ("missed", "supposed"), a poor end for a noun phrase."""
    return len(word) > 4 and word.endswith("ed") and not word.endswith("eed")


def label_themes(
    texts: Sequence[str], groups: Sequence[int], n_keywords: int = 8
) -> dict[int, tuple[str, tuple[str, ...]]]:
    """For each group id, a readable label and its keywords, from the texts given with their group ids."""
    in_group: dict[int, Counter[str]] = {}
    everywhere: Counter[str] = Counter()
    surfaces: dict[str, Counter[str]] = {}
    sizes: Counter[int] = Counter(groups)
    for text, group in zip(texts, groups, strict=True):
        seen: dict[str, str] = {}
        for key, surface in phrases(text):
            seen.setdefault(key, surface)
        in_group.setdefault(group, Counter()).update(seen.keys())
        everywhere.update(seen.keys())
        for key, surface in seen.items():
            surfaces.setdefault(key, Counter())[surface] += 1
    mean_size = len(texts) / max(len(sizes), 1)
    result: dict[int, tuple[str, tuple[str, ...]]] = {}
    for group, size in sizes.items():
        counts = in_group.get(group, Counter())
        scores = {
            key: (df / size) * math.log(1 + mean_size / everywhere[key]) * (1 + 0.25 * key.count(" "))
            for key, df in counts.items()
            if df >= 2 or size < 4
        }
        ranked = sorted(scores, key=lambda key: (-scores[key], key))
        keywords = _distinct(ranked, n_keywords)
        label = _label(keywords, counts, surfaces)
        result[group] = (label, tuple(keywords))
    return result


def _distinct(ranked: Sequence[str], limit: int) -> list[str]:
    """The best phrases, skipping any whose words all appear in a phrase already kept (or vice versa)."""
    kept: list[str] = []
    for key in ranked:
        words = set(key.split())
        if any(words <= set(k.split()) or set(k.split()) <= words for k in kept):
            continue
        kept.append(key)
        if len(kept) == limit:
            break
    return kept


def _label(keywords: Sequence[str], counts: Counter[str], surfaces: dict[str, Counter[str]]) -> str:
    """The top phrase as written, or a longer phrase near the top used by half as many members."""
    if not keywords:
        return "Miscellaneous"
    longer = [key for key in keywords[:5] if " " in key and counts[key] >= max(2, counts[keywords[0]] / 2)]
    text = _as_written(longer[0] if longer else keywords[0], surfaces)
    return text[0].upper() + text[1:]


def _as_written(key: str, surfaces: dict[str, Counter[str]]) -> str:
    """The most common spelling, unless it is only capitalised as a sentence start."""
    forms = surfaces[key]
    best = max(forms.items(), key=lambda item: (item[1], item[0]))[0]
    if best[:1].isupper() and best[1:] == key[1:] and key in forms:
        return key
    return best


def describe_keywords(keywords: Sequence[str]) -> str:
    """A one-line, neutral description of what a theme's members talk about."""
    if not keywords:
        return "Responses with no words in common with other themes."
    shown = list(keywords[:4])
    listed = shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " or " + shown[-1]
    return f"Responses that mention {listed}."
