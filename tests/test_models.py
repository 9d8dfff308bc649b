"""Post, Author, Query, Page (and the shared validation of every model): converters at the edges, validators
that name the field, frozen values, lossless dicts, keyed pseudonyms."""

from __future__ import annotations

import datetime as dt
import io
import json
import math
import os
import stat
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import consultkit as ck
from consultkit._hashtags import normalize_hashtags
from consultkit._pseudonym import KEY_ENV
from strategies import authors, consultations, hashtags, posts, queries, questions

UTC = dt.timezone.utc
WHEN = dt.datetime(2024, 5, 1, 12, 0, tzinfo=UTC)


def make_post(**changes: Any) -> ck.Post:
    fields: dict[str, Any] = {"network": "mastodon", "id": "1", "text": "hello", "created_at": WHEN}
    return ck.Post(**{**fields, **changes})


QUESTION = ck.Question(id="q1", text="What do you think?")

# One valid set of keyword arguments per model; the validator table below spoils one field at a time.
VALID: dict[type, dict[str, Any]] = {
    ck.Post: {"network": "mastodon", "id": "1", "text": "hi", "created_at": WHEN},
    ck.Author: {"id": "u_1"},
    ck.Query: {},
    ck.Question: {"id": "q1", "text": "Why?"},
    ck.Consultation: {"id": "c1", "title": "Buses", "questions": (QUESTION,)},
    ck.Response: {"post": make_post(), "question_id": "q1", "matched_by": "hashtag"},
    ck.Theme: {"id": 0, "label": "parking"},
    ck.Codebook: {"codes": {"cost": "money worries"}},
    ck.Page: {},
}


# -- construction and converters --------------------------------------------------------------------


def test_post_minimal_construction_and_defaults() -> None:
    post = make_post()
    assert post.key == ("mastodon", "1")
    assert post.author is None
    assert post.url is None
    assert post.lang is None
    assert post.hashtags == ()
    assert post.reply_to is None
    assert post.thread_root is None
    assert post.metrics == {}
    assert post.extra == {}


def test_models_are_keyword_only() -> None:
    with pytest.raises(TypeError):
        ck.Post("mastodon", "1", "hi", WHEN)  # type: ignore[misc]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-05-01T14:00:00+02:00", dt.datetime(2024, 5, 1, 12, 0, tzinfo=UTC)),
        ("2024-05-01T12:00:00Z", dt.datetime(2024, 5, 1, 12, 0, tzinfo=UTC)),
        ("2024-05-01T07:00:00-05:00", dt.datetime(2024, 5, 1, 12, 0, tzinfo=UTC)),
        ("  2024-05-01T12:00:00.250000+00:00 ", dt.datetime(2024, 5, 1, 12, 0, 0, 250000, tzinfo=UTC)),
        ("20240501T120000Z", dt.datetime(2024, 5, 1, 12, 0, tzinfo=UTC)),
        (dt.datetime(2024, 5, 1, 13, 0, tzinfo=ZoneInfo("Europe/London")), WHEN),
        (dt.datetime(2024, 5, 1, 21, 0, tzinfo=ZoneInfo("Asia/Tokyo")), WHEN),
        (dt.datetime(2024, 5, 1, 12, 0, tzinfo=dt.timezone(dt.timedelta(0))), WHEN),
    ],
)
def test_created_at_is_converted_to_utc(value: Any, expected: dt.datetime) -> None:
    post = make_post(created_at=value)
    assert post.created_at == expected
    assert post.created_at.tzinfo is UTC


