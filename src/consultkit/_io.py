"""Streaming JSONL and CSV readers and writers.

Readers are lazy: they yield one validated model per line or row, so a file of millions of posts never sits in
memory, and a bad line raises `DataFormatError` naming the file, line and field. Writers to a path write a
temporary file beside it and rename it into place only when every record is written: a failure leaves the old
file (or none), never half a file. Paths ending in ``.gz`` are read and written compressed.
"""

from __future__ import annotations

import contextlib
import csv
import functools
import gzip
import io
import json
import os
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any, TypeVar

from ._exceptions import DataFormatError, ModelValidationError
from ._models import Author, Post
from ._serialize import Serializable

__all__ = ["read_csv", "read_jsonl", "write_csv", "write_jsonl"]

M = TypeVar("M", bound=Serializable)
PathOrFile = str | os.PathLike[str] | IO[str]

_AUTHOR_COLUMNS = ("id", "handle", "created_at", "posts_count", "followers_count")
CSV_COLUMNS = (
    "network", "id", "created_at", "text", "url", "lang", "hashtags", "reply_to", "thread_root",
    *(f"author_{name}" for name in _AUTHOR_COLUMNS), "metrics", "extra",
)  # fmt: skip


def read_jsonl(source: PathOrFile, model: type[M] = Post) -> Iterator[M]:  # type: ignore[assignment]  # Post is the default model
    """Yield one ``model`` (by default `Post`) per non-blank line of a JSONL file or open text stream."""
    name = _name(source)
    stream = _open_read(source)
    return _read_jsonl(stream, name, model)


def _read_jsonl(stream: contextlib.AbstractContextManager[IO[str]], name: str, model: type[M]) -> Iterator[M]:
    with stream as handle:
        for number, line in enumerate(_decoded(handle, name), start=1):
            if not line.strip():
                continue
            try:
                data = json.loads(line)
            except json.JSONDecodeError as exc:
                raise DataFormatError(name, number, "<json>", f"not valid JSON: {exc.msg}") from None
            yield _build(model, data, name, number)


def write_jsonl(records: Iterable[Serializable], target: PathOrFile) -> int:
    """Write one JSON object per record; return how many were written."""
    with open_atomic(target) as out:
        count = 0
        for record in records:
            out.write(json.dumps(record.to_dict(), ensure_ascii=False, separators=(",", ":")))
            out.write("\n")
            count += 1
    return count


def read_csv(source: PathOrFile) -> Iterator[Post]:
    """Yield one `Post` per row of a CSV file written by `write_csv` (columns in ``CSV_COLUMNS``)."""
    name = _name(source)
    stream = _open_read(source)
    return _read_csv(stream, name)


def _read_csv(stream: contextlib.AbstractContextManager[IO[str]], name: str) -> Iterator[Post]:
    with stream as handle:
        reader = csv.DictReader(_decoded(handle, name))
        missing = [c for c in ("network", "id", "created_at", "text") if c not in (reader.fieldnames or ())]
        if missing:
            raise DataFormatError(name, 1, missing[0], f"missing column(s): {', '.join(missing)}")
        unknown = [c for c in reader.fieldnames or () if c not in CSV_COLUMNS]
        if unknown:
            raise DataFormatError(name, 1, unknown[0], f"unknown column; known: {', '.join(CSV_COLUMNS)}")
        for row in reader:
            number = reader.line_num
            if None in row:
                raise DataFormatError(name, number, "<row>", "more cells than columns")
            yield _build(Post, _row_to_dict(row, name, number), name, number)


def write_csv(posts: Iterable[Post], target: PathOrFile) -> int:
    """Write posts as CSV, one row each, lossless for `read_csv`; return how many were written."""
    with open_atomic(target) as out:
        # "\r\n" (RFC 4180) also makes the writer quote a cell holding a lone "\r", which "\n" does not
        writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\r\n")
        writer.writeheader()
        count = 0
        for post in posts:
            writer.writerow(_post_to_row(post))
            count += 1
    return count


