"""The summariser: from public input to a `Summary` a department can use and defend."""

from ._pipeline import summarize
from ._redact import PII_KINDS, Redaction, describe_redactions, find_pii, pii_free_spans, redact, redact_many
from ._sentiment import SentimentScorer
from ._stance import Stance, StanceClassifier, count_stances, response_stances
from ._summary import CampaignSummary, Coverage, QuestionSummary, Quote, RunManifest, Summary

__all__ = [
    "PII_KINDS",
    "CampaignSummary",
    "Coverage",
    "QuestionSummary",
    "Quote",
    "Redaction",
    "RunManifest",
    "SentimentScorer",
    "Stance",
    "StanceClassifier",
    "Summary",
    "count_stances",
    "describe_redactions",
    "find_pii",
    "pii_free_spans",
    "redact",
    "redact_many",
    "response_stances",
    "summarize",
]
