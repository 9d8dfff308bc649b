"""JSONL and CSV: lossless round trips, lazy reading, errors that name file/line/field, atomic writes."""

from __future__ import annotations

import datetime as dt
import gzip
import inspect
import io
import json
import stat
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, NamedTuple

import pytest
from hypothesis import given
from hypothesis import strategies as st

import consultkit as ck
from consultkit._io import CSV_COLUMNS
from strategies import consultations, posts

UTC = dt.timezone.utc
WHEN = dt.datetime(2024, 5, 1, 12, 0, tzinfo=UTC)

FULL = ck.Post(
    network="mastodon",
    id="109876",
    text='Line one, with "quotes" and a comma\nline two 🙂👩🏽‍⚕️ #BusLanes\r\nend\r',
    created_at="2024-05-01T14:00:00.123456+02:00",
    author=ck.Author(
        id="u_0123456789abcdef0123",
        handle="@alice@example.social",
        created_at="2019-02-03T04:05:06Z",
        posts_count=12,
        followers_count=0,
    ),
    url="https://example.social/@alice/109876",
    lang="en",
    hashtags=["BusLanes", "NHS"],
    reply_to="109000",
    thread_root="108000",
    metrics={"likes": 3, "shares": 0},
    extra={"visibility": "public", "nested": {"list": [1, 2.5, None, True, 'é,"x"\n']}, "emoji": "🚌"},
)
BARE = ck.Post(network="bluesky", id="at://did:plc:abc/app.bsky.feed.post/1", text="", created_at=WHEN)
SAMPLE = [FULL, BARE, ck.Post(network="reddit", id=7, text="ß, İ, مرحبا", created_at=WHEN, lang="de")]


class Format(NamedTuple):
    suffix: str
    write: Callable[..., int]
    read: Callable[..., Iterator[ck.Post]]


FORMATS = pytest.mark.parametrize(
    "fmt",
    [Format("jsonl", ck.write_jsonl, ck.read_jsonl), Format("csv", ck.write_csv, ck.read_csv)],
    ids=["jsonl", "csv"],
)


# -- round trips ------------------------------------------------------------------------------------


@FORMATS
@pytest.mark.parametrize("gz", [False, True], ids=["plain", "gz"])
def test_round_trip_through_a_file(tmp_path: Path, fmt: Format, gz: bool) -> None:
    path = tmp_path / f"posts.{fmt.suffix}{'.gz' if gz else ''}"
    assert fmt.write(SAMPLE, path) == len(SAMPLE)
    assert list(fmt.read(path)) == SAMPLE
    assert list(fmt.read(str(path))) == SAMPLE  # str paths as well as Path
    assert (path.read_bytes()[:2] == b"\x1f\x8b") is gz


@FORMATS
def test_gzip_output_is_byte_for_byte_reproducible(tmp_path: Path, fmt: Format) -> None:
    one, two = tmp_path / f"a.{fmt.suffix}.gz", tmp_path / f"b.{fmt.suffix}.gz"
    fmt.write(SAMPLE, one)
    fmt.write(SAMPLE, two)
    assert one.read_bytes() == two.read_bytes()
    assert gzip.decompress(one.read_bytes()).decode("utf-8").count("\n") >= len(SAMPLE)


@FORMATS
def test_round_trip_through_open_streams(fmt: Format) -> None:
    buffer = io.StringIO()
    assert fmt.write(SAMPLE, buffer) == len(SAMPLE)
    assert not buffer.closed  # a borrowed stream is left open
    buffer.seek(0)
    assert list(fmt.read(buffer)) == SAMPLE
    assert not buffer.closed


@given(st.lists(posts(), max_size=5))
def test_csv_round_trip_is_lossless(items: list[ck.Post]) -> None:
    buffer = io.StringIO(newline="")
    ck.write_csv(items, buffer)
    buffer.seek(0)
    assert list(ck.read_csv(buffer)) == items


@given(st.lists(consultations(), max_size=2))
def test_jsonl_round_trip_of_other_models(items: list[ck.Consultation]) -> None:
    buffer = io.StringIO()
    ck.write_jsonl(items, buffer)
    buffer.seek(0)
    assert list(ck.read_jsonl(buffer, ck.Consultation)) == items


