"""The drivers: paging, window, hashtag splitting, rate limits, retries, resume; sync and async alike."""

from __future__ import annotations

import datetime as dt
import pickle
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import anyio
import httpx
import pytest

import consultkit as ck
from consultkit.networks import AsyncNetwork, Network, RateLimit, query_key
from consultkit.networks.mastodon import Mastodon
from consultkit.testing import FixtureTransport
from consultkit.testing._faults import FakeMastodon
from consultkit.testing._networks import FakeClock

UTC = dt.timezone.utc
FIXTURES = Path(__file__).parent / "fixtures" / "mastodon"
Handler = Callable[[httpx.Request], httpx.Response]


START = dt.datetime(2025, 3, 10, tzinfo=UTC).timestamp()


class MemoryCursors:
    """The cursor-store protocol in a dict, recording every save."""

    def __init__(self) -> None:
        self.cursors: dict[tuple[str, str], str] = {}
        self.saves: list[str] = []

    def load_cursor(self, network: str, query_key: str) -> str | None:
        return self.cursors.get((network, query_key))

    def save_cursor(self, network: str, query_key: str, cursor: str) -> None:
        self.cursors[(network, query_key)] = cursor
        self.saves.append(cursor)


def serve(api: FakeMastodon, log: list[httpx.Request] | None = None) -> Handler:
    def handler(request: httpx.Request) -> httpx.Response:
        if log is not None:
            log.append(request)
        status, headers, body = api.respond(request.url.path, parse_qs(request.url.query.decode()))
        return httpx.Response(status, headers=headers, content=body)

    return handler


def scripted(responses: list[httpx.Response | Exception], then: Handler | None = None) -> Handler:
    def handler(request: httpx.Request) -> httpx.Response:
        if responses:
            item = responses.pop(0)
            if isinstance(item, Exception):
                raise item
            return item
        assert then is not None, "no more scripted responses"
        return then(request)

    return handler


@pytest.fixture(params=["sync", "async"])
def harvest(
    request: pytest.FixtureRequest,
) -> Callable[..., tuple[list[ck.Post], FakeClock, Network | AsyncNetwork]]:
    """Run a search through the sync or the async driver with a fake clock; same call, same result."""

    def run(
        handler: Handler, query: ck.Query | None = None, page_size: int = 40, **options: Any
    ) -> tuple[list[ck.Post], FakeClock, Network | AsyncNetwork]:
        search = {k: options.pop(k) for k in ("since", "until", "limit") if k in options}
        query = query or ck.Query(hashtags=["buslanes"])
        clock = FakeClock(START)
        adapter = Mastodon(instance="https://town.example", page_size=page_size)
        if request.param == "sync":
            with httpx.Client(transport=httpx.MockTransport(handler)) as client:
                net = Network(adapter, client=client, clock=clock.time, sleep=clock.sleep, **options)
                return list(net.search(query, **search)), clock, net

        async def main() -> tuple[list[ck.Post], FakeClock, AsyncNetwork]:
            async with httpx.AsyncClient(transport=httpx.MockTransport(handler)) as client:
                net = AsyncNetwork(adapter, client=client, clock=clock.time, sleep=clock.asleep, **options)
                return [p async for p in net.search(query, **search)], clock, net

        return anyio.run(main)

    return run


def ids(posts: list[ck.Post]) -> list[str]:
    return [p.id for p in posts]


# -- paging, window, limit ------------------------------------------------------------------------------


def test_pages_through_everything_newest_first(harvest: Any) -> None:
    api = FakeMastodon(95)
    log: list[httpx.Request] = []
    posts, _, net = harvest(serve(api, log))
    assert ids(posts) == [s["id"] for s in api.statuses]
    assert len(log) == 4  # 40 + 40 + 15, then the empty page that ends it
    assert log[1].url.params["max_id"] == api.statuses[39]["id"]
    assert net.stats["requests"] == 4
    assert net.stats["posts"] == 95