@pytest.mark.parametrize("value", [dt.datetime(2024, 5, 1, 12, 0), "2024-05-01T12:00:00", "2024-05-01"])
def test_naive_datetime_is_rejected_with_a_clear_message(value: Any) -> None:
    with pytest.raises(ck.ModelValidationError, match="naive datetime has no time zone") as info:
        make_post(created_at=value)
    assert info.value.field == "created_at"
    assert "tzinfo=timezone.utc" in str(info.value)  # says how to fix it


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("id", 109876, "109876"),
        ("id", 0, "0"),
        ("reply_to", 42, "42"),
        ("thread_root", 7, "7"),
        ("network", " Mastodon ", "mastodon"),
        ("lang", "EN", "en"),
        ("lang", " pt-BR ", "pt-br"),
        ("hashtags", ["#BusLanes", "buslanes", "#NHS"], ("buslanes", "nhs")),
        (
            "hashtags",
            ("\uff24\uff25\uff2d\uff25\uff2e\uff34\uff29\uff21",),
            ("dementia",),
        ),  # fullwidth letters: NFKC
        ("hashtags", ["Straße"], ("strasse",)),  # case-folded, not just lower-cased
        ("hashtags", iter(["#a", "#b"]), ("a", "b")),
        ("metrics", {"likes": 3}, {"likes": 3}),
        ("extra", {"tags": ("a", "b"), "n": {"x": (1,)}}, {"tags": ["a", "b"], "n": {"x": [1]}}),
    ],
)
def test_post_converters(field: str, value: Any, expected: Any) -> None:
    assert getattr(make_post(**{field: value}), field) == expected


def test_author_given_as_a_dict_becomes_an_author() -> None:
    post = make_post(author={"id": "u_1", "posts_count": 3})
    assert post.author == ck.Author(id="u_1", posts_count=3)


def test_all_hashtags_joins_field_and_text_without_repeats() -> None:
    post = make_post(text="Go #BusLanes and #Parking! #buslanes", hashtags=["#NHS", "buslanes"])
    assert post.all_hashtags == ("nhs", "buslanes", "parking")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (["bus lane", "Bus Lane", " parking "], ("bus lane", "parking")),
        (("NHS",), ("NHS",)),
        ([], ()),
    ],
)
def test_query_terms_are_stripped_and_deduplicated_ignoring_case(value: Any, expected: Any) -> None:
    assert ck.Query(terms=value).terms == expected


def test_page_accepts_post_dicts_and_reports_last_page() -> None:
    page = ck.Page(posts=[make_post().to_dict()], skipped={"deleted": 2})
    assert page.posts == (make_post(),)
    assert page.is_last
    assert not ck.Page(next_cursor="40").is_last


# -- every validator names its field ----------------------------------------------------------------

NAN = float("nan")

