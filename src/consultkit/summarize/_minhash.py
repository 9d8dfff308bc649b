"""MinHash signatures and an incremental LSH band index, in numpy.

Texts are sets of word features (single words, or runs of ``k`` words); MinHash keeps, for each of ``n_perm``
hash functions, the smallest hash over a text's features, so two signatures agree at a position with
probability equal to the Jaccard similarity of the sets. LSH cuts a signature into bands; texts that agree on
a whole band become candidates, which are then checked on the full signature. Every step is a vectorised
pass over a batch, and the index only grows: memory is linear in the number of distinct texts, and no step
compares every pair.
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

__all__ = ["LSHIndex", "containment", "features", "jaccard", "signatures", "word_hashes"]

U64 = npt.NDArray[np.uint64]
U32 = npt.NDArray[np.uint32]
I64 = npt.NDArray[np.int64]

_MIX = np.uint64(0x9E3779B97F4A7C15)  # an odd 64-bit constant (the golden ratio) for combining hashes
_EMPTY = np.uint32(0xFFFFFFFF)


def word_hashes(keys: Sequence[str], cache: dict[str, int]) -> tuple[U64, I64]:
    """The words of each key (a `match_key`: words joined by single spaces) as one flat array of 32-bit
    hashes, and each key's word count. CRC-32 is stable across runs and machines, unlike ``hash``; each
    word's hash is memoised in ``cache``."""
    words = " ".join(keys).split(" ") if keys else []
    for word in set(words).difference(cache):
        cache[word] = zlib.crc32(word.encode()) or 1  # 0 pads short texts
    flat = np.fromiter(map(cache.__getitem__, words), dtype=np.uint64, count=len(words))
    lengths = np.fromiter((key.count(" ") + 1 if key else 0 for key in keys), dtype=np.int64, count=len(keys))
    empty = lengths == 0
    if empty.any():  # an empty key still took one (empty) word in the joined string
        keep = np.repeat(~empty, np.maximum(lengths, 1))
        flat = flat[keep]
    return flat, lengths


def features(flat: U64, lengths: I64, k: int) -> tuple[U64, I64]:
    """The ``k``-word features of each text (``k=1``: its words) as one flat array, and each text's count.

    ``flat`` and ``lengths`` are as `word_hashes` gives them. A text shorter than ``k`` words (but not empty)
    has one feature, its words padded; an empty text has none.
    """
    if k == 1:
        return flat, lengths
    padded = np.where(lengths > 0, np.maximum(lengths, k), 0)
    owner = np.repeat(np.arange(len(lengths)), lengths)
    offset = np.arange(len(flat)) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    words = np.zeros(int(padded.sum()), dtype=np.uint64)
    words[np.repeat(np.cumsum(padded) - padded, lengths) + offset] = flat
    owner = np.repeat(np.arange(len(lengths)), padded)
    n = max(len(words) - k + 1, 0)
    valid = owner[:n] == owner[k - 1 : k - 1 + n]
    combined = words[:n].copy()
    for j in range(1, k):
        combined = combined * _MIX + words[j : j + n]
    return combined[valid], np.maximum(padded - k + 1, 0)


def signatures(flat: U64, counts: I64, n_perm: int, random_state: int) -> U32:
    """MinHash signatures, shape ``(n_texts, n_perm)``, by one-permutation hashing with densification.

    One hash per feature (not ``n_perm``): its top bits pick one of ``n_perm`` bins and the rest is the value
    kept if it is the bin's smallest. A bin that no feature fell into borrows the value of the next filled
    bin to its right (circularly) plus a step per bin skipped, which keeps the chance that two signatures
    agree at a position equal to the Jaccard similarity (Shrivastava and Li, ICML 2014). A text without
    features gets all-ones; callers leave such texts out of the index. The work arrays are ``(n_texts, 2
    n_perm)``: callers pass a chunk of texts at a time.
    """
    seed = np.uint64((random_state * int(_MIX) + 0x632BE59BD9B4E019) % 2**64)
    n_texts = len(counts)
    hashed = _finalize(flat + seed)
    owner = np.repeat(np.arange(n_texts), counts)
    cells = owner * n_perm + ((hashed >> np.uint64(32)) % np.uint64(n_perm)).astype(np.int64)
    block = np.full(n_texts * n_perm, _EMPTY, dtype=np.uint32)
    np.minimum.at(block, cells, (hashed & np.uint64(0xFFFFFFFF)).astype(np.uint32))
    return _densify(block.reshape(n_texts, n_perm))