def test_since_until_are_honoured_and_paging_stops_before_since(harvest: Any) -> None:
    api = FakeMastodon(200)  # a minute apart from 2025-03-01
    start = dt.datetime(2025, 3, 1, tzinfo=UTC)
    since, until = start + dt.timedelta(minutes=50), start + dt.timedelta(minutes=60)
    log: list[httpx.Request] = []
    posts, _, _ = harvest(serve(api, log), since=since, until=until, page_size=10)
    assert sorted(p.created_at for p in posts) == [start + dt.timedelta(minutes=m) for m in range(50, 60)]
    assert log[0].url.params["max_id"] == str(int(until.timestamp() * 1000) << 16)  # first page starts there
    assert len(log) <= 3  # stops once a whole page is older than since, not at the end of history


@pytest.mark.parametrize(("limit", "requests"), [(0, 0), (1, 1), (40, 1), (41, 2)])
def test_limit_stops_fetching(harvest: Any, limit: int, requests: int) -> None:
    log: list[httpx.Request] = []
    posts, _, _ = harvest(serve(FakeMastodon(100), log), limit=limit)
    assert len(posts) == limit
    assert len(log) == requests


def test_search_is_lazy() -> None:
    log: list[httpx.Request] = []
    with httpx.Client(transport=httpx.MockTransport(serve(FakeMastodon(100), log))) as client:
        net = ck.network("mastodon", instance="https://town.example", client=client)
        results = net.search(ck.Query(hashtags=["buslanes"]))
        assert iter(results) is results
        assert log == []
        next(results)
        assert len(log) == 1


def test_negative_limit_is_rejected_at_once() -> None:
    net = ck.network("mastodon", instance="https://town.example", client=httpx.Client())
    with net, pytest.raises(ValueError, match="limit must be None"):
        net.search(ck.Query(hashtags=["x"]), limit=-1)


def test_other_languages_are_dropped_and_counted(harvest: Any) -> None:
    posts, _, net = harvest(serve(FakeMastodon(10)), query=ck.Query(hashtags=["buslanes"], lang="cy"))
    assert posts == []
    assert net.stats["other language"] == 10


# -- hashtag splitting ----------------------------------------------------------------------------------


def test_more_hashtags_than_a_request_takes_are_split_and_merged_without_repeats(harvest: Any) -> None:
    tags = [f"tag{n}" for n in range(6)]
    api = FakeMastodon(60, tags=tags)
    log: list[httpx.Request] = []
    posts, _, net = harvest(serve(api, log), query=ck.Query(hashtags=[*tags, "tag0"]))
    assert sorted(ids(posts)) == sorted(s["id"] for s in api.statuses)
    first = [r for r in log if "max_id" not in r.url.params]
    assert [r.url.path.rsplit("/", 1)[1] for r in first] == ["tag0", "tag4"]
    assert first[0].url.params.get_list("any[]") == ["tag1", "tag2", "tag3"]
    assert first[1].url.params.get_list("any[]") == ["tag5"]
    assert net.stats["found by an earlier hashtag group"] == 0  # each status has one tag here


def test_a_post_in_two_groups_is_yielded_once() -> None:
    transport = FixtureTransport(FIXTURES)
    with httpx.Client(transport=transport) as client:
        net = Network(Mastodon(instance="https://town.example"), client=client)
        adapter_split = Mastodon.max_hashtags_per_query
        tags = ["buslanes", "a", "b", "c", "parking"]
        assert len(tags) > adapter_split
        posts = list(net.search(ck.Query(hashtags=tags)))
    keys = [p.key for p in posts]
    assert len(keys) == len(set(keys)) == 7  # six #buslanes posts, one #parking-only post
    assert net.stats["found by an earlier hashtag group"] == 1
    assert net.stats["skipped boost"] == 1


# -- rate limits ----------------------------------------------------------------------------------------


def limited(headers: dict[str, str] | None = None) -> httpx.Response:
    return httpx.Response(429, headers=headers or {}, json={"error": "Too many requests"})


def test_wait_mode_sleeps_for_retry_after(harvest: Any) -> None:
    posts, clock, net = harvest(scripted([limited({"Retry-After": "12"})], serve(FakeMastodon(5))))
    assert len(posts) == 5
    assert clock.sleeps == [12.0]
    assert net.stats["rate limited"] == 1