BAD_VALUES: list[tuple[type, str, Any]] = [
    (ck.Post, "network", ""),
    (ck.Post, "network", "   "),
    (ck.Post, "network", None),
    (ck.Post, "network", 3),
    (ck.Post, "id", ""),
    (ck.Post, "id", None),
    (ck.Post, "id", True),
    (ck.Post, "id", 1.5),
    (ck.Post, "text", None),
    (ck.Post, "text", b"bytes"),
    (ck.Post, "created_at", "yesterday"),
    (ck.Post, "created_at", 1714564800),
    (ck.Post, "created_at", None),
    (ck.Post, "created_at", dt.date(2024, 5, 1)),
    (ck.Post, "author", "u_1"),
    (ck.Post, "author", 3),
    (ck.Post, "url", "ftp://example.org/1"),
    (ck.Post, "url", "example.org/1"),
    (ck.Post, "url", ""),
    (ck.Post, "lang", ""),
    (ck.Post, "lang", 3),
    (ck.Post, "hashtags", "buslanes"),
    (ck.Post, "hashtags", ["bus lanes"]),
    (ck.Post, "hashtags", ["#"]),
    (ck.Post, "hashtags", [3]),
    (ck.Post, "hashtags", None),
    (ck.Post, "reply_to", ""),
    (ck.Post, "reply_to", "  "),
    (ck.Post, "thread_root", ""),
    (ck.Post, "metrics", {"likes": "3"}),
    (ck.Post, "metrics", {"likes": True}),
    (ck.Post, "metrics", {"likes": 1.5}),
    (ck.Post, "metrics", {1: 2}),
    (ck.Post, "metrics", [("likes", 1)]),
    (ck.Post, "extra", {"x": NAN}),
    (ck.Post, "extra", {"x": math.inf}),
    (ck.Post, "extra", {"x": {1, 2}}),
    (ck.Post, "extra", {"x": object()}),
    (ck.Post, "extra", "x"),
    (ck.Author, "id", ""),
    (ck.Author, "id", None),
    (ck.Author, "handle", ""),
    (ck.Author, "handle", 3),
    (ck.Author, "created_at", "2020-01-01T00:00:00"),
    (ck.Author, "created_at", "long ago"),
    (ck.Author, "posts_count", -1),
    (ck.Author, "posts_count", True),
    (ck.Author, "posts_count", "3"),
    (ck.Author, "posts_count", 3.0),
    (ck.Author, "followers_count", -5),
    (ck.Query, "hashtags", "nhs"),
    (ck.Query, "hashtags", ["two words"]),
    (ck.Query, "hashtags", ["##"]),
    (ck.Query, "terms", "bus"),
    (ck.Query, "terms", [""]),
    (ck.Query, "terms", ["   "]),
    (ck.Query, "terms", [3]),
    (ck.Query, "lang", ""),
    (ck.Question, "id", ""),
    (ck.Question, "id", None),
    (ck.Question, "text", ""),
    (ck.Question, "text", None),
    (ck.Question, "kind", "yes-no"),
    (ck.Question, "kind", 3),
    (ck.Question, "options", "ab"),
    (ck.Question, "hashtags", ["a b"]),
    (ck.Question, "keywords", [""]),
    (ck.Question, "keywords", "parking"),
    (ck.Question, "asked_in", [("mastodon",)]),
    (ck.Question, "asked_in", ["mastodon:1"]),
    (ck.Question, "asked_in", [("mastodon", "")]),
    (ck.Question, "asked_in", [("mastodon", "1", "x")]),
    (ck.Consultation, "id", ""),
    (ck.Consultation, "title", ""),
    (ck.Consultation, "title", None),
    (ck.Consultation, "questions", ()),
    (ck.Consultation, "questions", "q1"),
    (ck.Consultation, "questions", [QUESTION, "q2"]),
    (ck.Consultation, "questions", [QUESTION, QUESTION]),
    (ck.Consultation, "stage", "later"),
    (ck.Consultation, "opens", "2024-01-01T00:00:00"),
    (ck.Consultation, "closes", "soon"),
    (ck.Consultation, "description", None),
    (ck.Response, "post", "x"),
    (ck.Response, "post", None),
    (ck.Response, "question_id", ""),
    (ck.Response, "matched_by", "guess"),
    (ck.Response, "in_window", "yes"),
    (ck.Response, "in_window", 1),
    (ck.Response, "choices", "a"),
    (ck.Response, "choices", [""]),
    (ck.Response, "declared_stance", "maybe"),
    (ck.Response, "declared_stance", "FAVOR"),
    (ck.Theme, "id", "1"),
    (ck.Theme, "id", True),
    (ck.Theme, "id", None),
    (ck.Theme, "label", ""),
    (ck.Theme, "keywords", "x"),
    (ck.Theme, "size", -1),
    (ck.Theme, "size", True),
    (ck.Theme, "share", 1.5),
    (ck.Theme, "share", -0.1),
    (ck.Theme, "share", NAN),
    (ck.Theme, "share", True),
    (ck.Theme, "representatives", [-1]),
    (ck.Theme, "representatives", ["1"]),
    (ck.Theme, "representatives", [True]),
    (ck.Theme, "confidence", "high"),
    (ck.Theme, "confidence", NAN),
    (ck.Theme, "confidence", True),
    (ck.Theme, "parent", "0"),
    (ck.Theme, "parent", True),
    (ck.Theme, "description", None),
    (ck.Codebook, "codes", {}),
    (ck.Codebook, "codes", "cost"),
    (ck.Codebook, "codes", {"": "empty label"}),
    (ck.Codebook, "codes", {"  ": "blank label"}),
    (ck.Codebook, "codes", {"cost": 3}),
    (ck.Codebook, "name", None),
    (ck.Page, "posts", "x"),
    (ck.Page, "posts", [3]),
    (ck.Page, "next_cursor", ""),
    (ck.Page, "skipped", {"deleted": "2"}),
    (ck.Page, "skipped", []),
]


