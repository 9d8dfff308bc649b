"""`DuplicateDetector`: which texts are the same text, a near copy, or a word-swapped copy of a template.

Three layers, each cheaper than the next and each run only on what the last left distinct:

1. **Exact**: texts with the same `match_key` (case, spacing, punctuation, links, mentions, retweet prefixes,
   emoji variants) are one text.
2. **Near copies**: MinHash over runs of ``shingle_size`` words, LSH-banded; a text whose estimated Jaccard
   similarity to a better-ranked text reaches ``threshold`` joins it (an added hashtag, a typo, a line).
3. **Templates**: MinHash over single words for texts of at least ``min_template_words`` words; a mail-merge
   copy whose synonyms were swapped, or a sentence dropped, keeps most of its words but few of its word runs,
   and joins its template when the share of the shorter text's words found in the longer reaches
   ``template_threshold`` (estimated from the MinHash Jaccard estimate and the two texts' word counts; only
   between texts whose distinct word counts are within a factor of two).

Why MinHash rather than SimHash: the layers need a Jaccard estimate they can check against a threshold
(SimHash estimates cosine angle, and its bit-flip LSH needs many tables for short texts); MinHash signatures
also let new texts be added to the index without touching the old ones.

Distinct texts are ranked (most repeated first, then the most central: the wording whose LSH buckets hold
the most other texts, which for a mail-merge campaign is its template; then alphabetically) and each joins
the best-ranked text it matches, whose group it takes. A later `partial_fit` ranks its new texts below the
old ones, so groups only grow.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence

import attrs
import numpy as np
import numpy.typing as npt

from .._estimator import Estimator
from .._exceptions import ModelValidationError
from ._minhash import LSHIndex, features, jaccard, signatures, word_hashes
from ._text import match_key

__all__ = ["DuplicateDetector", "DuplicateGroup", "shared_template"]

I64 = npt.NDArray[np.int64]
U32 = npt.NDArray[np.uint32]

#: Members sampled to find a group's shared template words.
_TEMPLATE_SAMPLE = 25
_SHARED = 0.8
_GAP = "…"
#: Keys whose words, word runs and signatures are built together (bounds those arrays to a few tens of MiB).
_KEYS_PER_CHUNK = 20_000


@attrs.frozen(kw_only=True)
class DuplicateGroup:
    """Texts that are one text: the same words, a near copy, or a copy of one template.

    - ``id``: the group's label in `DuplicateDetector.labels_`.
    - ``size``: how many texts are in it; ``distinct``: how many different wordings (after `match_key`).
    - ``representative``: the most repeated wording, verbatim; every member matched it or a member that did.
    - ``template``: the words of ``representative`` that most members share, with ``…`` where they differ.
    """

    id: int
    size: int
    distinct: int
    representative: str
    template: str


class DuplicateDetector(Estimator):
    """Group texts that are the same, near copies, or word-swapped copies of one template.

    Hyper-parameters are described in the module docstring; ``n_perm`` hash functions are cut into ``bands``
    bands for LSH, and ``random_state`` seeds them. After `fit`: ``labels_`` (one group id per text, numbered
    in order of first appearance), ``n_groups_`` and ``groups_`` (the groups of two or more texts, largest
    first). `partial_fit` adds texts: they join existing groups or start new ones, and ``labels_`` grows.

    >>> detector = DuplicateDetector().fit(["Save our buses!", "save our buses", "Cut the fares."])
    >>> detector.labels_.tolist()
    [0, 0, 1]
    """

    def __init__(
        self,
        *,
        threshold: float = 0.5,
        template_threshold: float = 0.8,
        min_template_words: int = 10,
        shingle_size: int = 3,
        n_perm: int = 64,
        bands: int = 16,
        random_state: int = 0,
    ) -> None:
        self.threshold = threshold
        self.template_threshold = template_threshold
        self.min_template_words = min_template_words
        self.shingle_size = shingle_size
        self.n_perm = n_perm
        self.bands = bands
        self.random_state = random_state

    # -- fitting ----------------------------------------------------------------------------------------

    def fit(self, texts: Iterable[str]) -> DuplicateDetector:
        """Group ``texts`` from scratch; the result does not depend on their order."""
        self._check_params()
        self._key_ids: dict[str, int] = {}
        self._keys: list[str] = []
        self._texts: list[str | None] = []  # the alphabetically first original text of each key
        self._roots = np.empty(0, dtype=np.int64)  # group root (a key id) of each key
        self._text_keys: list[I64] = []
        self._word_cache: dict[str, int] = {}
        self._near = LSHIndex(self.n_perm, self.bands, self.threshold)
        self._template = LSHIndex(self.n_perm, self.bands, self.template_threshold)
        self._fitted = True
        return self.partial_fit(texts)

    def partial_fit(self, texts: Iterable[str]) -> DuplicateDetector:
        """Add ``texts``: each joins the group of the best-ranked text it matches, or starts a group."""
        if not getattr(self, "_fitted", False):
            return self.fit(texts)
        if isinstance(texts, str):
            raise TypeError("texts must be an iterable of str, not one str")
        texts = list(texts)
        keys = [match_key(text) for text in texts]
        counts = Counter(keys)
        new, parents = self._match(sorted(key for key in counts if key not in self._key_ids), counts)
        first_id = len(self._keys)
        self._key_ids.update((key, first_id + i) for i, key in enumerate(new))
        self._keys += new
        self._texts += [None] * len(new)
        text_keys = np.fromiter((self._key_ids[key] for key in keys), dtype=np.int64, count=len(keys))
        for text, key_id in zip(texts, text_keys.tolist(), strict=True):
            known = self._texts[key_id]
            if known is None or text < known:
                self._texts[key_id] = text
        self._text_keys.append(text_keys)
        self._roots = np.concatenate((self._roots, parents))
        while True:  # every parent is better ranked, so following parents ends at a root
            jumped = self._roots[self._roots]
            if np.array_equal(jumped, self._roots):
                break
            self._roots = jumped
        self._label()
        return self

    def _check_params(self) -> None:
        for name in ("threshold", "template_threshold"):
            value = getattr(self, name)
            if not isinstance(value, (int, float)) or not 0 < value <= 1:
                raise ModelValidationError("DuplicateDetector", name, value, "must be in (0, 1]")
        for name, low in (("min_template_words", 1), ("shingle_size", 1), ("bands", 1), ("random_state", 0)):
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool) or value < low:
                raise ModelValidationError("DuplicateDetector", name, value, f"must be an integer >= {low}")
        if not isinstance(self.n_perm, int) or self.n_perm < self.bands or self.n_perm % self.bands:
            raise ModelValidationError(
                "DuplicateDetector", "n_perm", self.n_perm, "must be a multiple of bands"
            )

    def _match(self, new: Sequence[str], counts: Mapping[str, int]) -> tuple[list[str], I64]:
        """Rank the new keys and find each one's parent: the best-ranked key it matches in either layer, or
        itself. Keys rank by how often they occur, then by how many keys share their LSH buckets (the most
        central wording of a mail-merge campaign is its template), then alphabetically."""
        # words, word runs and signatures a chunk of keys at a time (one empty chunk when there are no keys)
        chunks = [self._signatures(new[i : i + _KEYS_PER_CHUNK]) for i in range(0, len(new), _KEYS_PER_CHUNK)]
        lengths, *layer_sigs = (
            np.concatenate(parts) for parts in zip(*chunks or [self._signatures([])], strict=True)
        )
        layers = []
        centrality = np.zeros(len(new), dtype=np.int64)
        for index, sigs, chosen in zip(
            (self._near, self._template), layer_sigs, self._takes(lengths), strict=True
        ):
            buckets = index.band_keys(sigs)
            centrality[chosen] += index.collisions(buckets)
            layers.append((index, chosen, sigs, buckets))
        repeats = np.fromiter((counts[key] for key in new), dtype=np.int64, count=len(new))
        order = np.lexsort((np.arange(len(new)), -centrality, -repeats))
        first_id = len(self._keys)
        ids = np.arange(first_id, first_id + len(new), dtype=np.int64)
        parents = ids.copy()
        ranked = [new[i] for i in order.tolist()]
        for index, chosen, sigs, buckets in layers:
            rows = (np.cumsum(chosen) - 1)[order][chosen[order]]  # signature rows in rank order
            now_chosen = np.flatnonzero(chosen[order])
            sizes = None
            if index is self._template:  # containment needs each text's number of distinct words
                sizes = np.fromiter(
                    (len(set(ranked[i].split())) for i in now_chosen.tolist()), dtype=np.int64
                )
            found = index.add(ids[now_chosen], sigs[rows], buckets[rows], sizes)
            hit = found >= 0
            parents[now_chosen[hit]] = np.minimum(parents[now_chosen[hit]], found[hit])
        return ranked, parents

    def _takes(self, lengths: I64) -> tuple[npt.NDArray[np.bool_], npt.NDArray[np.bool_]]:
        """Which keys, by word count, each layer takes: near copies, those with words; templates, those of at
        least ``min_template_words`` words."""
        return lengths > 0, lengths >= self.min_template_words

    def _signatures(self, keys: Sequence[str]) -> tuple[I64, U32, U32]:
        """Each key's word count, and the MinHash signatures of the keys each layer takes."""
        words, lengths = word_hashes(keys, self._word_cache)
        near, template = (
            signatures(
                *features(words[np.repeat(chosen, lengths)], lengths[chosen], k),
                self.n_perm,
                self.random_state * 7919 + seed,
            )
            for chosen, k, seed in zip(self._takes(lengths), (self.shingle_size, 1), (1, 2), strict=True)
        )
        return lengths, near, template

    def _label(self) -> None:
        roots = self._roots[np.concatenate(self._text_keys)] if self._text_keys else self._roots[:0]
        unique, first = np.unique(roots, return_index=True)
        rank = np.empty(len(unique), dtype=np.int64)
        rank[np.argsort(first)] = np.arange(len(unique))
        self.labels_: I64 = rank[np.searchsorted(unique, roots)]
        self.n_groups_ = len(unique)
        self._group_roots = unique[np.argsort(first)]  # root key of each label
        self._groups: tuple[DuplicateGroup, ...] | None = None

    # -- results ----------------------------------------------------------------------------------------

    @property
    def groups_(self) -> tuple[DuplicateGroup, ...]:
        """The groups of two or more texts, largest first (ties: lowest id first); computed on first use."""
        self._check_fitted("labels_")
        if self._groups is None:
            sizes = np.bincount(self.labels_, minlength=self.n_groups_)
            key_counts = np.bincount(np.concatenate(self._text_keys), minlength=len(self._keys))
            label_of_root = np.empty(len(self._keys), dtype=np.int64)
            label_of_root[self._group_roots] = np.arange(self.n_groups_)
            key_labels = label_of_root[self._roots]
            members: dict[int, list[int]] = {}
            for key_id in np.flatnonzero(sizes[key_labels] > 1).tolist():
                members.setdefault(int(key_labels[key_id]), []).append(key_id)
            self._groups = tuple(
                DuplicateGroup(
                    id=label,
                    size=int(sizes[label]),
                    distinct=len(keys),
                    representative=self._text(int(self._group_roots[label])),
                    template=shared_template(
                        self._text(int(self._group_roots[label])),
                        [(self._keys[k], int(key_counts[k])) for k in keys],
                    ),
                )
                for label, keys in sorted(members.items(), key=lambda item: (-sizes[item[0]], item[0]))
            )
        return self._groups

    def _text(self, key_id: int) -> str:
        text = self._texts[key_id]
        assert text is not None  # every key comes from a text
        return text

    def similarity(self, a: str, b: str) -> float:
        """How alike two texts are, in [0, 1]: 1 for the same `match_key`, else the larger of the Jaccard
        similarity of their word runs and (when both are long enough for the template layer, and the shorter
        has at least half as many distinct words as the longer) the share of the shorter text's distinct
        words found in the longer.

        >>> DuplicateDetector().similarity("Bus lanes now!", "bus lanes NOW")
        1.0
        """
        key_a, key_b = match_key(a), match_key(b)
        if key_a == key_b:
            return 1.0
        words, lengths = word_hashes([key_a, key_b], {})
        split = int(lengths[0])
        runs = features(words, lengths, self.shingle_size)
        cut = int(runs[1][0])
        score = jaccard(set(runs[0][:cut].tolist()), set(runs[0][cut:].tolist()))
        if lengths.min() >= self.min_template_words:
            first, second = set(words[:split].tolist()), set(words[split:].tolist())
            smaller, larger = sorted((len(first), len(second)))
            if 2 * smaller >= larger:
                score = max(score, len(first & second) / smaller)
        return score


def shared_template(representative: str, wordings: Sequence[tuple[str, int]]) -> str:
    """The words of ``representative`` found in at least 80% of the copies, with ``…`` standing for each run
    of words that differ. ``wordings`` are the group's distinct `match_key` forms with their number of
    copies; up to `_TEMPLATE_SAMPLE` of them, evenly spaced, are read."""
    step = -(-len(wordings) // _TEMPLATE_SAMPLE) or 1
    sample = [(set(key.split()), copies) for key, copies in wordings[::step]]
    total = sum(copies for _, copies in sample)
    out: list[str] = []
    for word in representative.split():
        parts = match_key(word).split()
        if all(sum(n for words, n in sample if part in words) >= _SHARED * total for part in parts):
            out.append(word)
        elif not out or out[-1] != _GAP:
            out.append(_GAP)
    return " ".join(out)