def test_wait_mode_reads_an_iso_reset_when_there_is_no_retry_after(harvest: Any) -> None:
    clock_now = dt.datetime(2025, 3, 10, tzinfo=UTC)
    reset = (clock_now + dt.timedelta(seconds=90)).isoformat().replace("+00:00", "Z")
    headers = {"X-RateLimit-Limit": "300", "X-RateLimit-Remaining": "0", "X-RateLimit-Reset": reset}
    posts, clock, _ = harvest(scripted([limited(headers)], serve(FakeMastodon(5))))
    assert len(posts) == 5
    assert clock.sleeps == [90.0]


@pytest.mark.parametrize(
    "headers",
    [
        {"x-rate-limit-remaining": "0", "x-rate-limit-reset": "1741564830"},  # X: epoch seconds
        {"RateLimit-Remaining": "0", "RateLimit-Reset": "1741564830"},  # Bluesky: epoch seconds
        {"x-ratelimit-remaining": "0.0", "x-ratelimit-reset": "30"},  # Reddit: seconds from now
        {"Retry-After": "Mon, 10 Mar 2025 00:00:30 GMT"},  # an HTTP date
    ],
)
def test_every_header_dialect_is_understood(harvest: Any, headers: dict[str, str]) -> None:
    _, clock, _ = harvest(scripted([limited(headers)], serve(FakeMastodon(5))))
    assert clock.sleeps == [30.0]


def test_a_quota_at_zero_waits_for_the_reset_before_the_next_request(harvest: Any) -> None:
    clock_now = dt.datetime(2025, 3, 10, tzinfo=UTC)
    reset = (clock_now + dt.timedelta(seconds=60)).isoformat()
    quota = {"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": reset}
    api = FakeMastodon(60)
    status, headers, body = api.respond("/api/v1/timelines/tag/buslanes", {"limit": ["40"]})
    page = httpx.Response(status, headers={**headers, **quota, "Link": headers["Link"]}, content=body)
    posts, clock, net = harvest(scripted([page], serve(api)))
    assert len(posts) == 60
    assert clock.sleeps == [60.0]
    assert net.stats["rate limited"] == 0


def test_raise_mode_raises_with_the_wait(harvest: Any) -> None:
    with pytest.raises(ck.RateLimitedError, match="rate limited") as info:
        harvest(scripted([limited({"Retry-After": "30"})]), rate_limit=RateLimit(mode="raise"))
    assert info.value.retry_after == 30.0
    assert info.value.status == 429
    assert info.value.network == "mastodon"


def test_a_wait_longer_than_max_wait_raises(harvest: Any) -> None:
    with pytest.raises(ck.RateLimitedError, match="longer than max_wait=60"):
        harvest(scripted([limited({"Retry-After": "3600"})]), rate_limit=RateLimit(max_wait=60))


def test_pace_mode_spreads_requests_over_the_window(harvest: Any) -> None:
    clock_now = dt.datetime(2025, 3, 10, tzinfo=UTC)
    reset = (clock_now + dt.timedelta(seconds=100)).isoformat()
    api = FakeMastodon(120)

    def paced(request: httpx.Request) -> httpx.Response:
        response = serve(api)(request)
        response.headers.update({"X-RateLimit-Remaining": "10", "X-RateLimit-Reset": reset})
        return response

    _, clock, net = harvest(paced, rate_limit=RateLimit(mode="pace"))
    assert clock.sleeps[0] == pytest.approx(10.0)  # 100 s left, 10 requests left
    assert net.stats["paced"] == len(clock.sleeps) == 3


def test_rate_limit_validates_its_mode() -> None:
    with pytest.raises(ValueError, match="mode"):
        RateLimit(mode="hurry")  # type: ignore[arg-type]


# -- errors and retries ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "error"),
    [
        (401, ck.AuthenticationError),
        (403, ck.AuthenticationError),
        (404, ck.NotFoundError),
        (400, ck.NetworkError),
    ],
)
def test_client_errors_are_translated_and_not_retried(harvest: Any, status: int, error: type) -> None:
    log: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        log.append(request)
        return httpx.Response(status, json={"error": "The access token is invalid"})

    with pytest.raises(error, match=rf"mastodon: HTTP {status} .*The access token is invalid") as info:
        harvest(handler)
    assert info.value.status == status
    assert len(log) == 1


