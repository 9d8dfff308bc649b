"""The X adapter: the contract suite on fixtures written from the documented payloads; its quirks."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import httpx
import pytest

import consultkit as ck
from consultkit.networks.x import MAX_QUERY_LENGTH, X, build_query
from consultkit.testing import FixtureTransport, check_network

FIXTURES = Path(__file__).parent / "fixtures" / "x"
ROOT = "1897000000000000000"


def network(transport: FixtureTransport, **options: object) -> ck.Network:
    return ck.network("x", client=httpx.Client(transport=transport), token="bearer-x", **options)  # type: ignore[no-any-return]


def test_x_passes_the_contract() -> None:
    passed = check_network(
        X, FIXTURES, query=ck.Query(hashtags=["buslanes"]), empty_query=ck.Query(hashtags=["nothinghere"])
    )
    assert len(passed) == 18


def test_posts_take_authors_from_the_expansion() -> None:
    transport = FixtureTransport(FIXTURES)
    posts = list(network(transport, keep_handles=True).search(ck.Query(hashtags=["buslanes"])))
    assert len(posts) == 5
    first = posts[0]
    assert first.url == f"https://x.com/resident0/status/{ROOT}"
    assert first.hashtags == ("buslanes",)
    assert first.author is not None
    assert (first.author.handle, first.author.posts_count) == ("resident0", 200)
    assert posts[1].text == "Shops & deliveries need loading bays #buslanes"  # entities decoded
    assert (posts[2].reply_to, posts[2].thread_root) == (ROOT, ROOT)
    assert posts[3].lang is None  # "und"
    assert posts[4].text.startswith("Long post about #buslanes: the plan")  # the full note_tweet text
    assert posts[4].author is not None
    assert posts[4].author.handle is None  # not in this page's expansion
    assert posts[4].url == f"https://x.com/i/web/status/{posts[4].id}"
    request = transport.requests[0]
    assert request.headers["Authorization"] == "Bearer bearer-x"
    assert "conversation_id" in request.url.params["tweet.fields"]
    assert request.url.params["expansions"] == "author_id"


def test_the_query_builder() -> None:
    assert build_query(ck.Query(hashtags=["a"])) == "#a -is:retweet"
    assert (
        build_query(ck.Query(terms=["bus lane", "tram"], lang="cy"))
        == '("bus lane" OR tram) lang:cy -is:retweet'
    )
    assert build_query(ck.Query(hashtags=["a"]), retweets=True) == "#a"


def test_long_queries_are_split_within_512_characters() -> None:
    tags = [f"hashtagnumber{n:03d}" for n in range(60)]
    parts = X().split(ck.Query(hashtags=tags, terms=["bus lane"]))
    assert len(parts) > 1
    assert all(len(build_query(part)) <= MAX_QUERY_LENGTH for part in parts)
    assert [t for part in parts for t in part.hashtags] == tags
    assert [t for part in parts for t in part.terms] == ["bus lane"]


def test_the_window_is_sent_to_the_second() -> None:
    since = dt.datetime(2025, 3, 1, 9, 0, 0, 500_000, tzinfo=dt.timezone.utc)
    until = dt.datetime(2025, 3, 2, 9, 0, 0, 1, tzinfo=dt.timezone.utc)
    request = X(page_size=5).search_request(ck.Query(hashtags=["a"]), None, since=since, until=until)
    assert request.url.params["start_time"] == "2025-03-01T09:00:00Z"
    assert request.url.params["end_time"] == "2025-03-02T09:00:01Z"
    assert request.url.params["max_results"] == "10"  # X takes 10 at least


def test_replies_come_from_a_conversation_search() -> None:
    transport = FixtureTransport(FIXTURES)
    replies = list(network(transport).replies(ROOT))
    assert [r.text for r in replies] == ["@resident10 and on Sundays", "@resident0 yes please"]
    assert {r.thread_root for r in replies} == {ROOT}
    assert transport.requests[0].url.params["query"] == f"conversation_id:{ROOT}"


def test_an_x_error_body_is_quoted() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        return httpx.Response(403, json={"title": "Forbidden", "detail": "Your plan does not include search"})

    with httpx.Client(transport=httpx.MockTransport(refuse)) as client:
        net = ck.network("x", client=client)
        with pytest.raises(
            ck.AuthenticationError, match=r"Your plan does not include search.*CONSULTKIT_X_TOKEN"
        ):
            list(net.search(ck.Query(hashtags=["a"])))
