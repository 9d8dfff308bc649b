"""The Reddit adapter: the contract suite on fixtures written from the documented payloads; its quirks."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

import consultkit as ck
from consultkit.networks.reddit import Reddit
from consultkit.testing import FixtureTransport, check_network

FIXTURES = Path(__file__).parent / "fixtures" / "reddit"


def network(transport: FixtureTransport, **options: object) -> ck.Network:
    return ck.network("reddit", client=httpx.Client(transport=transport), token="app-token", **options)  # type: ignore[no-any-return]


def test_reddit_passes_the_contract() -> None:
    passed = check_network(
        Reddit,
        FIXTURES,
        query=ck.Query(hashtags=["buslanes"]),
        empty_query=ck.Query(hashtags=["nothinghere"]),
    )
    assert len(passed) == 18


def test_submissions_become_posts() -> None:
    transport = FixtureTransport(FIXTURES)
    posts = list(network(transport).search(ck.Query(hashtags=["#BusLanes"])))
    assert [p.text for p in posts] == [
        "Mill Road bus lanes: thoughts?\n\nThe trial starts Monday. Good idea?",
        "Bus lane cameras are coming",
        "Loading bays & bus lanes",  # a removed body leaves the title
        "Deleted account asks about buslanes\n\ntext",
    ]
    first = posts[0]
    assert first.url == "https://www.reddit.com/r/cambridge/comments/1j0000b/bus_lanes_0/"
    assert first.created_at.isoformat() == "2025-03-03T12:00:00+00:00"
    assert first.metrics == {"score": 10, "replies": 0}
    assert posts[1].extra["link"] == "https://council.example/bus-lanes"
    assert posts[3].author is None  # a deleted account
    params = transport.requests[0].url.params
    assert (params["sort"], params["raw_json"], params["limit"]) == ("new", "1", "100")
    assert transport.requests[1].url.params["count"] == "2"


def test_search_within_subreddits() -> None:
    transport = FixtureTransport(FIXTURES)
    net = network(transport, subreddits=["r/cambridge", "bristol"])
    assert len(list(net.search(ck.Query(terms=["bus lane"])))) == 1
    assert transport.requests[0].url.path == "/r/cambridge+bristol/search"


def test_the_listing_ceiling_is_a_coverage_warning() -> None:
    listing = {"kind": "Listing", "data": {"after": None, "children": []}}
    request = httpx.Request("GET", "https://oauth.reddit.com/search?count=995")
    with pytest.warns(ck.CoverageWarning, match="about 1,000"):
        Reddit().parse_search(httpx.Response(200, json=listing, request=request), ck.Query(terms=["x"]))


def test_the_comment_tree_is_walked_and_more_stubs_expanded() -> None:
    transport = FixtureTransport(FIXTURES)
    net = network(transport)
    replies = list(net.replies(("reddit", "1j0000b")))
    assert [r.text for r in replies] == [
        "Yes, buses were faster",
        "Agreed, and on Sundays too",
        "Cyclists lose out",
    ]
    assert [r.reply_to for r in replies] == ["1j0000b", "kc1", "1j0000b"]
    assert {r.thread_root for r in replies} == {"1j0000b"}
    more = transport.requests[1]
    assert (more.method, more.url.path) == ("POST", "/api/morechildren")
    assert b"children=kc4%2Ckc5" in more.content
    assert net.stats["requests"] == 2


def test_a_morechildren_answer_with_nothing_stops() -> None:
    request = httpx.Request("POST", "https://oauth.reddit.com/api/morechildren", data={"children": "a,b"})
    page = Reddit().parse_replies(
        httpx.Response(200, json={"json": {"data": {"things": []}}}, request=request), "x"
    )
    assert page.is_last
    assert page.skipped == {"not expanded": 2}