def test_jsonl_lines_are_compact_utf8_with_utc_times(tmp_path: Path) -> None:
    path = tmp_path / "posts.jsonl"
    ck.write_jsonl([FULL], path)
    text = path.read_text(encoding="utf-8")
    assert text.endswith("\n")
    assert text.count("\n") == 1  # newlines in the post text are escaped
    assert "🙂" in text  # not \\ud83d escapes
    assert '"created_at":"2024-05-01T12:00:00.123456Z"' in text
    assert json.loads(text)["id"] == "109876"


def test_csv_has_the_documented_header(tmp_path: Path) -> None:
    path = tmp_path / "posts.csv"
    ck.write_csv([], path)
    assert path.read_text(encoding="utf-8").splitlines() == [",".join(CSV_COLUMNS)]
    assert list(ck.read_csv(path)) == []


def test_csv_quotes_a_lone_carriage_return() -> None:
    post = ck.Post(network="m", id="1", text="a\rb", created_at=WHEN)
    buffer = io.StringIO(newline="")
    ck.write_csv([post], buffer)
    buffer.seek(0)
    assert list(ck.read_csv(buffer)) == [post]


def test_csv_with_only_the_required_columns(tmp_path: Path) -> None:
    path = tmp_path / "min.csv"
    path.write_text('network,id,created_at,text\r\nmastodon,1,2024-05-01T12:00:00Z,"hi, there"\r\n')
    assert list(ck.read_csv(path)) == [ck.Post(network="mastodon", id="1", text="hi, there", created_at=WHEN)]


@pytest.mark.parametrize(("suffix", "read"), [("csv", ck.read_csv), ("jsonl", ck.read_jsonl)])
def test_reading_skips_a_utf8_byte_order_mark(
    tmp_path: Path, suffix: str, read: Callable[..., Iterator[ck.Post]]
) -> None:
    # Excel's "CSV UTF-8" and some Windows tools start the file with a BOM.
    path = tmp_path / f"bom.{suffix}"
    {"csv": ck.write_csv, "jsonl": ck.write_jsonl}[suffix]([BARE], path)
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert list(read(path)) == [BARE]


def test_real_tweets_round_trip(shared_data: Callable[..., Path], tmp_path: Path) -> None:
    lines = shared_data("stance", "abortion", "train_text.txt").read_text(encoding="utf-8").splitlines()[:300]
    items = [
        ck.Post(network="twitter", id=i, text=line, created_at=WHEN, hashtags=ck.extract_hashtags(line))
        for i, line in enumerate(lines)
    ]
    ck.write_jsonl(items, tmp_path / "t.jsonl.gz")
    ck.write_csv(items, tmp_path / "t.csv")
    assert list(ck.read_jsonl(tmp_path / "t.jsonl.gz")) == items
    assert list(ck.read_csv(tmp_path / "t.csv")) == items


# -- laziness ---------------------------------------------------------------------------------------


def _good_line(i: int) -> str:
    return json.dumps(ck.Post(network="m", id=i, text="ok", created_at=WHEN).to_dict())


def test_read_jsonl_is_lazy_and_fails_only_at_the_bad_line(tmp_path: Path) -> None:
    path = tmp_path / "posts.jsonl"
    bad = json.dumps({**json.loads(_good_line(3)), "created_at": "2024-05-01T12:00:00"})
    path.write_text("\n".join([_good_line(1), "", _good_line(2), bad, _good_line(4)]) + "\n")
    reader = ck.read_jsonl(path)
    assert inspect.isgenerator(reader)
    assert next(reader).id == "1"
    assert next(reader).id == "2"  # the blank line is skipped but counted
    with pytest.raises(ck.DataFormatError) as info:
        next(reader)
    assert (info.value.path, info.value.line, info.value.field) == (str(path), 4, "created_at")
    assert str(info.value).startswith(f"{path}, line 4, field 'created_at': naive datetime")


def test_read_csv_is_lazy(tmp_path: Path) -> None:
    path = tmp_path / "posts.csv"
    ck.write_csv(SAMPLE, path)
    with path.open("a", encoding="utf-8", newline="") as handle:
        handle.write("m,9,not a date,text\r\n")
    reader = ck.read_csv(path)
    assert inspect.isgenerator(reader)
    assert [next(reader) for _ in SAMPLE] == SAMPLE
    with pytest.raises(ck.DataFormatError, match="field 'created_at'"):
        next(reader)


