"""The Mastodon adapter: the contract suite on fixtures written from the documented payloads; its quirks."""

from __future__ import annotations

import json
from pathlib import Path

import anyio
import httpx
import pytest

import consultkit as ck
from consultkit.networks.mastodon import Mastodon
from consultkit.testing import FixtureTransport, check_network

FIXTURES = Path(__file__).parent / "fixtures" / "mastodon"
TOWN = "https://town.example"


def network(**options: object) -> ck.Network:
    client = httpx.Client(transport=FixtureTransport(FIXTURES))
    return ck.network("mastodon", instance=TOWN, client=client, **options)  # type: ignore[no-any-return]


def test_mastodon_passes_the_contract() -> None:
    passed = check_network(
        Mastodon,
        FIXTURES,
        query=ck.Query(hashtags=["BusLanes"]),
        empty_query=ck.Query(hashtags=["nothinghere"]),
        options={"instance": TOWN},
    )
    assert "since/until honoured" in passed
    assert "429 waits in wait mode" in passed
    assert len(passed) == 18


def test_statuses_become_clean_pseudonymised_posts() -> None:
    posts = list(network().search(ck.Query(hashtags=["buslanes"])))
    assert len(posts) == 6
    first, second, third = posts[:3]
    assert first.text == "The new #BusLanes on Mill Road cut my commute by ten minutes."
    assert second.text == (
        "Please keep the loading bays & the cycle path.\n"
        "Details: https://council.example/consultations/bus-lanes-2025 #buslanes"
    )  # the full link, not the shortened one shown on the page
    assert third.text.startswith("@ana agreed")
    assert third.reply_to == "113900000000000001"
    assert first.hashtags == ("buslanes",)
    assert first.url == f"{TOWN}/@resident0/{first.id}"
    assert first.created_at.isoformat() == "2025-03-03T09:00:00+00:00"
    assert first.metrics == {"replies": 0, "shares": 0, "likes": 0}
    assert posts[3].lang == "cy"
    assert posts[5].lang is None
    assert first.author is not None
    assert first.author.id.startswith("u_")
    assert first.author.handle is None  # handles only on request
    assert first.author.posts_count == 100
    assert first.author.created_at is not None


def test_handles_are_kept_on_request() -> None:
    post = next(network(keep_handles=True).search(ck.Query(hashtags=["buslanes"])))
    assert post.author is not None
    assert post.author.handle == "resident0@other.example"


def test_the_request_follows_the_api() -> None:
    adapter = Mastodon(instance=TOWN + "/", page_size=20, token="t0ken")
    request = adapter.search_request(ck.Query(hashtags=["a", "b", "c"]), "99", since=None, until=None)
    assert str(request.url) == f"{TOWN}/api/v1/timelines/tag/a?limit=20&any%5B%5D=b&any%5B%5D=c&max_id=99"
    assert request.headers["Authorization"] == "Bearer t0ken"
    assert request.headers["User-Agent"].startswith("consultkit/")
    assert "t0ken" not in repr(adapter)


def test_split_groups_hashtags_by_four_and_searches_terms_apart() -> None:
    parts = Mastodon().split(ck.Query(hashtags=list("abcdef"), terms=["bus lane"], lang="en"))
    assert [(p.hashtags, p.terms) for p in parts] == [
        (("a", "b", "c", "d"), ()),
        (("e", "f"), ()),
        ((), ("bus lane",)),
    ]
    assert {p.lang for p in parts} == {"en"}


def test_keyword_search_uses_the_search_api() -> None:
    transport = FixtureTransport(FIXTURES)
    with httpx.Client(transport=transport) as client:
        net = ck.network("mastodon", instance=TOWN, client=client, token="t0ken")
        posts = list(net.search(ck.Query(terms=["bus lane"])))
    assert len(posts) == 2
    assert transport.requests[0].url.params["q"] == '"bus lane"'
    assert transport.requests[0].url.params["offset"] == "0"


def test_replies_come_from_the_context_of_a_status() -> None:
    root = next(network().search(ck.Query(hashtags=["buslanes"])))
    replies = list(network().replies(root))
    assert [r.text for r in replies] == [
        "Reply 1: yes to the trial.",
        "Reply 2: yes to the trial.",
        "Reply 3: yes to the trial.",
    ]
    assert [r.reply_to for r in replies] == [root.id, root.id, replies[0].id]
    assert {r.thread_root for r in replies} == {root.id}
    assert [r.id for r in network().replies(root, limit=1)] == [replies[0].id]


def test_replies_of_a_missing_status_raise_not_found() -> None:
    with pytest.raises(ck.NotFoundError, match="Record not found"):
        list(network().replies(("mastodon", "404")))


def test_publish_needs_a_token() -> None:
    with pytest.raises(ck.AuthenticationError, match="CONSULTKIT_MASTODON_TOKEN"):
        network().publish("What do you think?")


@pytest.mark.parametrize("flavour", ["sync", "async"])
def test_publish_posts_the_question_once(flavour: str) -> None:
    transport = FixtureTransport(FIXTURES)
    question = "What do you think of the bus lane trial? Reply to this post."
    if flavour == "sync":
        with httpx.Client(transport=transport) as client:
            post = ck.network("mastodon", instance=TOWN, client=client, token="t0ken").publish(question)
    else:

        async def main() -> ck.Post:
            async with httpx.AsyncClient(transport=transport) as client:
                return await ck.async_network(
                    "mastodon", instance=TOWN, client=client, token="t0ken"
                ).publish(question)

        post = anyio.run(main)
    assert post.text == question
    (request,) = transport.requests
    assert json.loads(request.content) == {"status": question, "visibility": "public"}
    assert len(request.headers["Idempotency-Key"]) == 32  # a retried request publishes once


def test_a_deleted_status_with_plain_text_parses() -> None:
    status = json.loads((FIXTURES / "tag-page-1.json").read_text())["response"]["json"][0]
    del status["content"]
    status["text"] = "Toot number 0! #buslanes <3"
    post = Mastodon().parse_publish(httpx.Response(200, json=status))
    assert post.text == "Toot number 0! #buslanes <3"  # plain source, kept as written


def test_boosts_are_skipped_and_counted() -> None:
    page = Mastodon().parse_search(
        httpx.Response(200, json=json.loads((FIXTURES / "tag-parking.json").read_text())["response"]["json"]),
        ck.Query(hashtags=["parking"]),
    )
    assert len(page.posts) == 2
    assert page.skipped == {"boost": 1}
