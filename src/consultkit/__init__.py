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
    AuthenticationError,
    ConsultkitError,
    ConsultkitWarning,
    CoverageWarning,
    DataFormatError,
    MissingResourceError,
    ModelValidationError,
    NetworkError,
    NotFittedError,
    NotFoundError,
    RateLimitedError,
    ResponseFormatError,
    SchemaVersionError,
    StoreError,
    StoreUnavailableError,
    UnknownNetworkError,
)
from ._hashtags import extract_hashtags, normalize_hashtag
from ._io import read_csv, read_jsonl, write_csv, write_jsonl
from ._models import Author, Page, Post, Query
from ._pseudonym import Pseudonymizer
from ._version import __version__
from .importers import read_polis, write_polis
from .networks import AsyncNetwork, Network, RateLimit, async_network, available_networks, network
from .store import Store
from .summarize import (
    CampaignSummary,
    Coverage,
    QuestionSummary,
    Quote,
    Redaction,
    RunManifest,
    SentimentScorer,
    StanceClassifier,
    Summary,
    find_pii,
    redact,
    summarize,
)
from .summarize._campaigns import Campaign, CampaignReport, find_campaigns
from .summarize._codebook import CodebookClassifier
from .summarize._duplicates import DuplicateDetector, DuplicateGroup
from .summarize._embed import Embedder, LsaEmbedder, WordLlamaEmbedder
from .summarize._groups import OpinionGroups
from .summarize._themes import ThemeExtractor

__all__ = [
    "Assignment",
    "AsyncNetwork",
    "AuthenticationError",
    "Author",
    "Campaign",
    "CampaignReport",
    "CampaignSummary",
    "Codebook",
    "CodebookClassifier",
    "Consultation",
    "ConsultkitError",
    "ConsultkitWarning",
    "Coverage",
    "CoverageWarning",
    "DataFormatError",
    "DuplicateDetector",
    "DuplicateGroup",
    "Embedder",
    "LsaEmbedder",
    "MatchReason",
    "MissingResourceError",
    "ModelValidationError",
    "Network",
    "NetworkError",
    "NotFittedError",
    "NotFoundError",
    "OpinionGroups",
    "Page",
    "PolicyStage",
    "Post",
    "Pseudonymizer",
    "Query",
    "Question",
    "QuestionKind",
    "QuestionSummary",
    "Quote",
    "RateLimit",
    "RateLimitedError",
    "Redaction",
    "Response",
    "ResponseFormatError",
    "RunManifest",
    "SchemaVersionError",
    "SentimentScorer",
    "StanceClassifier",
    "Store",
    "StoreError",
    "StoreUnavailableError",
    "Summary",
    "Theme",
    "ThemeExtractor",
    "UnknownNetworkError",
    "WordLlamaEmbedder",
    "__version__",
    "async_network",
    "available_networks",
    "extract_hashtags",
    "find_campaigns",
    "find_pii",
    "network",
    "normalize_hashtag",
    "read_csv",
    "read_jsonl",
    "read_polis",
    "redact",
    "summarize",
    "write_csv",
    "write_jsonl",
    "write_polis",
]
