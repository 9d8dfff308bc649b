"""The in-memory network through ``ck.network("memory", ...)``: newest first, paged, windowed, lazy."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import consultkit as ck
from strategies import queries, unique_posts

UTC = dt.timezone.utc
START = dt.datetime(2024, 5, 1, tzinfo=UTC)


def at(hour: int) -> dt.datetime:
    return START + dt.timedelta(hours=hour)


# Ten posts an hour apart, given oldest first; every third carries #buses, the odd ones are Welsh.
POSTS = [
    ck.Post(
        network="memory",
        id=f"p{hour}",
        text=f"post {hour}" + (" #Buses" if hour % 3 == 0 else ""),
        created_at=at(hour),
        lang="cy" if hour % 2 else "en",
    )
    for hour in range(10)
]
NEWEST_FIRST = [f"p{hour}" for hour in reversed(range(10))]


def ids(posts: Any) -> list[str]:
    return [p.id for p in posts]


def memory(page_size: int = 3, posts: list[ck.Post] = POSTS) -> Any:
    return ck.network("memory", posts=posts, page_size=page_size)


def test_search_returns_newest_first_whatever_the_input_order() -> None:
    assert ids(memory().search(ck.Query())) == NEWEST_FIRST
    assert ids(memory(posts=POSTS[::-1]).search(ck.Query())) == NEWEST_FIRST


def test_ties_on_time_are_ordered_deterministically() -> None:
    same = [ck.Post(network=n, id=i, text="", created_at=START) for n in ("b", "a") for i in ("2", "1")]
    assert [p.key for p in memory(posts=same).search(ck.Query())] == [
        ("b", "2"),
        ("b", "1"),
        ("a", "2"),
        ("a", "1"),
    ]


def test_network_name_is_normalised_and_listed() -> None:
    assert ids(ck.network(" Memory ", posts=POSTS).search(ck.Query())) == NEWEST_FIRST
    assert "memory" in ck.available_networks()


def test_unknown_network_lists_the_known_ones() -> None:
    with pytest.raises(ck.UnknownNetworkError) as info:
        ck.network("nope")
    assert info.value.name == "nope"
    assert "memory" in info.value.known
    assert "memory" in str(info.value)
    assert str(info.value).startswith("unknown network 'nope'")


def test_default_network_is_empty() -> None:
    assert list(ck.network("memory").search(ck.Query())) == []


def test_repr_shows_size_not_contents() -> None:
    assert repr(memory(page_size=5)) == "MemoryNetwork(<10 posts>, page_size=5)"


# -- paging -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("page_size", "sizes"), [(1, [1] * 10), (3, [3, 3, 3, 1]), (5, [5, 5]), (10, [10]), (100, [10])]
)
def test_fetch_page_pages_through_everything(page_size: int, sizes: list[int]) -> None:
    net = memory(page_size=page_size)
    cursor: str | None = None
    pages = []
    while True:
        page = net.fetch_page(ck.Query(), cursor)
        pages.append(page)
        if page.is_last:
            break
        assert isinstance(page.next_cursor, str)
        cursor = page.next_cursor
    assert [len(p.posts) for p in pages] == sizes
    assert [post.id for p in pages for post in p.posts] == NEWEST_FIRST
    assert all(isinstance(p, ck.Page) for p in pages)


def test_fetch_page_fills_a_page_with_matches_only() -> None:
    page = memory(page_size=2).fetch_page(ck.Query(hashtags=["buses"]))
    assert ids(page.posts) == ["p9", "p6"]
    assert page.next_cursor is not None
    rest = memory(page_size=2).fetch_page(ck.Query(hashtags=["buses"]), page.next_cursor)
    assert ids(rest.posts) == ["p3", "p0"]


@pytest.mark.parametrize("page_size", [0, -1, 101])
def test_bad_page_size_is_rejected(page_size: int) -> None:
    with pytest.raises(ValueError, match="page_size must be between 1 and 100"):
        memory(page_size=page_size)


# -- window and limit -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("since", "until", "expected"),
    [
        (None, None, NEWEST_FIRST),
        (at(7), None, ["p9", "p8", "p7"]),  # since is inclusive
        (None, at(2), ["p1", "p0"]),  # until is exclusive
        (at(3), at(5), ["p4", "p3"]),
        (at(3) + dt.timedelta(microseconds=1), at(5) + dt.timedelta(microseconds=1), ["p5", "p4"]),
        (at(4), at(4), []),
        (at(20), None, []),
        (None, START, []),
        (at(2).astimezone(dt.timezone(dt.timedelta(hours=5))), at(4), ["p3", "p2"]),  # any zone compares
    ],
)
def test_since_until_window_is_half_open(
    since: dt.datetime | None, until: dt.datetime | None, expected: list[str]
) -> None:
    assert ids(memory().search(ck.Query(), since=since, until=until)) == expected


@pytest.mark.parametrize(
    ("limit", "expected"),
    [
        (0, []),
        (1, ["p9"]),
        (4, NEWEST_FIRST[:4]),
        (10, NEWEST_FIRST),
        (50, NEWEST_FIRST),
        (None, NEWEST_FIRST),
    ],
)
def test_limit(limit: int | None, expected: list[str]) -> None:
    assert ids(memory().search(ck.Query(), limit=limit)) == expected


def test_negative_limit_is_rejected() -> None:
    with pytest.raises(ValueError, match="limit must be None or a whole number >= 0"):
        list(memory().search(ck.Query(), limit=-1))


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (ck.Query(hashtags=["#BUSES"]), ["p9", "p6", "p3", "p0"]),
        (ck.Query(terms=["post 4"]), ["p4"]),
        (ck.Query(lang="cy"), ["p9", "p7", "p5", "p3", "p1"]),
        (ck.Query(hashtags=["buses"], lang="en"), ["p6", "p0"]),
        (ck.Query(hashtags=["trams"]), []),
    ],
)
def test_query_filters_results(query: ck.Query, expected: list[str]) -> None:
    assert ids(memory().search(query)) == expected


def test_query_window_and_limit_combine() -> None:
    found = memory(page_size=1).search(ck.Query(hashtags=["buses"]), since=at(1), until=at(9), limit=1)
    assert ids(found) == ["p6"]


# -- laziness ---------------------------------------------------------------------------------------


def test_search_is_lazy_and_fetches_pages_on_demand(monkeypatch: pytest.MonkeyPatch) -> None:
    net = memory(page_size=3)
    calls: list[str | None] = []
    fetch = net.fetch_page

    def counting(query: ck.Query, cursor: str | None = None, **kwargs: Any) -> ck.Page:
        calls.append(cursor)
        return fetch(query, cursor, **kwargs)

    monkeypatch.setattr(net, "fetch_page", counting)
    results = net.search(ck.Query())
    assert iter(results) is results  # an iterator: nothing is computed up front
    assert calls == []  # nothing fetched before iteration
    assert next(results).id == "p9"
    assert calls == [None]
    assert [next(results).id for _ in range(3)] == ["p8", "p7", "p6"]
    assert calls == [None, "3"]


def test_limit_stops_fetching(monkeypatch: pytest.MonkeyPatch) -> None:
    net = memory(page_size=2)
    calls: list[str | None] = []
    fetch = net.fetch_page
    monkeypatch.setattr(net, "fetch_page", lambda q, c=None, **kw: calls.append(c) or fetch(q, c, **kw))
    assert len(list(net.search(ck.Query(), limit=4))) == 4
    assert len(calls) == 2


# -- model-based property ---------------------------------------------------------------------------


@given(
    items=unique_posts(max_size=25),
    page_size=st.integers(min_value=1, max_value=7),
    query=queries(),
    bounds=st.tuples(st.none() | st.integers(0, 200), st.none() | st.integers(0, 200)),
    limit=st.none() | st.integers(min_value=0, max_value=30),
)
def test_search_agrees_with_a_simple_model(
    items: list[ck.Post],
    page_size: int,
    query: ck.Query,
    bounds: tuple[int | None, int | None],
    limit: int | None,
) -> None:
    since, until = (
        None if b is None else dt.datetime(1980 + b // 2, 1 + b % 12, 1, tzinfo=UTC) for b in bounds
    )
    expected = sorted(
        (
            p
            for p in items
            if (since is None or p.created_at >= since)
            and (until is None or p.created_at < until)
            and query.matches(p)
        ),
        key=lambda p: (p.created_at, p.network, p.id),
        reverse=True,
    )
    if limit is not None:
        expected = expected[:limit]
    found = list(
        memory(page_size=page_size, posts=items).search(query, since=since, until=until, limit=limit)
    )
    assert found == expected


# -- replies ----------------------------------------------------------------------------------------


def _thread() -> list[ck.Post]:
    def reply(id: str, hour: int, network: str = "memory", **fields: Any) -> ck.Post:
        return ck.Post(network=network, id=id, text=id, created_at=at(hour), **fields)

    return [
        reply("root", 0),
        reply("r1", 1, reply_to="root"),
        reply("r1a", 3, reply_to="r1"),
        reply("r2", 2, reply_to="root"),
        reply("late", 5, reply_to="gone", thread_root="root"),  # parent unknown, thread root given
        reply("other", 4),
        reply("r1", 1, network="elsewhere", reply_to="root"),
    ]


@pytest.mark.parametrize("target", [("memory", "root"), "post"])
def test_replies_yield_the_thread_oldest_first(target: Any) -> None:
    posts = _thread()
    net = memory(posts=posts)
    root = posts[0] if target == "post" else target
    assert ids(net.replies(root)) == ["r1", "r2", "r1a", "late"]


@pytest.mark.parametrize(
    ("limit", "expected"), [(0, []), (2, ["r1", "r2"]), (None, ["r1", "r2", "r1a", "late"])]
)
def test_replies_limit(limit: int | None, expected: list[str]) -> None:
    assert ids(memory(posts=_thread()).replies(("memory", "root"), limit=limit)) == expected


def test_replies_of_a_post_without_any() -> None:
    assert list(memory(posts=_thread()).replies(("memory", "other"))) == []
