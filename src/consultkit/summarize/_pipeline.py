"""`summarize`: from posts or responses to a `Summary`, one step at a time."""

from __future__ import annotations

import hashlib
import json
import random
import warnings
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence

import attrs

from .._consultation import Assignment, Consultation, PolicyStage, Response
from .._exceptions import CoverageWarning
from .._models import Post
from .._version import __version__
from ._campaigns import CampaignReport, find_campaigns
from ._duplicates import DuplicateDetector
from ._quotes import choose_quotes, quote_of
from ._redact import find_pii, redact
from ._summary import CampaignSummary, Coverage, QuestionSummary, RunManifest, Summary
from ._text import match_key

__all__ = ["summarize"]

PostKey = tuple[str, str]

#: Below this many contributions a summary says that it is thin, and warns.
THIN_INPUT = 30

_ALL_POSTS = "all"

NOT_A_POLL = (
    "This is not a poll. People who post about a consultation choose to; they are not a sample of the "
    "public, and counts here show what was said, not how many people hold a view."
)
NOT_YET = (
    "This version of consultkit's summary reports coverage, campaigns, responses per question and verbatim "
    "quotes. It does not yet include themes, stance, sentiment or opinion groups; the library's estimators "
    "for them (ThemeExtractor, StanceClassifier, SentimentScorer, OpinionGroups) run on their own."
)


def summarize(
    responses_or_posts: Assignment | Iterable[Response | Post],
    consultation: Consultation | None = None,
    *,
    random_state: int = 0,
    quotes_per_question: int = 3,
    title: str | None = None,
) -> Summary:
    """Summarise public input: coverage, responses per question and verbatim quotes, with caveats.

    ``responses_or_posts`` is an `Assignment`, responses, or posts; posts are filed with
    ``consultation.assign`` when a consultation is given, and summarised as one group otherwise.
    The same input and ``random_state`` give the same summary, byte for byte.
    """
    if quotes_per_question < 0:
        raise ValueError(f"quotes_per_question must be >= 0, got {quotes_per_question}")
    assignment = _as_assignment(responses_or_posts, consultation)
    responses = sorted(assignment.responses, key=lambda r: (r.post.created_at, r.post.key, r.question_id))
    posts = _unique_posts(responses)
    text_keys = {p.key: match_key(p.text) for p in posts}  # computed once, read by coverage and questions
    campaigns = find_campaigns(posts, detector=DuplicateDetector(random_state=random_state))
    coverage = attrs.evolve(
        _coverage(posts, assignment, text_keys),
        distinct_arguments=campaigns.distinct,
        campaigns=len(campaigns.campaigns),
        campaign_posts=campaigns.campaign_posts,
        campaign_share=campaigns.campaign_share,
        voices=campaigns.voices,
    )
    rng = random.Random(random_state)
    questions = tuple(
        _question_summary(qid, text, kind, group, text_keys, rng=rng, quotes=quotes_per_question)
        for qid, text, kind, group in _questions(responses, consultation)
    )
    if coverage.contributions < THIN_INPUT:
        warnings.warn(
            f"only {coverage.contributions} contributions: read this summary as anecdote, not evidence",
            CoverageWarning,
            stacklevel=2,
        )
    return Summary(
        title=title or (consultation.title if consultation else "Public input"),
        stage=consultation.stage if consultation else PolicyStage.CONSULTATION,
        coverage=coverage,
        questions=questions,
        campaigns=_campaign_summaries(campaigns, posts),
        caveats=_caveats(coverage),
        manifest=RunManifest(
            input_sha256=_input_hash(responses),
            library_version=__version__,
            random_state=random_state,
            parameters={"quotes_per_question": quotes_per_question},
            steps=("assign", "coverage", "redaction-count", "campaigns", "quotes"),
        ),
    )


def _as_assignment(
    items: Assignment | Iterable[Response | Post], consultation: Consultation | None
) -> Assignment:
    if isinstance(items, Assignment):
        return items
    responses: list[Response] = []
    posts: list[Post] = []
    for item in items:
        (responses if isinstance(item, Response) else posts).append(item)  # type: ignore[arg-type]  # split by type
    if posts and consultation is not None:
        assigned = consultation.assign(posts)
        return Assignment(
            responses=tuple(responses) + assigned.responses,
            unassigned=assigned.unassigned,
            question_posts=assigned.question_posts,
            repeats=assigned.repeats,
        )
    unique = {p.key: p for p in posts}
    responses += [Response(post=p, question_id=_ALL_POSTS, matched_by="collected") for p in unique.values()]
    return Assignment(
        responses=tuple(responses), unassigned=(), question_posts=(), repeats=len(posts) - len(unique)
    )


def _unique_posts(responses: Sequence[Response]) -> list[Post]:
    return list({r.post.key: r.post for r in responses}.values())


