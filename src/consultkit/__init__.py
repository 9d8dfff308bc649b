"""consultkit: run policy consultations through social media.

Harvest public posts on hashtags and keywords, file them as responses to a consultation's questions, and
summarise them for each stage of policymaking. Start with ``consultkit demo`` or the tutorial in the docs.
"""

from __future__ import annotations

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
from ._version import __version__
from .networks import available_networks, network
from .summarize import (
    Coverage,
    QuestionSummary,
    Quote,
    Redaction,
    RunManifest,
    Summary,
    find_pii,
    redact,
    summarize,
)

__all__ = [
    "Assignment",
    "Author",
    "Codebook",
    "Consultation",
    "ConsultkitError",
    "ConsultkitWarning",
    "Coverage",
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
    "QuestionSummary",
    "Quote",
    "Redaction",
    "Response",
    "RunManifest",
    "Summary",
    "Theme",
    "UnknownNetworkError",
    "__version__",
    "available_networks",
    "extract_hashtags",
    "find_pii",
    "network",
    "normalize_hashtag",
    "read_csv",
    "read_jsonl",
    "redact",
    "summarize",
    "write_csv",
    "write_jsonl",
]