def _finalize(z: U64) -> U64:
    """SplitMix64's output function: a fast 64-bit mixer whose every output bit depends on every input bit."""
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    mixed: U64 = z ^ (z >> np.uint64(31))
    return mixed


def _densify(block: U32) -> U32:
    """Fill each empty bin from the next filled bin to its right (circularly), adding a step per bin."""
    n_perm = block.shape[1]
    positions = np.arange(2 * n_perm, dtype=np.int32)
    doubled = np.where(np.tile(block != _EMPTY, 2), positions, 2 * n_perm)
    source = np.minimum.accumulate(doubled[:, ::-1], axis=1)[:, ::-1][:, :n_perm]  # next filled, at or after
    found = source < 2 * n_perm  # False only for a text without features
    steps = (source - positions[:n_perm]).astype(np.uint32)
    rows = np.arange(len(block))[:, None]
    filled = block[rows, np.where(found, source % n_perm, 0)] + steps * np.uint32(0x9E3779B1)
    dense: U32 = np.where(found, filled, _EMPTY).astype(np.uint32)
    return dense


def jaccard(x: set[int], y: set[int]) -> float:
    return len(x & y) / len(x | y) if x or y else 1.0


def containment(
    jaccard: npt.NDArray[np.float64], size_a: npt.NDArray[np.float64], size_b: npt.NDArray[np.float64]
) -> npt.NDArray[np.float64]:
    """The share of the smaller set found in the larger, from their Jaccard similarity and sizes
    (``|A & B| = J (|A| + |B|) / (1 + J)``); 0 when the smaller set is under half the larger's size, where
    an error in the estimate of J would be magnified."""
    smaller, larger = np.minimum(size_a, size_b), np.maximum(size_a, size_b)
    shared = jaccard * (size_a + size_b) / (1 + jaccard)
    return np.where(2 * smaller >= larger, np.minimum(shared / np.maximum(smaller, 1), 1.0), 0.0)


