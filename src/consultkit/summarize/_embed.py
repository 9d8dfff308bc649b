"""Representations of texts for themes and codebooks: the `Embedder` protocol and the default `LsaEmbedder`.

An embedder turns texts into rows of a dense float matrix whose rows have unit length, so a dot product is a
cosine similarity. The default is lexical: TF-IDF over word 1-2-grams and character 3-5-grams (which catch
spelling variants, hashtags run together and inflections without a stemmer), reduced by latent semantic
analysis (truncated SVD) so that texts sharing no word can still be near each other. It needs nothing beyond
scikit-learn, and its fit is linear in the number of texts: it learns from a sample of at most ``max_fit``
distinct texts, chosen by a hash of the text (not by position), and applies what it learned to the rest.
"""

from __future__ import annotations

import hashlib
import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import numpy as np
from scipy import sparse
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer
from sklearn.preprocessing import normalize
from threadpoolctl import threadpool_limits  # type: ignore[import-untyped]  # a scikit-learn dependency, untyped

from .._estimator import Estimator
from .._exceptions import MissingResourceError, ModelValidationError

__all__ = ["Embedder", "LexicalFeatures", "LsaEmbedder", "WordLlamaEmbedder", "sample_order"]

#: Words keep ``#``, ``+`` and inner dots or hyphens, so ``c#``, ``c++``, ``asp.net`` and ``e-mail`` survive.
WORD_PATTERN = r"(?u)\b\w[\w#+]*(?:[.\-']\w[\w#+]*)*[#+]*"
CHAR_WEIGHT = 0.7  # character n-grams help, but words should lead
CHAR_NGRAMS = (3, 5)


@runtime_checkable
class Embedder(Protocol):
    """What `ThemeExtractor` needs from a representation: ``fit`` on texts, then unit-length rows.

    Any object with these two methods works, for example a wrapper around a sentence-transformers model
    (whose ``fit`` does nothing) or an OpenAI-compatible ``/v1/embeddings`` endpoint.
    """

    def fit(self, texts: Sequence[str]) -> Any:
        """Learn what the representation needs from these texts; return self."""
        ...

    def transform(self, texts: Sequence[str]) -> np.ndarray[Any, Any]:
        """One row per text, each of unit length (or all zeros for a text the embedder cannot place)."""
        ...


def sample_order(texts: Sequence[str], seed: int = 0) -> list[int]:
    """Indices of ``texts`` in an order set by their content and ``seed``, never by their position.

    Taking the first ``m`` of this order gives the same sample whatever order the texts came in.
    """
    salt = str(seed).encode()

    def key(i: int) -> tuple[bytes, str]:
        return hashlib.blake2b(texts[i].encode(), digest_size=8, salt=salt[:16]).digest(), texts[i]

    return sorted(range(len(texts)), key=key)


class LexicalFeatures:
    """Sparse TF-IDF features: word 1-2-grams and character 3-5-grams, rows of unit length."""

    def __init__(self, *, max_features: int = 50_000) -> None:
        self.words = TfidfVectorizer(
            sublinear_tf=True,
            ngram_range=(1, 2),
            min_df=1,
            max_features=max_features,
            stop_words=sorted(ENGLISH_STOP_WORDS),
            token_pattern=WORD_PATTERN,
            dtype=np.float32,
        )
        self.chars = TfidfVectorizer(
            sublinear_tf=True,
            analyzer="char_wb",
            ngram_range=CHAR_NGRAMS,
            min_df=2,
            max_features=max_features,
            dtype=np.float32,
        )

    def fit(self, texts: Sequence[str]) -> LexicalFeatures:
        """Learn both vocabularies (character n-grams seen only once are left out)."""
        try:
            self.words.fit(texts)
        except ValueError:  # nothing but stop words or symbols: keep every run of non-space characters
            self.words.set_params(stop_words=None, token_pattern=r"\S+").fit(texts)
        try:
            self.chars.fit(texts)
        except ValueError:  # too few texts for any character n-gram to appear twice
            self.chars.set_params(min_df=1).fit(texts)
        return self

    def transform(self, texts: Sequence[str]) -> sparse.csr_matrix:
        """The features of each text; a text with no known word or n-gram is a row of zeros."""
        stacked = sparse.hstack([self.words.transform(texts), CHAR_WEIGHT * self.chars.transform(texts)])
        return normalize(stacked.tocsr())