def test_authentication_error_names_the_token_variable(harvest: Any) -> None:
    with pytest.raises(ck.AuthenticationError, match="CONSULTKIT_MASTODON_TOKEN"):
        harvest(lambda request: httpx.Response(401, json={"error": "no"}))


FAILURES: dict[str, Callable[[], Any]] = {
    "500": lambda: httpx.Response(500, text="oops"),
    "503": lambda: httpx.Response(503, text="busy"),
    "timeout": lambda: httpx.ReadTimeout("slow"),
    "connect": lambda: httpx.ConnectError("refused"),
    "reset": lambda: httpx.RemoteProtocolError("reset"),
    "truncated": lambda: httpx.Response(200, text='[{"id": "1", "crea'),
}


@pytest.mark.parametrize("failure", FAILURES.values(), ids=FAILURES.keys())
def test_transient_failures_are_retried_with_backoff(harvest: Any, failure: Callable[[], Any]) -> None:
    posts, clock, net = harvest(scripted([failure(), failure()], serve(FakeMastodon(5))))
    assert len(posts) == 5
    assert len(clock.sleeps) == 2
    assert 0.25 <= clock.sleeps[0] <= 0.5  # half the step fixed, half jitter
    assert 0.5 <= clock.sleeps[1] <= 1.0
    assert net.stats["retries"] == 2


def test_backoff_jitter_is_seeded_by_random_state(harvest: Any) -> None:
    def sleeps(seed: int) -> list[float]:
        failures: list[Any] = [httpx.ReadTimeout("slow")] * 4
        return harvest(scripted(failures, serve(FakeMastodon(1))), random_state=seed)[1].sleeps

    assert sleeps(0) == sleeps(0)
    assert sleeps(0) != sleeps(1)


def test_exhausted_retries_raise_network_error_without_httpx_leaking(harvest: Any) -> None:
    failures: list[Any] = [httpx.ConnectError("refused")] * 4
    with pytest.raises(ck.NetworkError, match="gave up after 4 attempts; last: ConnectError") as info:
        harvest(scripted(failures), retries=3)
    assert not isinstance(info.value, httpx.HTTPError)
    assert isinstance(info.value.__cause__, httpx.ConnectError)  # kept for debugging, not raised


def test_exhausted_retries_on_5xx_keep_the_status(harvest: Any) -> None:
    with pytest.raises(ck.NetworkError, match="HTTP 502") as info:
        harvest(lambda request: httpx.Response(502), retries=1)
    assert info.value.status == 502


def test_a_body_that_stays_malformed_raises_response_format_error(harvest: Any) -> None:
    with pytest.raises(ck.ResponseFormatError, match=r"mastodon: the response to GET .* not valid JSON"):
        harvest(lambda request: httpx.Response(200, text="<html>edge error</html>"), retries=1)


def test_network_errors_pickle() -> None:
    error = ck.RateLimitedError("x", "slow down", retry_after=3.0)
    again = pickle.loads(pickle.dumps(error))
    assert (again.network, again.problem, again.retry_after, str(again)) == (
        "x",
        "slow down",
        3.0,
        "x: slow down",
    )
    auth = pickle.loads(pickle.dumps(ck.AuthenticationError("x", "no", status=401)))
    assert isinstance(auth, PermissionError)
    assert auth.status == 401


# -- resume ---------------------------------------------------------------------------------------------


def test_the_cursor_is_saved_after_each_page_and_emptied_at_the_end(harvest: Any) -> None:
    store = MemoryCursors()
    harvest(serve(FakeMastodon(90)), cursor_store=store)
    assert len(store.saves) == 4  # pages of 40, 40 and 10, then the empty page that ends it
    assert store.saves[-1] == ""  # nothing to resume
    assert all(s.startswith("[0, ") for s in store.saves[:-1])