def _coverage(posts: Sequence[Post], assignment: Assignment, text_keys: Mapping[PostKey, str]) -> Coverage:
    authors = {p.author.id for p in posts if p.author is not None}
    distinct = len(set(text_keys.values()))
    redactions: Counter[str] = Counter(r.kind for p in posts for r in find_pii(p.text))
    return Coverage(
        contributions=len(posts),
        unique_authors=len(authors),
        without_author=sum(p.author is None for p in posts),
        networks=dict(sorted(Counter(p.network for p in posts).items())),
        languages=dict(sorted(Counter(p.lang or "unknown" for p in posts).items())),
        first_post=min((p.created_at for p in posts), default=None),
        last_post=max((p.created_at for p in posts), default=None),
        daily=dict(sorted(Counter(p.created_at.date().isoformat() for p in posts).items())),
        distinct_texts=distinct,
        repeated_share=round((len(posts) - distinct) / len(posts), 4) if posts else 0.0,
        out_of_window=len({r.post.key for r in assignment.responses if not r.in_window}),
        unassigned=len(assignment.unassigned),
        question_posts=len(assignment.question_posts),
        repeats=assignment.repeats,
        redactions=dict(sorted(redactions.items())),
    )


def _campaign_summaries(report: CampaignReport, posts: Sequence[Post]) -> tuple[CampaignSummary, ...]:
    """Each campaign with its template redacted and a verbatim quote of its most repeated wording."""
    by_key = {p.key: p for p in posts}
    summaries = []
    for campaign in report.campaigns:
        members = [by_key[key] for key in campaign.members]
        typical = next((p for p in members if p.text == campaign.representative), members[0])
        summaries.append(
            CampaignSummary(
                id=campaign.id,
                size=campaign.size,
                authors=campaign.authors,
                start=campaign.start,
                end=campaign.end,
                signals=campaign.signals,
                template=redact(campaign.template),
                quote=quote_of(typical),
            )
        )
    return tuple(summaries)


def _questions(
    responses: Sequence[Response], consultation: Consultation | None
) -> Iterable[tuple[str, str, str, list[Response]]]:
    grouped: dict[str, list[Response]] = {}
    for response in responses:
        grouped.setdefault(response.question_id, []).append(response)
    if consultation is None:
        for qid, group in grouped.items():
            yield qid, "All contributions" if qid == _ALL_POSTS else qid, "open", group
        return
    unknown = sorted(set(grouped) - {q.id for q in consultation.questions})
    if unknown:
        raise ValueError(f"responses answer questions that {consultation.id!r} does not ask: {unknown}")
    for question in consultation.questions:
        yield question.id, question.text, question.kind.value, grouped.get(question.id, [])


def _question_summary(
    qid: str,
    text: str,
    kind: str,
    group: list[Response],
    text_keys: Mapping[PostKey, str],
    *,
    rng: random.Random,
    quotes: int,
) -> QuestionSummary:
    posts = [r.post for r in group]
    return QuestionSummary(
        id=qid,
        text=text,
        kind=kind,
        responses=len(group),
        unique_authors=len({p.author.id for p in posts if p.author is not None}),
        distinct_texts=len({text_keys[p.key] for p in posts}),
        matched_by=dict(sorted(Counter(r.matched_by.value for r in group).items())),
        quotes=choose_quotes(posts, quotes, rng),
    )


def _caveats(coverage: Coverage) -> tuple[str, ...]:
    notes = [NOT_A_POLL]
    if coverage.contributions < THIN_INPUT:
        notes.append(f"Only {coverage.contributions} contributions: too few to show more than anecdotes.")
    notes.append(
        f"{coverage.contributions} contributions came from {coverage.unique_authors} accounts; "
        f"{coverage.repeated_share:.0%} repeat an earlier contribution word for word."
    )
    if coverage.campaigns:
        notes.append(
            f"{coverage.campaigns} coordinated campaign(s) made {coverage.campaign_share:.0%} of the "
            f"contributions ({coverage.campaign_posts} posts); each counts as one voice here and keeps its "
            f"size, so {coverage.contributions} contributions are {coverage.voices} voices."
        )
    if coverage.out_of_window:
        notes.append(
            f"{coverage.out_of_window} contributions were written outside the consultation's dates; "
            "they are flagged and still counted."
        )
    if coverage.unassigned:
        notes.append(
            f"{coverage.unassigned} collected posts matched no question; they are kept in the data but not "
            "summarised here."
        )
    if coverage.redactions:
        notes.append(
            "Personal data (emails, phone numbers, postcodes, NI numbers, handles, profile links) is kept "
            "out of quotes."
        )
    notes.append(NOT_YET)
    return tuple(notes)


def _input_hash(responses: Sequence[Response]) -> str:
    digest = hashlib.sha256()
    for response in responses:
        digest.update(json.dumps(response.to_dict(), sort_keys=True, ensure_ascii=False).encode())
        digest.update(b"\n")
    return digest.hexdigest()
