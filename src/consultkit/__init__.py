"""consultkit: run policy consultations through social media.

Harvest public posts on hashtags and keywords, file them as responses to a consultation's questions, and
summarise them for each stage of policymaking. Start with ``consultkit demo`` or the tutorial in the docs.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from ._consultation import (
    Assignment,
    Codebook,
    Consultation,
    MatchReason,
    PolicyStage,
    Question,
    QuestionKind,
    Response,
    Theme,
)
from ._exceptions import (
    ConsultkitError,
    ConsultkitWarning,
    CoverageWarning,
    DataFormatError,
    MissingResourceError,
    ModelValidationError,
    NotFittedError,
    UnknownNetworkError,
)
from ._hashtags import extract_hashtags, normalize_hashtag
from ._io import read_csv, read_jsonl, write_csv, write_jsonl
from ._models import Author, Page, Post, Query
from ._pseudonym import Pseudonymizer
from .networks import available_networks, network

try:
    __version__ = version("consultkit")
except PackageNotFoundError:  # pragma: no cover  # running from a source tree that was never installed
    __version__ = "0+unknown"

__all__ = [
    "Assignment",
    "Author",
    "Codebook",
    "Consultation",
    "ConsultkitError",
    "ConsultkitWarning",
    "CoverageWarning",
    "DataFormatError",
    "MatchReason",
    "MissingResourceError",
    "ModelValidationError",
    "NotFittedError",
    "Page",
    "PolicyStage",
    "Post",
    "Pseudonymizer",
    "Query",
    "Question",
    "QuestionKind",
    "Response",
    "Theme",
    "UnknownNetworkError",
    "__version__",
    "available_networks",
    "extract_hashtags",
    "network",
    "normalize_hashtag",
    "read_csv",
    "read_jsonl",
    "write_csv",
    "write_jsonl",
]