@pytest.mark.parametrize(
    ("model", "field", "value"), BAD_VALUES, ids=[f"{m.__name__}.{f}={v!r}" for m, f, v in BAD_VALUES]
)
def test_validator_rejects_bad_value_naming_the_field(model: type, field: str, value: Any) -> None:
    with pytest.raises(ck.ModelValidationError) as info:
        model(**{**VALID[model], field: value})
    assert info.value.model == model.__name__
    assert info.value.field == field
    assert str(info.value).startswith(f"{model.__name__}.{field}: ")


@pytest.mark.parametrize("model", list(VALID), ids=lambda m: m.__name__)
def test_valid_arguments_build_every_model(model: type) -> None:
    instance = model(**VALID[model])
    assert model.from_dict(instance.to_dict()) == instance


# -- frozen, hashable, evolve -------------------------------------------------------------------------


@pytest.mark.parametrize("model", list(VALID), ids=lambda m: m.__name__)
def test_models_are_frozen(model: type) -> None:
    instance = model(**VALID[model])
    field = attrs.fields(model)[0].name
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        setattr(instance, field, getattr(instance, field))


@pytest.mark.parametrize(
    ("build", "attribute"),
    [
        (lambda: make_post(metrics={"likes": 1}), "metrics"),
        (lambda: make_post(extra={"a": 1}), "extra"),
        (lambda: ck.Page(skipped={"deleted": 1}), "skipped"),
        (lambda: ck.Codebook(codes={"cost": "money"}), "codes"),
    ],
)
def test_mapping_fields_are_read_only_copies(build: Callable[[], Any], attribute: str) -> None:
    instance = build()
    mapping = getattr(instance, attribute)
    with pytest.raises(TypeError):
        mapping["new"] = 1
    before = dict(mapping)
    assert getattr(instance, attribute) == before


def test_mapping_fields_do_not_follow_the_callers_dict() -> None:
    metrics = {"likes": 1}
    post = make_post(metrics=metrics)
    metrics["likes"] = 99
    assert post.metrics == {"likes": 1}


@pytest.mark.parametrize("model", list(VALID), ids=lambda m: m.__name__)
def test_models_are_hashable_and_equal_by_value(model: type) -> None:
    one, two = model(**VALID[model]), model(**VALID[model])
    assert one == two
    assert hash(one) == hash(two)
    assert len({one, two}) == 1


def test_posts_differing_only_in_metrics_are_unequal_but_hashable() -> None:
    one, two = make_post(metrics={"likes": 1}), make_post(metrics={"likes": 2})
    assert one != two
    assert len({one, two}) == 2


def test_evolve_runs_converters_and_validators() -> None:
    post = make_post()
    moved = attrs.evolve(post, text="new", created_at="2024-05-01T14:00:00+02:00", hashtags=["#NHS"])
    assert moved.text == "new"
    assert moved.created_at == WHEN
    assert moved.hashtags == ("nhs",)
    assert post.text == "hello"  # the original is untouched
    with pytest.raises(ck.ModelValidationError, match="created_at"):
        attrs.evolve(post, created_at="2024-05-01T12:00:00")


# -- to_dict / from_dict -----------------------------------------------------------------------------


def test_post_to_dict_is_plain_json() -> None:
    post = make_post(
        author=ck.Author(id="u_1", created_at="2020-01-01T00:00:00+01:00"),
        hashtags=["NHS"],
        metrics={"likes": 2},
        extra={"visibility": "public"},
    )
    data = post.to_dict()
    assert data == {
        "network": "mastodon",
        "id": "1",
        "text": "hello",
        "created_at": "2024-05-01T12:00:00Z",
        "author": {
            "id": "u_1",
            "handle": None,
            "created_at": "2019-12-31T23:00:00Z",
            "posts_count": None,
            "followers_count": None,
        },
        "url": None,
        "lang": None,
        "hashtags": ["nhs"],
        "reply_to": None,
        "thread_root": None,
        "metrics": {"likes": 2},
        "extra": {"visibility": "public"},
    }
    assert json.loads(json.dumps(data)) == data


def test_enums_serialise_as_their_values() -> None:
    consultation = ck.Consultation(
        id="c", title="t", questions=[ck.Question(id="q", text="?", kind="closed", options=["a", "b"])]
    )
    data = consultation.to_dict()
    assert data["stage"] == "consultation"
    assert data["questions"][0]["kind"] == "closed"


