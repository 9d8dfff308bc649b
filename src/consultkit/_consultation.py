"""What a department asks and hears back: `Consultation`, `Question`, `Response`, `Theme`, `Codebook`."""

from __future__ import annotations

import datetime as dt
import enum
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

import attrs

from . import _validate as v
from ._models import Post, _hashtags, _hashtags_valid, _terms, _terms_pattern
from ._serialize import Serializable

__all__ = [
    "Assignment",
    "Codebook",
    "Consultation",
    "MatchReason",
    "PolicyStage",
    "Question",
    "QuestionKind",
    "Response",
    "Theme",
]


class PolicyStage(str, enum.Enum):
    """The stages of policymaking at which a department can ask the public."""

    AGENDA = "agenda"
    FORMULATION = "formulation"
    CONSULTATION = "consultation"
    DECISION = "decision"
    IMPLEMENTATION = "implementation"
    EVALUATION = "evaluation"

    @property
    def purpose(self) -> str:
        """What public input is for at this stage, in one sentence."""
        return _STAGE_PURPOSE[self]


_STAGE_PURPOSE = {
    PolicyStage.AGENDA: "spot emerging issues and decide what needs a policy at all",
    PolicyStage.FORMULATION: "shape the options, with arguments for and against and who is affected",
    PolicyStage.CONSULTATION: "hear views on a published proposal, question by question",
    PolicyStage.DECISION: "weigh support, consensus and disagreement before deciding",
    PolicyStage.IMPLEMENTATION: "hear how the policy works in practice and fix problems early",
    PolicyStage.EVALUATION: "judge whether the policy met its aims, in the public's words",
}


class QuestionKind(str, enum.Enum):
    """How a question is answered: free text, one of its options, or any number of its options."""

    OPEN = "open"
    CLOSED = "closed"
    OPTIONS = "options"


class MatchReason(str, enum.Enum):
    """Why a post was filed under a question, strongest first; ``collected`` when there was no question."""

    REPLY = "reply"
    HASHTAG = "hashtag"
    KEYWORD = "keyword"
    COLLECTED = "collected"  # summarised without a consultation: every collected post, no question


E = TypeVar("E", bound=enum.Enum)


def _coerce(kind: type[E], value: E | str) -> E:
    """The enum member for a value (case-insensitive); anything else is left for the validator."""
    try:
        return kind(value.lower() if isinstance(value, str) else value)
    except ValueError:
        return value  # type: ignore[return-value]  # rejected by _enum_valid with the choices listed


def _to_stage(value: PolicyStage | str) -> PolicyStage:
    return _coerce(PolicyStage, value)


def _to_kind(value: QuestionKind | str) -> QuestionKind:
    return _coerce(QuestionKind, value)


def _to_reason(value: MatchReason | str) -> MatchReason:
    return _coerce(MatchReason, value)


def _to_post(value: Post | Mapping[str, Any]) -> Post:
    return Post.from_dict(value) if isinstance(value, Mapping) else value


