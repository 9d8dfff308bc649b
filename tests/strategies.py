"""Hypothesis strategies for consultkit's models, shared by every test module.

Each strategy draws *valid* values only: anything it yields constructs without error. Strategies that build a
model take keyword overrides (strategies) for its fields, e.g. ``posts(network=st.just("mastodon"))``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs
from hypothesis import strategies as st

import consultkit as ck

__all__ = [
    "authors",
    "aware_datetimes",
    "consultations",
    "extras",
    "hashtags",
    "identifiers",
    "iso_strings",
    "metrics",
    "networks",
    "nonblank",
    "post_texts",
    "posts",
    "queries",
    "questions",
    "terms",
    "unique_posts",
]

# Years well inside what every zone handles: before ~1972 some zones used local mean time with second offsets.
_MIN = dt.datetime(1980, 1, 1)
_MAX = dt.datetime(2100, 1, 1)

#: Pieces that break naive code: emoji (skin tone, ZWJ), line breaks, CSV specials, right-to-left text.
_AWKWARD = [
    "🙂",
    "👩🏽‍⚕️",
    "🏳️‍🌈",
    "\n",
    "\r\n",
    "\r",
    "\t",
    ",",
    '"',
    "'",
    ";",
    "#BusLanes",
    " #NHS ",
    "@user",
    "é",
    "ß",
    "İ",
    "مرحبا",
    "\u2028",
    "\x00",
    "https://example.org/a?b=c#d",
]


_LOWER = "abcdefghijklmnopqrstuvwxyz"
_DIGITS = "0123456789"


def _word(min_size: int, max_size: int, alphabet: str = _LOWER + _DIGITS) -> st.SearchStrategy[str]:
    return st.text(alphabet, min_size=min_size, max_size=max_size)


def nonblank(max_size: int = 20) -> st.SearchStrategy[str]:
    """A string with at least one non-whitespace character (what the models call non-empty)."""
    return st.text(min_size=1, max_size=max_size).filter(lambda s: s.strip() != "")


def identifiers() -> st.SearchStrategy[str]:
    """A post, account or question id: digits, snowflakes, AT-URIs or arbitrary non-blank text."""
    return st.one_of(
        st.integers(min_value=0, max_value=2**63).map(str),
        st.builds("at://did:plc:{}/app.bsky.feed.post/{}".format, _word(8, 8), _word(6, 6)),
        nonblank(),
    )


def networks() -> st.SearchStrategy[str]:
    """A network name in its normal form (lower case, no surrounding space)."""
    return st.one_of(
        st.sampled_from(["mastodon", "bluesky", "reddit", "memory", "decidim", "polis"]),
        st.builds("{}{}".format, _word(1, 1, _LOWER), _word(0, 11, _LOWER + _DIGITS + "_-")),
    )


_FIXED_OFFSETS = st.builds(
    dt.timezone,
    st.integers(min_value=-(23 * 60 + 59), max_value=23 * 60 + 59).map(lambda m: dt.timedelta(minutes=m)),
)
# Built once: st.timezones() lists the zone database each time it is created.
_AWARE = st.datetimes(
    min_value=_MIN,
    max_value=_MAX,
    timezones=st.one_of(st.just(dt.timezone.utc), _FIXED_OFFSETS, st.timezones()),
)


def aware_datetimes() -> st.SearchStrategy[dt.datetime]:
    """A timezone-aware datetime in any zone (fixed offsets and IANA zones, DST folds included)."""
    return _AWARE


def iso_strings() -> st.SearchStrategy[str]:
    """An ISO 8601 timestamp with an offset or ``Z``, as networks send them."""
    fixed = st.datetimes(
        min_value=_MIN,
        max_value=_MAX,
        timezones=st.one_of(
            st.just(dt.timezone.utc),
            st.builds(
                dt.timezone,
                st.integers(min_value=-14 * 60, max_value=14 * 60).map(lambda m: dt.timedelta(minutes=m)),
            ),
        ),
    )
    return fixed.flatmap(lambda d: st.sampled_from([d.isoformat(), d.isoformat().replace("+00:00", "Z")]))


def hashtags() -> st.SearchStrategy[str]:
    """A raw hashtag as a user or network writes it (any case, with or without ``#``), valid to normalise."""

    def valid(tag: str) -> bool:
        try:
            ck.normalize_hashtag(tag)
        except ValueError:
            return False
        return True

    body = st.one_of(
        st.sampled_from(
            ["DementiaChallengers", "BusLanes", "NHS", "ÉcoleVerte", "straße", "Ünïcödé", "天气"]
        ),
        st.text(st.characters(categories=["L", "N", "Pc", "M"]), min_size=1, max_size=15),
    )
    return st.tuples(st.sampled_from(["", "#", "##"]), body).map("".join).filter(valid)


def terms() -> st.SearchStrategy[str]:
    """A search term or phrase."""
    return st.one_of(st.sampled_from(["bus lane", "parking", "c++", "NHS", "Straße"]), nonblank(15))


def post_texts() -> st.SearchStrategy[str]:
    """Post text: any unicode (no surrogates), mixed with emoji, line breaks and CSV-hostile characters."""
    return st.lists(st.one_of(st.text(max_size=12), st.sampled_from(_AWKWARD)), max_size=8).map("".join)


def metrics() -> st.SearchStrategy[dict[str, int]]:
    """A counts mapping such as ``{"likes": 3}``."""
    keys = st.one_of(st.sampled_from(["likes", "shares", "replies", "quotes"]), st.text(max_size=8))
    return st.dictionaries(keys, st.integers(min_value=0, max_value=2**53), max_size=4)


def _json_values() -> st.SearchStrategy[Any]:
    scalars = st.one_of(
        st.none(),
        st.booleans(),
        st.integers(min_value=-(2**70), max_value=2**70),
        st.floats(allow_nan=False, allow_infinity=False),
        st.text(max_size=10),
    )
    return st.recursive(
        scalars,
        lambda children: st.one_of(
            st.lists(children, max_size=3), st.dictionaries(st.text(max_size=6), children, max_size=3)
        ),
        max_leaves=8,
    )


def extras() -> st.SearchStrategy[dict[str, Any]]:
    """JSON-compatible extra data: nested lists and dicts of JSON scalars."""
    return st.dictionaries(st.text(max_size=8), _json_values(), max_size=4)


def _urls() -> st.SearchStrategy[str]:
    return st.builds(
        "{}://{}.example/{}".format,
        st.sampled_from(["https", "http"]),
        _word(1, 10, _LOWER),
        st.text(st.characters(codec="ascii", categories=["L", "N"]), max_size=10),
    )


def _langs() -> st.SearchStrategy[str]:
    return st.sampled_from(["en", "cy", "gd", "de", "fr", "pt-br", "zh-hant"])


def authors(**overrides: st.SearchStrategy[Any]) -> st.SearchStrategy[ck.Author]:
    """Any valid `Author`."""
    fields: dict[str, st.SearchStrategy[Any]] = {
        "id": st.one_of(st.builds("u_{}".format, _word(20, 20, "0123456789abcdef")), nonblank()),
        "handle": st.none() | nonblank(),
        "created_at": st.none() | aware_datetimes() | iso_strings(),
        "posts_count": st.none() | st.integers(min_value=0, max_value=10**9),
        "followers_count": st.none() | st.integers(min_value=0, max_value=10**9),
    }
    return st.builds(ck.Author, **{**fields, **overrides})


def posts(**overrides: st.SearchStrategy[Any]) -> st.SearchStrategy[ck.Post]:
    """Any valid `Post`; ids sometimes given as integers, times as aware datetimes or ISO strings."""
    fields: dict[str, st.SearchStrategy[Any]] = {
        "network": networks(),
        "id": st.one_of(identifiers(), st.integers(min_value=0, max_value=2**63)),
        "text": post_texts(),
        "created_at": aware_datetimes() | iso_strings(),
        "author": st.none() | authors(),
        "url": st.none() | _urls(),
        "lang": st.none() | _langs(),
        "hashtags": st.lists(hashtags(), max_size=4),
        "reply_to": st.none() | identifiers(),
        "thread_root": st.none() | identifiers(),
        "metrics": metrics(),
        "extra": extras(),
    }
    return st.builds(ck.Post, **{**fields, **overrides})


def unique_posts(
    min_size: int = 0, max_size: int = 30, **overrides: st.SearchStrategy[Any]
) -> st.SearchStrategy[list[ck.Post]]:
    """A list of posts with distinct ``(network, id)`` keys."""
    return st.lists(posts(**overrides), min_size=min_size, max_size=max_size, unique_by=lambda p: p.key)


def queries(**overrides: st.SearchStrategy[Any]) -> st.SearchStrategy[ck.Query]:
    """Any valid `Query`, the empty one included."""
    fields: dict[str, st.SearchStrategy[Any]] = {
        "hashtags": st.lists(hashtags(), max_size=3),
        "terms": st.lists(terms(), max_size=3),
        "lang": st.none() | _langs(),
    }
    return st.builds(ck.Query, **{**fields, **overrides})


@st.composite
def _question(draw: st.DrawFn, fields: dict[str, st.SearchStrategy[Any]]) -> ck.Question:
    kind = ck.QuestionKind(draw(fields["kind"]))
    options = draw(fields["options"]) if kind is not ck.QuestionKind.OPEN else ()
    values = {name: draw(strategy) for name, strategy in fields.items() if name not in ("kind", "options")}
    return ck.Question(kind=kind, options=options, **values)


def questions(**overrides: st.SearchStrategy[Any]) -> st.SearchStrategy[ck.Question]:
    """Any valid `Question` of any kind (open without options, closed/options with two or more).

    An ``options`` override is drawn only for closed and options questions.
    """
    fields: dict[str, st.SearchStrategy[Any]] = {
        "kind": st.sampled_from(list(ck.QuestionKind)),
        "options": st.lists(nonblank(12), min_size=2, max_size=5, unique=True),
        "id": identifiers(),
        "text": nonblank(60),
        "hashtags": st.lists(hashtags(), max_size=3),
        "keywords": st.lists(terms(), max_size=3),
        "asked_in": st.lists(st.tuples(networks(), identifiers()), max_size=2),
    }
    return _question({**fields, **overrides})


@st.composite
def _window(draw: st.DrawFn) -> tuple[dt.datetime | None, dt.datetime | None]:
    opens = draw(st.none() | _AWARE)
    closes = draw(st.none() | _AWARE)
    if opens is not None and closes is not None:
        opens, closes = sorted([opens, closes])
        if closes <= opens:
            closes = opens + dt.timedelta(seconds=1)
    return opens, closes


def _one_question_per_post(questions: list[ck.Question]) -> list[ck.Question]:
    """Drop ``asked_in`` posts already claimed by an earlier question: a post asks one question."""
    seen: set[tuple[str, str]] = set()
    kept = []
    for question in questions:
        own = tuple(ref for ref in question.asked_in if ref not in seen)
        seen.update(own)
        kept.append(attrs.evolve(question, asked_in=own))
    return kept


@st.composite
def _consultation(draw: st.DrawFn, fields: dict[str, st.SearchStrategy[Any]]) -> ck.Consultation:
    values = {name: draw(strategy) for name, strategy in fields.items() if name != "window"}
    values["questions"] = _one_question_per_post(values["questions"])
    opens, closes = draw(fields["window"])
    values.setdefault("opens", opens)
    values.setdefault("closes", closes)
    return ck.Consultation(**values)


def consultations(**overrides: st.SearchStrategy[Any]) -> st.SearchStrategy[ck.Consultation]:
    """Any valid `Consultation`: unique question ids, ``closes`` after ``opens`` when both are set.

    Override ``opens`` and ``closes`` together (or neither) to keep the window valid.
    """
    fields: dict[str, st.SearchStrategy[Any]] = {
        "id": identifiers(),
        "title": nonblank(60),
        "questions": st.lists(questions(), min_size=1, max_size=3, unique_by=lambda q: q.id),
        "stage": st.sampled_from(list(ck.PolicyStage)),
        "description": st.text(max_size=40),
        "window": _window(),
    }
    return _consultation({**fields, **overrides})