class LsaEmbedder(Estimator):
    """The default representation: `LexicalFeatures` reduced by truncated SVD to ``n_components``.

    ``max_fit`` bounds how many distinct texts the vocabulary and the SVD learn from, which keeps ``fit``
    fast on large inputs; the rest are only transformed.
    """

    def __init__(self, n_components: int = 100, max_fit: int = 10_000, random_state: int = 0) -> None:
        self.n_components = n_components
        self.max_fit = max_fit
        self.random_state = random_state

    def fit(self, texts: Sequence[str]) -> LsaEmbedder:
        """Learn the vocabulary and the latent dimensions from (a content-chosen sample of) the texts."""
        for name in ("n_components", "max_fit"):
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool) or value < 2:
                raise ModelValidationError(type(self).__name__, name, value, "expected an integer >= 2")
        unique = sorted(set(texts))
        if not unique:
            raise ModelValidationError(type(self).__name__, "texts", texts, "expected at least one text")
        sample = [unique[i] for i in sample_order(unique, self.random_state)[: self.max_fit]]
        features = LexicalFeatures().fit(sample)
        matrix = features.transform(sample)
        dims = min(self.n_components, matrix.shape[1] - 1, len(sample) - 1)
        svd = None
        if dims >= 1:
            # one BLAS thread: the SVD's tall, thin QR steps gain little from more, and on a busy machine
            # competing BLAS threads slow it down many times over
            with threadpool_limits(limits=1, user_api="blas"):
                svd = TruncatedSVD(dims, random_state=self.random_state).fit(matrix)
        self._features = features
        self._svd = svd
        self.n_components_ = dims if svd is not None else matrix.shape[1]
        return self

    def transform(self, texts: Sequence[str]) -> np.ndarray[Any, Any]:
        """Unit-length rows of ``n_components`` (fewer for tiny inputs) latent dimensions."""
        self._check_fitted("n_components_")
        matrix = self._features.transform(texts)
        reduced = matrix.toarray() if self._svd is None else self._svd.transform(matrix)
        rows: np.ndarray[Any, Any] = normalize(np.asarray(reduced, dtype=np.float32))
        return rows


class WordLlamaEmbedder(Estimator):
    """Static word embeddings from the ``wordllama`` package (extra ``[embeddings]``), averaged per text.

    The 256-dimensional model ships inside the package's wheel, so it works offline. ``fit`` only loads it.
    """

    def __init__(self, dim: int = 256) -> None:
        self.dim = dim

    def fit(self, texts: Sequence[str] = ()) -> WordLlamaEmbedder:
        """Load the model (the texts are not needed); `MissingResourceError` says how to fix a failure."""
        self._model = _load_wordllama(self.dim)
        self.n_components_ = self.dim
        return self

    def transform(self, texts: Sequence[str]) -> np.ndarray[Any, Any]:
        """Unit-length rows of ``dim`` dimensions; a text with no known token is a row of zeros."""
        self._check_fitted("n_components_")
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        rows: np.ndarray[Any, Any] = normalize(np.nan_to_num(self._model.embed(list(texts), norm=False)))
        return rows.astype(np.float32)


def _load_wordllama(dim: int) -> Any:
    """Load wordllama with no network: its loader looks for the tokenizer where the wheel does not put it.

    The wheel ships ``wordllama/tokenizers/<config>.json`` but ``WordLlama.load`` looks in the package's
    ``tokenizer/`` folder or a cache, then downloads; so the file is copied into a cache laid out as it
    expects (see ``docs/reference/themes.md``).
    """
    try:
        import wordllama  # type: ignore[import-untyped, import-not-found, unused-ignore]  # noqa: PLC0415  # optional extra
    except ImportError as exc:
        raise MissingResourceError("wordllama (static embeddings)", extra="embeddings") from exc
    name = "l2_supercat_tokenizer_config.json"
    shipped = Path(wordllama.__file__).parent / "tokenizers" / name
    cache = Path(tempfile.gettempdir()) / "consultkit-wordllama"
    try:
        (cache / "tokenizers").mkdir(parents=True, exist_ok=True)
        if not (cache / "tokenizers" / name).exists():
            shutil.copyfile(shipped, cache / "tokenizers" / name)
        return wordllama.WordLlama.load(cache_dir=cache, dim=dim, disable_download=True)
    except Exception as exc:  # the package's layout changed, or the weights are missing
        fix = (
            f"reinstall with pip install --force-reinstall 'consultkit[embeddings]' and check that {shipped} "
            "and the package's weights/ folder exist; wordllama 0.4 is known to work"
        )
        raise MissingResourceError(f"the wordllama model ({type(exc).__name__}: {exc})", fix=fix) from exc