def _enum_valid(kind: type[enum.Enum]) -> Any:
    choices = ", ".join(repr(m.value) for m in kind)

    def check(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if not isinstance(value, kind):
            v.fail(instance, attribute, value, f"expected one of {choices}")

    return check


def _post_refs(value: Any) -> Any:
    value = v.to_tuple(value)
    if isinstance(value, tuple) and all(isinstance(r, (list, tuple)) and r for r in value):
        # the network part is lower-cased as `Post.network` is, so ("Mastodon", "1") finds mastodon post 1
        refs = ((str(network).strip().lower(), *(str(p).strip() for p in rest)) for network, *rest in value)
        return tuple(dict.fromkeys(refs))  # repeats dropped, order kept
    return value


def _post_refs_valid(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, tuple) or not all(
        isinstance(ref, tuple) and len(ref) == 2 and all(ref) for ref in value
    ):
        v.fail(instance, attribute, value, "expected (network, post id) pairs")


@attrs.frozen(kw_only=True)
class Question(Serializable):
    """One question of a consultation, and how to recognise its answers on social media.

    ``kind`` is ``"open"`` (free text), ``"closed"`` (pick one of ``options``) or ``"options"`` (pick any of
    ``options``). A post answers it when it replies to one of the department's posts in ``asked_in``
    (``(network, post id)`` pairs), carries one of its ``hashtags``, or mentions one of its ``keywords``.
    """

    id: str = attrs.field(converter=v.to_id, validator=v.nonempty_str)
    text: str = attrs.field(validator=v.nonempty_str)
    kind: QuestionKind = attrs.field(
        default=QuestionKind.OPEN, converter=_to_kind, validator=_enum_valid(QuestionKind)
    )
    options: tuple[str, ...] = attrs.field(default=(), converter=v.to_tuple, validator=v.str_tuple)
    hashtags: tuple[str, ...] = attrs.field(default=(), converter=_hashtags, validator=_hashtags_valid)
    keywords: tuple[str, ...] = attrs.field(default=(), converter=_terms, validator=v.str_tuple)
    asked_in: tuple[tuple[str, str], ...] = attrs.field(
        default=(), converter=_post_refs, validator=_post_refs_valid
    )

    def __attrs_post_init__(self) -> None:
        field = attrs.fields(Question).options
        if self.kind is QuestionKind.OPEN and self.options:
            v.fail(self, field, self.options, "an open question takes no options")
        if self.kind is not QuestionKind.OPEN and len(self.options) < 2:
            v.fail(self, field, self.options, f"a {self.kind.value} question needs two or more options")
        if len(set(self.options)) != len(self.options):
            v.fail(self, field, self.options, "options must be distinct")


def _questions(value: Any) -> Any:
    value = v.to_tuple(value)
    if isinstance(value, tuple):
        return tuple(Question.from_dict(q) if isinstance(q, Mapping) else q for q in value)
    return value


def _questions_valid(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, tuple) or not value or not all(isinstance(q, Question) for q in value):
        v.fail(instance, attribute, value, "expected one or more Question")
    ids = [q.id for q in value]  # type: ignore[attr-defined]  # checked above
    repeated = sorted(i for i, n in Counter(ids).items() if n > 1)
    if repeated:
        v.fail(instance, attribute, repeated, "question ids must be unique")
    refs = Counter(ref for q in value for ref in q.asked_in)  # type: ignore[attr-defined]  # checked above
    shared = sorted(ref for ref, n in refs.items() if n > 1)
    if shared:
        v.fail(instance, attribute, shared, "a post can ask only one question (asked_in repeats)")


@attrs.frozen(kw_only=True)
class Response(Serializable):
    """A post filed as an answer to one question, with why it was filed there.

    ``in_window`` is false when the post was written outside the consultation's opening times: it is kept and
    flagged, never dropped. ``choices`` and ``declared_stance`` hold what the source itself declared (a chosen
    option, Decidim's alignment); inference never overrides them.
    """

    post: Post = attrs.field(converter=_to_post)
    question_id: str = attrs.field(converter=v.to_id, validator=v.nonempty_str)
    matched_by: MatchReason = attrs.field(converter=_to_reason, validator=_enum_valid(MatchReason))
    in_window: bool = attrs.field(default=True, validator=v.is_bool)
    choices: tuple[str, ...] = attrs.field(default=(), converter=v.to_tuple, validator=v.str_tuple)
    declared_stance: str | None = attrs.field(
        default=None, validator=v.optional_choice("favor", "against", "none")
    )

    @post.validator
    def _post_valid(self, attribute: attrs.Attribute[Any], value: object) -> None:
        if not isinstance(value, Post):
            v.fail(self, attribute, value, "expected a Post or a dict of its fields")


@attrs.frozen(kw_only=True)
class Assignment:
    """The result of `Consultation.assign`: every input post is in exactly one of its three parts.

    ``responses`` holds one `Response` per (post, question) match (a post tagged for two questions answers
    both); ``unassigned`` the posts that matched no question; ``question_posts`` the department's own posts
    that asked a question. ``repeats`` counts input posts seen before under the same ``(network, id)``.
    """

    responses: tuple[Response, ...]
    unassigned: tuple[Post, ...]
    question_posts: tuple[Post, ...]
    repeats: int

    def by_question(self) -> dict[str, tuple[Response, ...]]:
        """Responses grouped by question id, in input order."""
        grouped: dict[str, list[Response]] = {}
        for response in self.responses:
            grouped.setdefault(response.question_id, []).append(response)
        return {qid: tuple(rs) for qid, rs in grouped.items()}

    def counts(self) -> dict[str, int]:
        """How many posts went where; ``posts_in`` equals the sum of the three parts plus repeats."""
        answering = len({r.post.key for r in self.responses})
        return {
            "posts_in": answering + len(self.unassigned) + len(self.question_posts) + self.repeats,
            "posts_answering": answering,
            "responses": len(self.responses),
            "unassigned": len(self.unassigned),
            "question_posts": len(self.question_posts),
            "repeats": self.repeats,
            "out_of_window": len({r.post.key for r in self.responses if not r.in_window}),
        }


@attrs.frozen(kw_only=True)
class Consultation(Serializable):
    """A consultation: its questions, the policy stage it serves, and when it is open.

    ``opens`` and ``closes`` are optional; posts outside them are flagged (``Response.in_window``), not lost.
    """

    id: str = attrs.field(converter=v.to_id, validator=v.nonempty_str)
    title: str = attrs.field(validator=v.nonempty_str)
    questions: tuple[Question, ...] = attrs.field(converter=_questions, validator=_questions_valid)
    stage: PolicyStage = attrs.field(
        default=PolicyStage.CONSULTATION, converter=_to_stage, validator=_enum_valid(PolicyStage)
    )
    opens: dt.datetime | None = attrs.field(
        default=None, converter=v.to_optional_datetime, validator=v.optional_utc_datetime
    )
    closes: dt.datetime | None = attrs.field(
        default=None, converter=v.to_optional_datetime, validator=v.optional_utc_datetime
    )
    description: str = attrs.field(default="", validator=v.is_str)

    def __attrs_post_init__(self) -> None:
        if self.opens is not None and self.closes is not None and self.closes <= self.opens:
            v.fail(self, attrs.fields(Consultation).closes, self.closes, "closes must be after opens")

    def question(self, question_id: str) -> Question:
        """The question with this id; `KeyError` names the known ids."""
        for question in self.questions:
            if question.id == question_id:
                return question
        known = ", ".join(q.id for q in self.questions)
        raise KeyError(f"no question {question_id!r} in consultation {self.id!r}; known: {known}")

    def in_window(self, when: dt.datetime) -> bool:
        """Whether a time falls inside ``[opens, closes]`` (an open end always does)."""
        return (self.opens is None or when >= self.opens) and (self.closes is None or when <= self.closes)

    def assign(self, posts: Iterable[Post]) -> Assignment:
        """File posts as responses to the questions they answer; keep and count the rest.

        A post answers question Q when, in this order of strength: it replies (directly or further down the
        thread) to a post that asked Q; it carries one of Q's hashtags; it mentions one of Q's keywords. Only
        the strongest kind of match counts, and a post can answer several questions through it.
        """
        asked = {ref: q.id for q in self.questions for ref in q.asked_in}
        unique: dict[tuple[str, str], Post] = {}
        repeats = 0
        for post in posts:
            if post.key in unique:
                repeats += 1
            else:
                unique[post.key] = post
        responses: list[Response] = []
        unassigned: list[Post] = []
        question_posts: list[Post] = []
        for key, post in unique.items():
            if key in asked:
                question_posts.append(post)
                continue
            reason, question_ids = self._match(post, asked, unique)
            if reason is None:
                unassigned.append(post)
                continue
            in_window = self.in_window(post.created_at)
            responses.extend(
                Response(post=post, question_id=qid, matched_by=reason, in_window=in_window)
                for qid in question_ids
            )
        return Assignment(
            responses=tuple(responses),
            unassigned=tuple(unassigned),
            question_posts=tuple(question_posts),
            repeats=repeats,
        )

    def _match(
        self,
        post: Post,
        asked: Mapping[tuple[str, str], str],
        known: Mapping[tuple[str, str], Post],
    ) -> tuple[MatchReason | None, tuple[str, ...]]:
        thread_question = _thread_question(post, asked, known)
        if thread_question is not None:
            return MatchReason.REPLY, (thread_question,)
        tags = set(post.all_hashtags)
        by_tag = tuple(q.id for q in self.questions if not tags.isdisjoint(q.hashtags))
        if by_tag:
            return MatchReason.HASHTAG, by_tag
        text = post.text.casefold()
        by_word = tuple(
            q.id for q in self.questions if q.keywords and _terms_pattern(q.keywords).search(text)
        )
        if by_word:
            return MatchReason.KEYWORD, by_word
        return None, ()


def _thread_question(
    post: Post, asked: Mapping[tuple[str, str], str], known: Mapping[tuple[str, str], Post]
) -> str | None:
    """The question asked by a post this one replies to, walking up the thread through known posts.

    The nearest asking ancestor wins (a department that asks Q1, Q2, Q3 as one thread has Q1 as every
    reply's ``thread_root``); ``thread_root`` decides only when the reply chain does not reach a question.
    """
    seen: set[str] = set()
    parent = post.reply_to
    while parent is not None and parent not in seen:
        key = (post.network, parent)
        if key in asked:
            return asked[key]
        seen.add(parent)
        ancestor = known.get(key)
        parent = ancestor.reply_to if ancestor is not None else None
    if post.thread_root is not None and (post.network, post.thread_root) in asked:
        return asked[(post.network, post.thread_root)]
    return None


def _share_valid(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, (int, float)) or isinstance(value, bool) or not 0 <= value <= 1:
        v.fail(instance, attribute, value, "expected a share between 0 and 1")


@attrs.frozen(kw_only=True)
class Theme(Serializable):
    """A theme found in (or coded onto) responses: a readable label, its keywords, how big it is.

    ``representatives`` are indices of the texts that best stand for it; ``parent`` is the id of a broader
    theme when themes are grouped.
    """

    id: int = attrs.field(validator=v.is_int)
    label: str = attrs.field(validator=v.nonempty_str)
    keywords: tuple[str, ...] = attrs.field(default=(), converter=v.to_tuple, validator=v.str_tuple)
    size: int = attrs.field(default=0, validator=v.count)
    share: float = attrs.field(default=0.0, validator=_share_valid)
    representatives: tuple[int, ...] = attrs.field(default=(), converter=v.to_tuple, validator=v.index_tuple)
    confidence: float | None = attrs.field(default=None, validator=v.optional_number)
    parent: int | None = attrs.field(default=None, validator=v.optional_int)
    description: str = attrs.field(default="", validator=v.is_str)


def _codes(value: Any) -> Any:
    if isinstance(value, Mapping):
        return v.to_frozen_mapping({str(k).strip(): val for k, val in value.items()})
    return value


def _codes_valid(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if (
        not isinstance(value, Mapping)
        or not value
        or not all(k and isinstance(d, str) for k, d in value.items())
    ):
        v.fail(instance, attribute, value, "expected a non-empty mapping of label to description")


@attrs.frozen(kw_only=True)
class Codebook(Serializable):
    """A department's own list of codes: label to a description of what belongs under it."""

    codes: Mapping[str, str] = attrs.field(converter=_codes, validator=_codes_valid, hash=False)
    name: str = attrs.field(default="", validator=v.is_str)

    @property
    def labels(self) -> tuple[str, ...]:
        """The code labels, in the order given."""
        return tuple(self.codes)