@pytest.mark.parametrize("read", [ck.read_jsonl, ck.read_csv])
def test_reading_a_missing_file_fails_at_call_time(tmp_path: Path, read: Callable[..., Any]) -> None:
    with pytest.raises(FileNotFoundError):
        read(tmp_path / "absent.jsonl")  # not deferred to the first next()


# -- JSONL errors -----------------------------------------------------------------------------------

_BASE = '"network": "m", "id": "1", "text": ""'  # a record missing only created_at
_AT = '"created_at": "2024-05-01T12:00:00Z"'

JSONL_ERRORS = [
    ("{not json", "<json>", "not valid JSON"),
    ('{"network": "m"', "<json>", "not valid JSON"),
    ("[1, 2]", "<record>", "expected a mapping of field names"),
    ('"a string"', "<record>", "expected a mapping of field names"),
    (f'{{{_BASE}, {_AT}, "likes": 3}}', "likes", "unknown field"),
    (f"{{{_BASE}}}", "created_at", "required field is missing"),
    (f'{{{_BASE}, "created_at": "soon"}}', "created_at", "expected a timezone-aware"),
    (f'{{"network": "m", "id": "1", "text": 3, {_AT}}}', "text", "expected a string"),
    (f'{{{_BASE}, {_AT}, "metrics": {{"x": 1.5}}}}', "metrics", "string keys to non-negative integers"),
    (f'{{{_BASE}, {_AT}, "extra": {{"x": NaN}}}}', "extra", "no NaN"),
    (f'{{{_BASE}, {_AT}, "author": {{"id": ""}}}}', "Author.id", "expected a non-empty string"),
]


@pytest.mark.parametrize(("line", "field", "problem"), JSONL_ERRORS)
def test_jsonl_error_names_file_line_and_field(tmp_path: Path, line: str, field: str, problem: str) -> None:
    path = tmp_path / "in.jsonl"
    path.write_text(_good_line(1) + "\n" + line + "\n")
    with pytest.raises(ck.DataFormatError) as info:
        list(ck.read_jsonl(path))
    error = info.value
    assert (error.path, error.line, error.field) == (str(path), 2, field)
    assert problem in str(error)
    assert str(error).startswith(f"{path}, line 2, field {field!r}: ")
    assert isinstance(error, ValueError)


def test_jsonl_error_from_a_stream_names_the_stream() -> None:
    with pytest.raises(ck.DataFormatError, match=r"^<stream>, line 1, field '<json>'"):
        list(ck.read_jsonl(io.StringIO("nope\n")))


def test_reading_invalid_utf8_raises_a_value_error(tmp_path: Path) -> None:
    path = tmp_path / "latin1.jsonl"
    path.write_bytes(_good_line(1).replace('"ok"', '"caf\xe9"').encode("latin-1") + b"\n")
    with pytest.raises(ck.DataFormatError, match=r"line 1, field '<encoding>': not UTF-8 text"):
        list(ck.read_jsonl(path))


# -- CSV errors -------------------------------------------------------------------------------------

H = "network,id,created_at,text"  # the required columns
OK = "m,1,2024-05-01T12:00:00Z,hi"  # a good row for them

CSV_ERRORS = [
    ("network,id,text\r\nm,1,hi\r\n", 1, "created_at", "missing column(s): created_at"),
    ("network,text\r\nm,hi\r\n", 1, "id", "missing column(s): id, created_at"),
    ("", 1, "network", "missing column(s): network, id, created_at, text"),
    (f"{H},likes\r\n{OK},3\r\n", 1, "likes", "unknown column"),
    (f"{H}\r\n{OK},surplus\r\n", 2, "<row>", "more cells than columns"),
    (f"{H}\r\nm,1,2024-05-01T12:00:00,hi\r\n", 2, "created_at", "naive datetime"),
    (f"{H},author_id,author_posts_count\r\n{OK},u_1,many\r\n", 2, "author_posts_count", "a whole number"),
    (
        f"{H},author_id,author_followers_count\r\n{OK},u_1,1.5\r\n",
        2,
        "author_followers_count",
        "a whole number",
    ),
    (f"{H},author_id,author_posts_count\r\n{OK},u_1,-3\r\n", 2, "author_posts_count", "non-negative"),
    (f"{H},author_id,author_created_at\r\n{OK},u_1,2020-01-01\r\n", 2, "author_created_at", "naive datetime"),
    (f"{H},author_id,author_handle\r\n{OK},u_1,  \r\n", 2, "author_handle", "non-empty string"),
    (f"{H},metrics\r\n{OK},{{likes:1}}\r\n", 2, "metrics", "not valid JSON"),
    (f"{H},extra\r\n{OK},[1\r\n", 2, "extra", "not valid JSON"),
    (f"{H},url\r\n{OK},www.example.org\r\n", 2, "url", "expected an http(s) URL"),
    (f'{H}\r\nm,1,2024-05-01T12:00:00Z,"two\r\nlines"\r\nm,2,bad,x\r\n', 4, "created_at", "timezone-aware"),
]