class LSHIndex:
    """Banded LSH over MinHash signatures that only grows; each bucket remembers its best-ranked member.

    Items are numbered by the caller in rank order (a lower number outranks a higher one). `add` returns,
    for each new item, the best-ranked better item it shares a bucket with and whose estimated similarity
    reaches ``threshold`` (or -1). The similarity is the Jaccard similarity, estimated as the share of
    positions where the signatures agree; or, when `add` is given each set's size, the containment of the
    smaller set in the larger, derived from that estimate (a copy with a sentence dropped is contained in its
    template though its Jaccard similarity to it is low).
    """

    def __init__(self, n_perm: int, bands: int, threshold: float) -> None:
        self.rows = n_perm // bands
        self.bands = bands
        self.threshold = threshold
        self.signatures = np.empty((0, n_perm), dtype=np.uint32)
        self.sizes = np.empty(0, dtype=np.float64)
        self.ids = np.empty(0, dtype=np.int64)  # item number of each stored signature row
        self.keys = [np.empty(0, dtype=np.uint64) for _ in range(bands)]  # sorted bucket hashes
        self.leaders = [np.empty(0, dtype=np.int64) for _ in range(bands)]  # row of each bucket's best item

    def _scores(self, rows_a: I64, rows_b: I64) -> npt.NDArray[np.float64]:
        agree = np.count_nonzero(self.signatures[rows_a] == self.signatures[rows_b], axis=1)
        jaccard: npt.NDArray[np.float64] = agree / self.signatures.shape[1]
        if len(self.sizes):
            return containment(jaccard, self.sizes[rows_a], self.sizes[rows_b])
        return jaccard

    def band_keys(self, sigs: U32) -> U64:
        """The bucket of each signature in each band, shape ``(n, bands)``."""
        keys = np.empty((len(sigs), self.bands), dtype=np.uint64)
        for band in range(self.bands):
            part = sigs[:, band * self.rows : (band + 1) * self.rows].astype(np.uint64)
            keys[:, band] = np.uint64(band) + np.uint64(1)
            for column in part.T:
                keys[:, band] = keys[:, band] * _MIX + column
        return keys

    def collisions(self, band_keys: U64) -> I64:
        """For each signature, how many of the others share one of its buckets, summed over the bands."""
        total = np.zeros(len(band_keys), dtype=np.int64)
        for column in band_keys.T:
            _, inverse, sizes = np.unique(column, return_inverse=True, return_counts=True)
            total += sizes[inverse] - 1
        return total

    def add(self, ids: I64, sigs: U32, band_keys: U64, sizes: I64 | None = None) -> I64:
        """Index new items (``ids`` ascending, all above any earlier id; ``band_keys`` from `band_keys`);
        return each one's match or -1. An item's candidates (its buckets' leaders) are checked best-ranked
        first, and the rest are skipped once one passes."""
        base = len(self.ids)
        self.signatures = np.concatenate((self.signatures, sigs))
        if sizes is not None:
            self.sizes = np.concatenate((self.sizes, sizes.astype(np.float64)))
        self.ids = np.concatenate((self.ids, ids))
        rows = np.arange(base, base + len(ids), dtype=np.int64)
        candidates = []
        for band in range(self.bands):
            hashes = band_keys[:, band]
            order = np.argsort(hashes, kind="stable")  # ids ascend, so ties stay in rank order
            sorted_hashes, sorted_rows = hashes[order], rows[order]
            run_start = np.ones(len(order), dtype=bool)
            run_start[1:] = sorted_hashes[1:] != sorted_hashes[:-1]
            leader = sorted_rows[np.maximum.accumulate(np.where(run_start, np.arange(len(order)), 0))]
            keys, leaders = self.keys[band], self.leaders[band]
            at = np.searchsorted(keys, sorted_hashes)
            found = at < len(keys)
            found[found] = keys[at[found]] == sorted_hashes[found]
            leader[found] = leaders[at[found]]
            candidate = leader != sorted_rows
            candidates.append(sorted_rows[candidate] * (base + len(ids)) + leader[candidate])
            fresh = run_start & ~found
            self.keys[band] = np.insert(keys, at[fresh], sorted_hashes[fresh])
            self.leaders[band] = np.insert(leaders, at[fresh], sorted_rows[fresh])
        pairs = np.sort(np.concatenate(candidates)) if candidates else np.empty(0, dtype=np.int64)
        pairs = pairs[np.append(True, pairs[1:] != pairs[:-1])] if len(pairs) else pairs
        pairs_new, pairs_old = np.divmod(pairs, base + len(ids))  # by new item, then best-ranked first
        best = np.full(len(ids), np.iinfo(np.int64).max, dtype=np.int64)  # best matching row per new item
        while len(pairs_new):  # check each item's best-ranked candidate; drop the item once one passes
            first = np.append(True, pairs_new[1:] != pairs_new[:-1])
            new, old = pairs_new[first], pairs_old[first]
            passed = self._scores(new, old) >= self.threshold
            best[new[passed] - base] = old[passed]
            keep = ~first & (best[pairs_new - base] == np.iinfo(np.int64).max)
            pairs_new, pairs_old = pairs_new[keep], pairs_old[keep]
        matched = best != np.iinfo(np.int64).max
        return np.where(matched, self.ids[np.where(matched, best, 0)], -1)