def _post_to_row(post: Post) -> dict[str, str]:
    data = post.to_dict()
    author = data.pop("author") or {}
    row = {key: "" if value is None else value for key, value in data.items()}
    row["hashtags"] = " ".join(post.hashtags)
    row["metrics"] = json.dumps(data["metrics"]) if post.metrics else ""
    row["extra"] = json.dumps(data["extra"], ensure_ascii=False) if post.extra else ""
    for name in _AUTHOR_COLUMNS:
        value = author.get(name)
        row[f"author_{name}"] = "" if value is None else str(value)
    return row


def _row_to_dict(row: dict[str, str], name: str, number: int) -> dict[str, Any]:
    data: dict[str, Any] = {key: (value or None) for key, value in row.items()}
    data["text"] = row.get("text") or ""
    data["hashtags"] = (row.get("hashtags") or "").split()
    for column in ("metrics", "extra"):
        try:
            data[column] = json.loads(row[column]) if row.get(column) else {}
        except json.JSONDecodeError as exc:
            raise DataFormatError(name, number, column, f"not valid JSON: {exc.msg}") from None
    author = {key: data.pop(f"author_{key}", None) for key in _AUTHOR_COLUMNS}
    for count in ("posts_count", "followers_count"):
        if author[count] is not None:
            try:
                author[count] = int(author[count])
            except ValueError:
                raise DataFormatError(
                    name, number, f"author_{count}", "expected a whole number", author[count]
                ) from None
    if author["id"] is None and any(value is not None for value in author.values()):
        raise DataFormatError(name, number, "author_id", "author columns are filled but author_id is empty")
    try:
        data["author"] = Author.from_dict(author) if author["id"] is not None else None
    except ModelValidationError as exc:
        raise DataFormatError(name, number, f"author_{exc.field}", exc.problem, exc.value) from None
    return data


def _decoded(lines: Iterable[str], name: str) -> Iterator[str]:
    """The lines of a text stream; a byte that is not UTF-8 raises `DataFormatError` instead."""
    number = 0
    try:
        for number, line in enumerate(lines, start=1):  # noqa: B007  # number is read after the loop
            yield line
    except UnicodeDecodeError as exc:
        raise DataFormatError(
            name, number + 1, "<encoding>", f"not UTF-8 text ({exc.reason}); save the file as UTF-8"
        ) from None


def _build(model: type[M], data: Any, name: str, number: int) -> M:
    try:
        return model.from_dict(data)
    except DataFormatError:
        raise
    except ModelValidationError as exc:
        field = exc.field if exc.model == model.__name__ else f"{exc.model}.{exc.field}"
        raise DataFormatError(name, number, field, exc.problem, exc.value) from None


def _name(source: PathOrFile) -> str:
    if isinstance(source, (str, os.PathLike)):
        return os.fspath(source)
    return str(getattr(source, "name", "<stream>"))


def _open_read(source: PathOrFile) -> contextlib.AbstractContextManager[IO[str]]:
    """Check a path now (so a missing file fails at the call) and open it when reading starts; an open
    stream is borrowed, not closed."""
    if not isinstance(source, (str, os.PathLike)):
        return contextlib.nullcontext(source)
    path = Path(source)
    if not path.is_file():
        path.open().close()  # raises the precise OSError: missing, a directory, no permission
    return _opened(path)


@contextlib.contextmanager
def _opened(path: Path) -> Iterator[IO[str]]:
    # utf-8-sig skips the byte-order mark that Excel writes to "CSV UTF-8" files
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8-sig", newline="") as handle:
        yield handle


@functools.cache
def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


@contextlib.contextmanager
def open_atomic(target: PathOrFile) -> Iterator[IO[str]]:
    """Write text to a temporary file renamed over ``target`` on success; an open stream is used as is."""
    if not isinstance(target, (str, os.PathLike)):
        yield target
        return
    path = Path(target)
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    try:
        os.chmod(temp, 0o666 & ~_umask())  # mkstemp makes 0600; give the file the mode open() would
        with os.fdopen(fd, "wb") as raw:
            compress = path.suffix == ".gz"
            binary: IO[bytes] = (
                gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) if compress else raw  # type: ignore[assignment]  # GzipFile is a binary file
            )
            text = io.TextIOWrapper(binary, encoding="utf-8", newline="")
            yield text
            text.flush()
            text.detach()
            if compress:
                binary.close()  # writes the gzip trailer; leaves raw open
            raw.flush()
            os.fsync(raw.fileno())
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp)
        raise
