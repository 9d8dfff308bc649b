"""Consultation, Question, PolicyStage, and `Consultation.assign`: every post filed, kept or counted."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import consultkit as ck
from strategies import consultations, posts

UTC = dt.timezone.utc
OPENS = dt.datetime(2024, 5, 1, tzinfo=UTC)
CLOSES = dt.datetime(2024, 6, 1, tzinfo=UTC)
DURING = dt.datetime(2024, 5, 10, tzinfo=UTC)


def post(id: str, text: str = "", *, network: str = "mastodon", **fields: Any) -> ck.Post:
    return ck.Post(network=network, id=id, text=text, created_at=fields.pop("created_at", DURING), **fields)


# -- PolicyStage ------------------------------------------------------------------------------------


STAGES = [
    ("AGENDA", "agenda"),
    ("FORMULATION", "formulation"),
    ("CONSULTATION", "consultation"),
    ("DECISION", "decision"),
    ("IMPLEMENTATION", "implementation"),
    ("EVALUATION", "evaluation"),
]


def test_policy_stage_members_in_policy_cycle_order() -> None:
    assert [(m.name, m.value) for m in ck.PolicyStage] == STAGES


@pytest.mark.parametrize(("name", "value"), STAGES)
def test_policy_stage_value_lookup_and_purpose(name: str, value: str) -> None:
    stage = ck.PolicyStage[name]
    assert ck.PolicyStage(value) is stage
    assert stage == value  # a str enum: compares equal to its value, serialises as it
    assert isinstance(stage.purpose, str)
    assert len(stage.purpose) > 20


def test_policy_stage_purposes_are_distinct() -> None:
    assert len({stage.purpose for stage in ck.PolicyStage}) == len(ck.PolicyStage)


@pytest.mark.parametrize(("given_value", "expected"), [("agenda", "AGENDA"), ("Decision", "DECISION")])
def test_consultation_stage_accepts_strings(given_value: str, expected: str) -> None:
    consultation = ck.Consultation(
        id="c", title="t", questions=[ck.Question(id="q", text="?")], stage=given_value
    )
    assert consultation.stage is ck.PolicyStage[expected]


def test_consultation_stage_defaults_to_consultation() -> None:
    assert ck.Consultation(id="c", title="t", questions=[ck.Question(id="q", text="?")]).stage is (
        ck.PolicyStage.CONSULTATION
    )


# -- Question ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "options"),
    [
        ("open", ()),
        ("closed", ("yes", "no")),
        ("CLOSED", ["yes", "no", "unsure"]),
        ("options", ("buses", "trams", "bikes")),
        (ck.QuestionKind.OPTIONS, ("a", "b")),
    ],
)
def test_valid_question_kinds(kind: Any, options: Any) -> None:
    question = ck.Question(id="q", text="?", kind=kind, options=options)
    assert question.kind is ck.QuestionKind(str(getattr(kind, "value", kind)).lower())
    assert question.options == tuple(options)


@pytest.mark.parametrize(
    ("kind", "options", "problem"),
    [
        ("open", ("yes", "no"), "an open question takes no options"),
        ("closed", (), "a closed question needs two or more options"),
        ("closed", ("yes",), "a closed question needs two or more options"),
        ("options", ("only",), "a options question needs two or more options"),
        ("closed", ("yes", "no", "yes"), "options must be distinct"),
        ("options", ("a", "a"), "options must be distinct"),
    ],
)
def test_invalid_question_options(kind: str, options: tuple[str, ...], problem: str) -> None:
    with pytest.raises(ck.ModelValidationError, match=problem) as info:
        ck.Question(id="q", text="?", kind=kind, options=options)
    assert (info.value.model, info.value.field) == ("Question", "options")


def test_question_asked_in_normalises_pairs() -> None:
    question = ck.Question(id=7, text="?", asked_in=[["Mastodon ", 123], ("bluesky", " at://x ")])
    assert question.id == "7"
    assert question.asked_in == (("mastodon", "123"), ("bluesky", "at://x"))


def test_question_keywords_and_hashtags_are_normalised() -> None:
    question = ck.Question(
        id="q", text="?", hashtags=["#BusLanes", "buslanes"], keywords=["Parking", "parking"]
    )
    assert question.hashtags == ("buslanes",)
    assert question.keywords == ("Parking",)


# -- Consultation -----------------------------------------------------------------------------------


def test_consultation_rejects_repeated_question_ids() -> None:
    questions = [ck.Question(id="q1", text="a"), ck.Question(id="q2", text="b"), ck.Question(id=1, text="c")]
    questions.append(ck.Question(id="q1", text="d"))
    with pytest.raises(ck.ModelValidationError, match="question ids must be unique") as info:
        ck.Consultation(id="c", title="t", questions=questions)
    assert info.value.field == "questions"
    assert info.value.value == ["q1"]


@pytest.mark.parametrize("closes", [OPENS, OPENS - dt.timedelta(seconds=1), "2024-04-30T23:00:00-01:00"])
def test_consultation_closes_must_be_after_opens(closes: Any) -> None:
    with pytest.raises(ck.ModelValidationError, match="closes must be after opens") as info:
        ck.Consultation(
            id="c", title="t", questions=[ck.Question(id="q", text="?")], opens=OPENS, closes=closes
        )
    assert info.value.field == "closes"


@pytest.mark.parametrize(("opens", "closes"), [(OPENS, None), (None, CLOSES), (None, None), (OPENS, CLOSES)])
def test_consultation_window_ends_are_optional(opens: Any, closes: Any) -> None:
    consultation = ck.Consultation(
        id="c", title="t", questions=[ck.Question(id="q", text="?")], opens=opens, closes=closes
    )
    assert (consultation.opens, consultation.closes) == (opens, closes)


def test_consultation_accepts_question_dicts() -> None:
    consultation = ck.Consultation(id="c", title="t", questions=[{"id": "q", "text": "?", "kind": "open"}])
    assert consultation.questions == (ck.Question(id="q", text="?"),)


def test_question_lookup_names_known_ids() -> None:
    consultation = ck.Consultation(
        id="c", title="t", questions=[ck.Question(id="q1", text="a"), ck.Question(id="q2", text="b")]
    )
    assert consultation.question("q2").text == "b"
    with pytest.raises(KeyError, match="no question 'q3' in consultation 'c'; known: q1, q2"):
        consultation.question("q3")


@pytest.mark.parametrize(
    ("when", "expected"),
    [
        (OPENS - dt.timedelta(microseconds=1), False),
        (OPENS, True),
        (DURING, True),
        (CLOSES, True),  # closes is inclusive
        (CLOSES + dt.timedelta(microseconds=1), False),
    ],
)
def test_in_window_is_inclusive(when: dt.datetime, expected: bool) -> None:
    consultation = ck.Consultation(
        id="c", title="t", questions=[ck.Question(id="q", text="?")], opens=OPENS, closes=CLOSES
    )
    assert consultation.in_window(when) is expected


# -- assign -----------------------------------------------------------------------------------------

CONSULTATION = ck.Consultation(
    id="buses-2024",
    title="Bus lanes",
    opens=OPENS,
    closes=CLOSES,
    questions=[
        ck.Question(
            id="q1",
            text="Bus lanes?",
            asked_in=[("mastodon", "100")],
            hashtags=["Q1Tag"],
            keywords=["parking"],
        ),
        ck.Question(id="q2", text="Fares?", asked_in=[("mastodon", "200")], hashtags=["q2tag", "shared"]),
        ck.Question(id="q3", text="Routes?", hashtags=["shared"], keywords=["bus lane", "route"]),
    ],
)

QUESTION_POSTS = [
    post("100", "Q1: what about bus lanes? #Q1Tag"),
    post("200", "Q2: and fares?", reply_to="100", thread_root="100"),  # the department's thread
]


def matches(*items: ck.Post) -> dict[str, list[tuple[str, str]]]:
    """{post id: [(question id, reason), ...]} for everything filed."""
    assignment = CONSULTATION.assign([*QUESTION_POSTS, *items])
    found: dict[str, list[tuple[str, str]]] = {}
    for response in assignment.responses:
        found.setdefault(response.post.id, []).append((response.question_id, response.matched_by.value))
    return found


@pytest.mark.parametrize(
    ("items", "expected"),
    [
        pytest.param([post("1", "yes", reply_to="100")], {"1": [("q1", "reply")]}, id="direct-reply"),
        pytest.param(
            [
                post("1", "yes", reply_to="100"),
                post("2", "agree", reply_to="1"),
                post("3", "no", reply_to="2"),
            ],
            {"1": [("q1", "reply")], "2": [("q1", "reply")], "3": [("q1", "reply")]},
            id="nested-reply-through-present-posts",
        ),
        pytest.param(
            [
                post("3", "no", reply_to="2"),
                post("2", "agree", reply_to="1"),
                post("1", "yes", reply_to="100"),
            ],
            {"1": [("q1", "reply")], "2": [("q1", "reply")], "3": [("q1", "reply")]},
            id="nested-reply-in-any-input-order",
        ),
        pytest.param([post("3", "no", reply_to="999")], {}, id="reply-chain-broken-no-thread-root"),
        pytest.param(
            [post("3", "no", reply_to="999", thread_root="100")],
            {"3": [("q1", "reply")]},
            id="via-thread-root",
        ),
        pytest.param(
            [post("5", "fares are high", reply_to="200", thread_root="100")],
            {"5": [("q2", "reply")]},
            id="nearest-question-beats-thread-root",
        ),
        pytest.param(
            [
                post("5", "x", reply_to="6", thread_root="100"),
                post("6", "y", reply_to="200", thread_root="100"),
            ],
            {"5": [("q2", "reply")], "6": [("q2", "reply")]},
            id="nested-in-department-thread",
        ),
        pytest.param([post("1", "I say #q1tag")], {"1": [("q1", "hashtag")]}, id="hashtag-in-text"),
        pytest.param(
            [post("1", "no tag", hashtags=["Q1TAG"])], {"1": [("q1", "hashtag")]}, id="hashtag-field"
        ),
        pytest.param([post("1", "Parking is hard")], {"1": [("q1", "keyword")]}, id="keyword"),
        pytest.param([post("1", "the bus lanes")], {}, id="keyword-whole-words-only"),
        pytest.param(
            [post("1", "#q2tag", reply_to="100")], {"1": [("q1", "reply")]}, id="reply-beats-hashtag"
        ),
        pytest.param(
            [post("1", "#q2tag about parking")], {"1": [("q2", "hashtag")]}, id="hashtag-beats-keyword"
        ),
        pytest.param(
            [post("1", "#shared")],
            {"1": [("q2", "hashtag"), ("q3", "hashtag")]},
            id="hashtag-for-two-questions",
        ),
        pytest.param(
            [post("1", "parking on my route")],
            {"1": [("q1", "keyword"), ("q3", "keyword")]},
            id="two-keywords",
        ),
        pytest.param(
            [post("1", "yes", network="bluesky", reply_to="100")],
            {},
            id="reply-on-another-network-is-not-a-reply",
        ),
        pytest.param(
            [post("1", "a", reply_to="2"), post("2", "b", reply_to="1")], {}, id="reply-cycle-terminates"
        ),
    ],
)
def test_assign_matching(items: list[ck.Post], expected: dict[str, list[tuple[str, str]]]) -> None:
    assert matches(*items) == expected


def test_assign_sets_aside_question_posts_keeps_unassigned_and_counts_repeats() -> None:
    reply = post("1", "yes", reply_to="100")
    stray = post("9", "nothing to do with it")
    early = post("7", "#q1tag", created_at=OPENS - dt.timedelta(days=1))
    late = post("8", "#shared", created_at=CLOSES + dt.timedelta(days=1))
    assignment = CONSULTATION.assign([*QUESTION_POSTS, reply, stray, reply, early, late, QUESTION_POSTS[0]])

    assert assignment.question_posts == tuple(QUESTION_POSTS)
    assert assignment.unassigned == (stray,)
    assert assignment.repeats == 2
    by_post = {(r.post.id, r.question_id): r for r in assignment.responses}
    assert set(by_post) == {("1", "q1"), ("7", "q1"), ("8", "q2"), ("8", "q3")}
    assert by_post[("1", "q1")].in_window is True
    assert by_post[("7", "q1")].in_window is False  # flagged, not dropped
    assert by_post[("8", "q2")].in_window is False
    assert assignment.counts() == {
        "posts_in": 8,
        "posts_answering": 3,
        "responses": 4,
        "unassigned": 1,
        "question_posts": 2,
        "repeats": 2,
        "out_of_window": 2,
    }
    assert {qid: [r.post.id for r in rs] for qid, rs in assignment.by_question().items()} == {
        "q1": ["1", "7"],
        "q2": ["8"],
        "q3": ["8"],
    }


def test_assign_matches_asked_in_whatever_the_network_spelling() -> None:
    # Post.network is lower-cased, so a question asked in ("Mastodon", "100") must find mastodon post 100.
    question = ck.Question(id="q", text="?", asked_in=[(" Mastodon", "100")])
    consultation = ck.Consultation(id="c", title="t", questions=[question])
    assignment = consultation.assign([post("100", "asking"), post("1", "answer", reply_to="100")])
    assert [p.id for p in assignment.question_posts] == ["100"]
    assert [(r.post.id, r.question_id, r.matched_by) for r in assignment.responses] == [
        ("1", "q", ck.MatchReason.REPLY)
    ]


def test_assign_keeps_the_first_copy_of_a_repeated_post() -> None:
    first = post("1", "#q1tag", metrics={"likes": 1})
    again = post("1", "#q1tag", metrics={"likes": 5})
    assignment = CONSULTATION.assign([first, again])
    assert [r.post for r in assignment.responses] == [first]
    assert assignment.repeats == 1


def test_assign_without_window_marks_everything_in_window() -> None:
    consultation = ck.Consultation(
        id="c", title="t", questions=[ck.Question(id="q", text="?", hashtags=["x"])]
    )
    old = post("1", "#x", created_at="1999-01-01T00:00:00Z")
    assert [r.in_window for r in consultation.assign([old]).responses] == [True]


def test_assign_accepts_any_iterable_once() -> None:
    assignment = CONSULTATION.assign(post(str(i), "#q1tag") for i in range(3))
    assert [r.post.id for r in assignment.responses] == ["0", "1", "2"]


def test_assign_of_nothing() -> None:
    assignment = CONSULTATION.assign([])
    assert assignment.responses == assignment.unassigned == assignment.question_posts == ()
    assert assignment.counts()["posts_in"] == 0


# -- property: nothing is lost ----------------------------------------------------------------------

_IDS = [str(i) for i in range(8)]
_TAGS = ["alpha", "beta", "gamma"]
_WORDS = ["park", "bus", "fare"]


def _assign_questions() -> st.SearchStrategy[ck.Question]:
    return st.builds(
        ck.Question,
        id=st.sampled_from(["q1", "q2", "q3", "q4"]),
        text=st.just("?"),
        hashtags=st.lists(st.sampled_from(_TAGS), max_size=2),
        keywords=st.lists(st.sampled_from(_WORDS), max_size=2),
        asked_in=st.lists(
            st.tuples(st.sampled_from(["mastodon", "bluesky"]), st.sampled_from(_IDS)), max_size=2
        ),
    )


_linked_posts = posts(
    network=st.sampled_from(["mastodon", "bluesky"]),
    id=st.sampled_from(_IDS),
    text=st.lists(st.sampled_from([*(f"#{t}" for t in _TAGS), *_WORDS, "other", " ", "\n"]), max_size=6).map(
        "".join
    ),
    hashtags=st.lists(st.sampled_from(_TAGS), max_size=1),
    reply_to=st.none() | st.sampled_from(_IDS),
    thread_root=st.none() | st.sampled_from(_IDS),
)


@given(
    consultation=consultations(
        questions=st.lists(_assign_questions(), min_size=1, max_size=4, unique_by=lambda q: q.id)
    ),
    items=st.lists(_linked_posts, max_size=25),
)
def test_assign_never_loses_a_post(consultation: ck.Consultation, items: list[ck.Post]) -> None:
    assignment = consultation.assign(items)
    answered = {r.post.key for r in assignment.responses}
    unassigned = [p.key for p in assignment.unassigned]
    asked = [p.key for p in assignment.question_posts]
    unique_keys = {p.key for p in items}

    # every unique input post is in exactly one part
    assert len(unassigned) == len(set(unassigned))
    assert len(asked) == len(set(asked))
    assert answered.isdisjoint(unassigned)
    assert answered.isdisjoint(asked)
    assert set(unassigned).isdisjoint(asked)
    assert answered | set(unassigned) | set(asked) == unique_keys

    counts = assignment.counts()
    assert counts["posts_in"] == len(items)
    assert assignment.repeats == len(items) - len(unique_keys)

    first_copy: dict[tuple[str, str], ck.Post] = {}
    for item in items:
        first_copy.setdefault(item.key, item)
    assert all(p == first_copy[p.key] for p in (*assignment.unassigned, *assignment.question_posts))
    assert all(r.post == first_copy[r.post.key] for r in assignment.responses)

    # one reason per post, no question twice for a post, window flag as the consultation says
    reasons: dict[tuple[str, str], set[ck.MatchReason]] = {}
    for response in assignment.responses:
        reasons.setdefault(response.post.key, set()).add(response.matched_by)
        assert response.in_window is consultation.in_window(response.post.created_at)
    assert all(len(r) == 1 for r in reasons.values())
    pairs = Counter((r.post.key, r.question_id) for r in assignment.responses)
    assert all(n == 1 for n in pairs.values())
    known_ids = {q.id for q in consultation.questions}
    assert {r.question_id for r in assignment.responses} <= known_ids
