"""The Bluesky adapter: the contract suite on fixtures written from the documented payloads; its quirks."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

import consultkit as ck
from consultkit.networks.bluesky import Bluesky
from consultkit.testing import FixtureTransport, check_network

FIXTURES = Path(__file__).parent / "fixtures" / "bluesky"
ROOT_URI = "at://did:plc:resident0000abcdefghijklm/app.bsky.feed.post/3lbus0000000x"


def harvest(query: ck.Query, **options: object) -> tuple[list[ck.Post], FixtureTransport]:
    transport = FixtureTransport(FIXTURES)
    with httpx.Client(transport=transport) as client:
        net = ck.network("bluesky", client=client, **options)
        return list(net.search(query)), transport


def test_bluesky_passes_the_contract() -> None:
    passed = check_network(
        Bluesky,
        FIXTURES,
        query=ck.Query(hashtags=["buslanes"]),
        empty_query=ck.Query(hashtags=["nothinghere"]),
    )
    assert len(passed) == 18


def test_post_views_become_posts_with_links_hashtags_and_permalinks() -> None:
    posts, _ = harvest(ck.Query(hashtags=["BusLanes"]))
    assert len(posts) == 6
    first = posts[0]
    assert first.id == ROOT_URI
    assert first.url == "https://bsky.app/profile/did:plc:resident0000abcdefghijklm/post/3lbus0000000x"
    assert first.text == (
        "Café owners on Mill Road back the #BusLanes trial. "
        "Details: https://council.example/consultations/bus-lanes-2025"
    )  # the link facet's full URI replaces the shortened text (offsets are UTF-8 bytes: "é" is two)
    assert first.hashtags == ("buslanes",)
    assert first.lang == "en"
    assert first.metrics == {"replies": 0, "shares": 0, "likes": 0, "quotes": 0}
    assert first.author is not None
    assert first.author.handle is None
    no_facet = posts[2]
    assert no_facet.hashtags == ("roads",)  # record.tags; the text's own #buslanes is found by all_hashtags
    assert "buslanes" in no_facet.all_hashtags
    reply = posts[4]
    assert (reply.reply_to, reply.thread_root) == (ROOT_URI, ROOT_URI)
    assert posts[3].lang == "cy"


def test_a_time_declared_in_the_future_falls_back_to_the_index_time() -> None:
    posts, _ = harvest(ck.Query(hashtags=["buslanes"]))
    assert posts[5].created_at.isoformat() == "2025-03-03T01:30:00+00:00"


def test_one_request_per_hashtag_and_term_merged_without_repeats() -> None:
    query = ck.Query(hashtags=["buslanes", "nothinghere"], terms=["cycle path"], lang="en")
    posts, transport = harvest(query)
    assert [r.url.params["q"] for r in transport.requests if "cursor" not in r.url.params] == [
        "#buslanes",
        "#nothinghere",
        '"cycle path"',
    ]
    assert all(r.url.params["lang"] == "en" for r in transport.requests)
    assert len(posts) == 5  # the Welsh post is dropped; the "cycle path" post came with #buslanes already
    assert len({p.key for p in posts}) == 5


def test_the_window_goes_to_the_server_too() -> None:
    request = Bluesky().search_request(
        ck.Query(hashtags=["a"]),
        None,
        since=ck.Post(network="x", id="1", text="", created_at="2025-03-01T00:00:00Z").created_at,
        until=None,
    )
    assert request.url.params["since"] == "2025-03-01T00:00:00.000Z"
    assert request.url.params["sort"] == "latest"
    assert request.url.params["limit"] == "100"


def test_replies_walk_the_thread_and_count_deleted_ones() -> None:
    transport = FixtureTransport(FIXTURES)
    with httpx.Client(transport=transport) as client:
        net = ck.network("bluesky", client=client)
        replies = list(net.replies(("bluesky", ROOT_URI)))
    assert [r.text for r in replies] == [
        "Reply 1: yes to the trial",
        "Reply 2: yes to the trial",
        "Reply 3: yes to the trial",
    ]
    assert [r.reply_to for r in replies] == [ROOT_URI, ROOT_URI, replies[0].id]
    assert transport.requests[0].url.params["depth"] == "1000"


def test_a_bad_at_uri_is_a_format_error() -> None:
    body = {"posts": [{"uri": "https://bsky.app/x", "record": {"text": ""}, "author": {"did": "d"}}]}
    with pytest.raises(ck.ResponseFormatError, match="bluesky"):
        Bluesky().parse_search(httpx.Response(200, json=body), ck.Query(hashtags=["x"]))


def test_publish_creates_a_post_record() -> None:
    sent: list[httpx.Request] = []

    def pds(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(200, json={"uri": "at://did:plc:council/app.bsky.feed.post/3lq", "cid": "bafy"})

    with httpx.Client(transport=httpx.MockTransport(pds)) as client:
        net = ck.network("bluesky", client=client, token="jwt", repo="did:plc:council")
        post = net.publish("What do you think of the bus lane trial?")
    assert post.id == "at://did:plc:council/app.bsky.feed.post/3lq"
    assert post.url == "https://bsky.app/profile/did:plc:council/post/3lq"
    assert post.text == "What do you think of the bus lane trial?"
    body = json.loads(sent[0].content)
    assert (body["repo"], body["collection"]) == ("did:plc:council", "app.bsky.feed.post")
    assert body["record"]["createdAt"].endswith("Z")


def test_publish_needs_a_repo_and_a_token() -> None:
    with pytest.raises(ck.AuthenticationError, match="repo="):
        ck.network("bluesky", token="jwt").publish("hello")