@pytest.mark.parametrize(
    ("strategy", "model"),
    [
        (posts(), ck.Post),
        (authors(), ck.Author),
        (queries(), ck.Query),
        (questions(), ck.Question),
        (consultations(), ck.Consultation),
    ],
    ids=["Post", "Author", "Query", "Question", "Consultation"],
)
@given(data=st.data())
def test_to_dict_from_dict_round_trip(
    strategy: st.SearchStrategy[Any], model: type, data: st.DataObject
) -> None:
    instance = data.draw(strategy)
    plain = instance.to_dict()
    assert json.loads(json.dumps(plain)) == plain  # JSON types only
    assert model.from_dict(plain) == instance
    assert model.from_dict(json.loads(json.dumps(plain))) == instance


def test_from_dict_rejects_an_unknown_field_listing_the_known_ones() -> None:
    data = {**make_post().to_dict(), "likes": 3}
    with pytest.raises(ck.ModelValidationError, match="unknown field; known: network, id, text") as info:
        ck.Post.from_dict(data)
    assert info.value.field == "likes"


@pytest.mark.parametrize("field", ["network", "id", "text", "created_at"])
def test_from_dict_rejects_a_missing_required_field(field: str) -> None:
    data = make_post().to_dict()
    del data[field]
    with pytest.raises(ck.ModelValidationError, match="required field is missing") as info:
        ck.Post.from_dict(data)
    assert info.value.field == field


@pytest.mark.parametrize("data", [["network", "mastodon"], "post", None])
def test_from_dict_rejects_a_non_mapping(data: Any) -> None:
    with pytest.raises(ck.ModelValidationError, match="expected a mapping") as info:
        ck.Post.from_dict(data)
    assert info.value.field == "<record>"


def test_from_dict_reports_a_nested_error_under_the_nested_model() -> None:
    data = {**make_post().to_dict(), "author": {"id": "u_1", "posts_count": -1}}
    with pytest.raises(ck.ModelValidationError) as info:
        ck.Post.from_dict(data)
    assert (info.value.model, info.value.field) == ("Author", "posts_count")


# -- pseudonyms -------------------------------------------------------------------------------------

KEY_A = ck.Pseudonymizer("key-a-not-secret")
KEY_B = ck.Pseudonymizer("key-b-not-secret")


def test_from_account_same_key_same_pseudonym() -> None:
    one = ck.Author.from_account("mastodon", "109876", pseudonymizer=KEY_A)
    two = ck.Author.from_account("mastodon", 109876, pseudonymizer=ck.Pseudonymizer("key-a-not-secret"))
    assert one.id == two.id
    assert one.id.startswith("u_")
    assert len(one.id) == 22


@pytest.mark.parametrize(
    ("network", "account", "pseudonymizer"),
    [("mastodon", "109876", KEY_B), ("bluesky", "109876", KEY_A), ("mastodon", "109877", KEY_A)],
)
def test_from_account_different_key_network_or_account_different_pseudonym(
    network: str, account: str, pseudonymizer: ck.Pseudonymizer
) -> None:
    base = ck.Author.from_account("mastodon", "109876", pseudonymizer=KEY_A)
    assert ck.Author.from_account(network, account, pseudonymizer=pseudonymizer).id != base.id


def test_from_account_network_spelling_does_not_split_an_author() -> None:
    # Post.network is normalised ("Mastodon" -> "mastodon"); the pseudonym must be too.
    one = ck.Author.from_account("Mastodon ", "1", pseudonymizer=KEY_A)
    assert one.id == ck.Author.from_account("mastodon", "1", pseudonymizer=KEY_A).id


def test_from_account_drops_the_handle_unless_asked_and_never_stores_the_raw_id() -> None:
    author = ck.Author.from_account(
        "mastodon", 109876, handle="@alice@example.social", posts_count=5, pseudonymizer=KEY_A
    )
    assert author.handle is None
    assert author.posts_count == 5
    serialised = json.dumps(author.to_dict())
    assert "109876" not in serialised
    assert "alice" not in serialised
    kept = ck.Author.from_account(
        "mastodon", 109876, handle="@alice@example.social", keep_handle=True, pseudonymizer=KEY_A
    )
    assert kept.handle == "@alice@example.social"
    assert "109876" not in json.dumps(kept.to_dict())


