"""Numbers and dates as a report shows them, shared by the Markdown and HTML renderers."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from ..summarize._redact import describe_redactions

if TYPE_CHECKING:
    from ..summarize._summary import CampaignSummary, Coverage


def day(value: dt.datetime | None) -> str:
    return value.strftime("%d %b %Y") if value is not None else "—"


def share(part: int, whole: int) -> str:
    return f"{part / whole:.0%}" if whole else "—"


def campaign_rows(campaign: CampaignSummary) -> list[tuple[str, str]]:
    """One campaign's facts, label and value, in reading order."""
    return [
        ("Posts", f"{campaign.size:,} from {campaign.authors:,} accounts"),
        ("When", f"{campaign.start:%d %b %Y %H:%M} to {campaign.end:%d %b %Y %H:%M} UTC"),
        ("Signals", ", ".join(s.replace("_", " ") for s in campaign.signals)),
        ("Template (words most copies share; … where they differ)", campaign.template),
    ]


def coverage_rows(coverage: Coverage) -> list[tuple[str, str]]:
    """The coverage table: label and value, in reading order."""
    languages = ", ".join(f"{code} {n}" for code, n in coverage.languages.items()) or "—"
    networks = ", ".join(f"{name} {n}" for name, n in coverage.networks.items()) or "—"
    return [
        ("Contributions", f"{coverage.contributions:,}"),
        (
            "Distinct texts",
            f"{coverage.distinct_texts:,} ({share(coverage.distinct_texts, coverage.contributions)})",
        ),
        ("Distinct arguments (copies grouped)", f"{coverage.distinct_arguments:,}"),
        (
            "Campaigns",
            f"{coverage.campaigns:,}: {coverage.campaign_posts:,} posts, "
            f"{share(coverage.campaign_posts, coverage.contributions)} of contributions "
            f"({coverage.voices:,} voices with each campaign counted once)",
        ),
        ("Accounts", f"{coverage.unique_authors:,} (+{coverage.without_author:,} without an author)"),
        ("Networks", networks),
        ("Languages", languages),
        ("First and last post", f"{day(coverage.first_post)} to {day(coverage.last_post)}"),
        ("Outside the consultation's dates", f"{coverage.out_of_window:,} (flagged, still counted)"),
        ("Matched no question", f"{coverage.unassigned:,} (kept, not summarised)"),
        ("Department's own question posts", f"{coverage.question_posts:,} (not counted as input)"),
        ("Collected twice", f"{coverage.repeats:,} (counted once)"),
        ("Personal data in the texts (never quoted)", describe_redactions(coverage.redactions)),
    ]