@pytest.mark.parametrize(("content", "line", "field", "problem"), CSV_ERRORS)
def test_csv_error_names_file_line_and_field(
    tmp_path: Path, content: str, line: int, field: str, problem: str
) -> None:
    path = tmp_path / "in.csv"
    path.write_bytes(content.encode("utf-8"))
    with pytest.raises(ck.DataFormatError) as info:
        list(ck.read_csv(path))
    error = info.value
    assert (error.path, error.line, error.field) == (str(path), line, field)
    assert problem in str(error)


# -- atomic writes ----------------------------------------------------------------------------------


def _failing(after: int) -> Iterator[ck.Post]:
    yield from SAMPLE[:after]
    raise RuntimeError("source failed midway")


@FORMATS
@pytest.mark.parametrize("gz", [False, True], ids=["plain", "gz"])
@pytest.mark.parametrize("existing", [True, False], ids=["replacing", "new"])
def test_failed_write_leaves_old_file_and_no_temp_file(
    tmp_path: Path,
    fmt: Format,
    gz: bool,
    existing: bool,
) -> None:
    path = tmp_path / f"out.{fmt.suffix}{'.gz' if gz else ''}"
    if existing:
        fmt.write([BARE], path)
        before = path.read_bytes()
    with pytest.raises(RuntimeError, match="midway"):
        fmt.write(_failing(after=2), path)
    assert [p.name for p in tmp_path.iterdir()] == ([path.name] if existing else [])
    if existing:
        assert path.read_bytes() == before
        assert list(fmt.read(path)) == [BARE]


@FORMATS
def test_bad_record_midway_leaves_no_half_file(tmp_path: Path, fmt: Format) -> None:
    path = tmp_path / f"out.{fmt.suffix}"
    with pytest.raises(AttributeError):
        fmt.write([BARE, "not a post"], path)
    assert list(tmp_path.iterdir()) == []


def test_successful_write_replaces_the_old_file(tmp_path: Path) -> None:
    path = tmp_path / "out.jsonl"
    ck.write_jsonl(SAMPLE, path)
    ck.write_jsonl([BARE], path)
    assert list(ck.read_jsonl(path)) == [BARE]
    assert [p.name for p in tmp_path.iterdir()] == ["out.jsonl"]


def test_writing_into_a_missing_directory_fails_cleanly(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        ck.write_jsonl(SAMPLE, tmp_path / "no" / "such" / "dir.jsonl")
    assert list(tmp_path.iterdir()) == []


def test_writers_accept_any_iterable_and_count(tmp_path: Path) -> None:
    assert ck.write_jsonl((p for p in SAMPLE), tmp_path / "a.jsonl") == 3
    assert ck.write_csv(iter(SAMPLE), tmp_path / "a.csv") == 3
    assert ck.write_jsonl([], tmp_path / "empty.jsonl") == 0
    assert (tmp_path / "empty.jsonl").read_bytes() == b""


@FORMATS
def test_written_files_get_the_mode_open_would_give(tmp_path: Path, fmt: Format) -> None:
    # The temporary file starts owner-only (mkstemp); the result must not stay 0600.
    path = tmp_path / f"out.{fmt.suffix}"
    fmt.write(SAMPLE, path)
    reference = tmp_path / "reference"
    reference.write_text("")
    assert stat.S_IMODE(path.stat().st_mode) == stat.S_IMODE(reference.stat().st_mode)