def test_from_account_uses_the_environment_key_by_default() -> None:
    expected = ck.Pseudonymizer(os.environ[KEY_ENV])("mastodon", "42")
    assert ck.Author.from_account("mastodon", 42).id == expected


def test_pseudonymizer_repr_hides_the_key() -> None:
    secret = "very-secret-key-123"
    pseudonymizer = ck.Pseudonymizer(secret)
    assert secret not in repr(pseudonymizer)
    assert "hidden" in repr(pseudonymizer)
    assert not hasattr(pseudonymizer, "__dict__")  # no stray attribute carrying the key into a dump


@pytest.mark.parametrize("key", ["short", b"1234567", ""])
def test_pseudonymizer_rejects_a_short_key(key: str | bytes) -> None:
    with pytest.raises(ValueError, match="at least 8 bytes"):
        ck.Pseudonymizer(key)


def test_pseudonymizer_str_and_bytes_keys_agree() -> None:
    assert ck.Pseudonymizer("key-a-not-secret")("m", "1") == ck.Pseudonymizer(b"key-a-not-secret")("m", "1")


def test_from_environment_prefers_the_environment_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(KEY_ENV, "key-a-not-secret")
    assert ck.Pseudonymizer.from_environment()("m", "1") == KEY_A("m", "1")