def test_a_harvest_resumes_where_it_stopped(harvest: Any) -> None:
    api = FakeMastodon(100)
    store = MemoryCursors()
    clock = FakeClock(START)
    with httpx.Client(transport=httpx.MockTransport(serve(api))) as client:
        net = Network(
            Mastodon(instance="https://town.example"), client=client, cursor_store=store, sleep=clock.sleep
        )
        results = net.search(ck.Query(hashtags=["buslanes"]))
        first = [next(results) for _ in range(45)]  # one page taken in full, five posts of the next
        del results  # the harvest dies here
    assert list(store.cursors.values()) == [f'[0, "{api.statuses[39]["id"]}"]']
    rest, _, _ = harvest(serve(api), cursor_store=store)
    assert ids(first[:40]) + ids(rest) == [s["id"] for s in api.statuses]  # the unfinished page comes again


def test_cursors_are_kept_per_query_and_window() -> None:
    query = ck.Query(hashtags=["a"])
    since = dt.datetime(2025, 1, 1, tzinfo=UTC)
    assert query_key(query) == query_key(ck.Query(hashtags=["#A"]))
    assert query_key(query) != query_key(query, since)
    assert query_key(query, since) == query_key(query, since.astimezone(dt.timezone(dt.timedelta(hours=2))))


def test_a_foreign_cursor_is_refused(harvest: Any) -> None:
    store = MemoryCursors()
    store.cursors[("mastodon", query_key(ck.Query(hashtags=["buslanes"])))] = "not json"
    with pytest.raises(ValueError, match="not one consultkit wrote"):
        harvest(serve(FakeMastodon(3)), cursor_store=store)


# -- construction ---------------------------------------------------------------------------------------


def test_registry_builds_sync_and_async_networks() -> None:
    net = ck.network("Mastodon", instance="https://town.example", token="s3cret", retries=2)
    with net:
        assert isinstance(net, Network)
        assert net.retries == 2
        assert "s3cret" not in repr(net)
        assert "token=<hidden>" in repr(net)
    anet = ck.async_network("mastodon", instance="https://town.example")
    assert isinstance(anet, AsyncNetwork)
    anyio.run(anet.aclose)
    assert "mastodon" in ck.available_networks()


def test_async_network_needs_an_adapter() -> None:
    with pytest.raises(TypeError, match="no async twin"):
        ck.async_network("memory")
    with pytest.raises(ck.UnknownNetworkError):
        ck.async_network("myspace")


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"retries": -1}, "retries"),
        ({"backoff": -1.0}, "backoff"),
        ({"page_size": 41}, "page_size must be between 1 and 40"),
        ({"instance": "town.example"}, "http"),
    ],
)
def test_bad_options_are_refused(options: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        ck.network("mastodon", **options)


def test_a_network_closes_only_the_client_it_opened() -> None:
    client = httpx.Client()
    with ck.network("mastodon", client=client):
        pass
    assert not client.is_closed
    client.close()
    own = ck.network("mastodon")
    own.close()
    assert own._client.is_closed


class ClearingCursors(MemoryCursors):
    """A store with ``clear_cursor``, as `ck.Store` has: a finished harvest is forgotten."""

    def clear_cursor(self, network: str, query_key: str) -> None:
        del self.cursors[(network, query_key)]


def test_a_finished_harvest_is_cleared_from_a_store_that_can() -> None:
    store = ClearingCursors()
    with httpx.Client(transport=httpx.MockTransport(serve(FakeMastodon(50)))) as client:
        net = Network(Mastodon(), client=client, cursor_store=store)
        assert len(list(net.search(ck.Query(hashtags=["buslanes"])))) == 50
    assert store.cursors == {}
    assert "" not in store.saves


def test_ck_store_keeps_the_place_of_a_harvest(tmp_path: Path) -> None:
    api = FakeMastodon(100)
    with ck.Store(str(tmp_path / "harvest.db")) as store:
        with httpx.Client(transport=httpx.MockTransport(serve(api))) as client:
            net = Network(Mastodon(), client=client, cursor_store=store)
            first = net.search(ck.Query(hashtags=["buslanes"]))
            taken = [next(first) for _ in range(40)]
            next(first)  # the first page was handed out in full: its cursor is saved
            rest = list(net.search(ck.Query(hashtags=["buslanes"])))
        assert ids(taken) + ids(rest) == [s["id"] for s in api.statuses]
        assert store.load_cursor("mastodon", query_key(ck.Query(hashtags=["buslanes"]))) is None