def test_from_environment_creates_a_private_key_file_once(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> None:
    monkeypatch.delenv(KEY_ENV, raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    first = ck.Pseudonymizer.from_environment()
    key_file = tmp_path / "consultkit" / "pseudonym.key"
    assert key_file.is_file()
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert len(key_file.read_text().strip()) == 64
    second = ck.Pseudonymizer.from_environment()  # reads the same file: pseudonyms stay stable
    assert first("mastodon", "1") == second("mastodon", "1")
    assert key_file.read_text().strip() not in repr(first)


def test_from_environment_with_an_explicit_key_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> None:
    monkeypatch.delenv(KEY_ENV, raising=False)
    key_file = tmp_path / "nested" / "my.key"
    key_file.parent.mkdir()
    key_file.write_text("key-a-not-secret\n")
    assert ck.Pseudonymizer.from_environment(key_file)("m", "1") == KEY_A("m", "1")


# -- Query.matches ----------------------------------------------------------------------------------

MATCHES = [
    # (query, post fields, expected)
    (ck.Query(), {"text": ""}, True),
    (ck.Query(), {"text": "anything", "lang": "de"}, True),
    (ck.Query(hashtags=["#NHS"]), {"text": "Love the #nhs"}, True),
    (ck.Query(hashtags=["nhs"]), {"text": "no tag here", "hashtags": ["NHS"]}, True),
    (ck.Query(hashtags=["nhs"]), {"text": "the NHS without a hash"}, False),
    (ck.Query(hashtags=["nhs"]), {"text": "#NHSFunding is another tag"}, False),
    (ck.Query(hashtags=["nhs"]), {"text": "see https://example.org/#nhs"}, False),
    (ck.Query(hashtags=["buslanes", "parking"]), {"text": "#Parking again"}, True),
    (ck.Query(terms=["bus lane"]), {"text": "The Bus Lane is great"}, True),
    (ck.Query(terms=["bus lane"]), {"text": "The bus lanes are great"}, False),
    (ck.Query(terms=["bus lane"]), {"text": "buslane"}, False),
    (ck.Query(terms=["bus lane"]), {"text": "bus\nlane"}, False),
    (ck.Query(terms=["parking"]), {"text": "PARKING."}, True),
    (ck.Query(terms=["parking"]), {"text": "carparking"}, False),
    (ck.Query(terms=["parking"]), {"text": "(parking)"}, True),
    (ck.Query(terms=["c++"]), {"text": "I write C++ daily"}, True),
    (ck.Query(terms=["Straße"]), {"text": "DIE STRASSE"}, True),
    (ck.Query(terms=["nhs"]), {"text": "#NHS"}, True),
    (ck.Query(terms=["a.b"]), {"text": "axb"}, False),  # terms are literal, not regular expressions
    (ck.Query(hashtags=["nhs"], terms=["parking"]), {"text": "parking"}, True),
    (ck.Query(hashtags=["nhs"], terms=["parking"]), {"text": "#nhs"}, True),
    (ck.Query(hashtags=["nhs"], terms=["parking"]), {"text": "buses"}, False),
    (ck.Query(lang="en"), {"text": "hi", "lang": "en"}, True),
    (ck.Query(lang="EN"), {"text": "hi", "lang": "en"}, True),
    (ck.Query(lang="en"), {"text": "hallo", "lang": "de"}, False),
    (ck.Query(lang="en"), {"text": "unknown language"}, True),  # a post without lang is not filtered out
    (ck.Query(hashtags=["nhs"], lang="en"), {"text": "#nhs", "lang": "cy"}, False),
]


@pytest.mark.parametrize(("query", "fields", "expected"), MATCHES)
def test_query_matches(query: ck.Query, fields: dict[str, Any], expected: bool) -> None:
    assert query.matches(make_post(**fields)) is expected


@given(posts())
def test_empty_query_matches_every_post(post: ck.Post) -> None:
    assert ck.Query().matches(post)


@given(posts(), queries())
def test_query_matches_never_raises_and_respects_lang(post: ck.Post, query: ck.Query) -> None:
    result = query.matches(post)
    if query.lang is not None and post.lang is not None and query.lang != post.lang:
        assert result is False


# -- hashtags -------------------------------------------------------------------------------------


@given(st.one_of(hashtags(), st.text()))
def test_hashtag_normalisation_is_idempotent(tag: str) -> None:
    try:
        once = ck.normalize_hashtag(tag)
    except ValueError:
        return
    assert ck.normalize_hashtag(once) == once
    assert ck.normalize_hashtag("#" + once) == once


@given(st.lists(hashtags(), max_size=8))
def test_normalize_hashtags_dedupes_preserving_first_seen_order(tags: list[str]) -> None:
    result = normalize_hashtags(tags)
    expected: list[str] = []
    for tag in tags:
        if ck.normalize_hashtag(tag) not in expected:
            expected.append(ck.normalize_hashtag(tag))
    assert list(result) == expected
    assert len(set(result)) == len(result)


@given(st.text())
def test_extract_hashtags_never_raises_and_returns_normal_forms(text: str) -> None:
    found = ck.extract_hashtags(text)
    assert len(set(found)) == len(found)
    assert all(ck.normalize_hashtag(tag) == tag for tag in found)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Join #DementiaChallengers at the #summit, #dementiachallengers!",
            ("dementiachallengers", "summit"),
        ),
        ("#1 and #2024 are numbers", ()),
        ("#2024goals counts", ("2024goals",)),
        ("email a#b and &#123; entity and /path#frag", ()),
        ("##double", ()),
        ("#snake_case #Ünïcödé", ("snake_case", "ünïcödé")),
        ("peace be upon him #ﷺ, then #ok", ("ok",)),  # NFKC expands U+FDFA to words: not one tag
        ("", ()),
    ],
)
def test_extract_hashtags(text: str, expected: tuple[str, ...]) -> None:
    assert ck.extract_hashtags(text) == expected


@pytest.mark.parametrize(
    ("tag", "problem"),
    [("#", "empty"), ("", "empty"), ("  ", "empty"), ("bus lanes", "whitespace"), ("#a\tb", "whitespace")],
)
def test_normalize_hashtag_rejects_what_is_not_a_tag(tag: str, problem: str) -> None:
    with pytest.raises(ValueError, match=problem):
        ck.normalize_hashtag(tag)


def test_normalize_hashtag_rejects_a_non_string() -> None:
    with pytest.raises(TypeError, match="must be a string"):
        ck.normalize_hashtag(3)  # type: ignore[arg-type]


@given(st.lists(posts(), max_size=5))
def test_posts_jsonl_round_trip_is_lossless(items: list[ck.Post]) -> None:
    buffer = io.StringIO()
    assert ck.write_jsonl(items, buffer) == len(items)
    assert buffer.getvalue().count("\n") == len(items)  # one line per post, whatever the text holds
    buffer.seek(0)
    assert list(ck.read_jsonl(buffer)) == items
