"""The store's fast serialisation of posts gives exactly what `Post.to_dict` gives, for any post."""

from __future__ import annotations

import json

from hypothesis import given

import consultkit as ck
import strategies
from consultkit.store import _rows


@given(strategies.posts())
def test_post_rows_give_back_to_dict_exactly(post: ck.Post) -> None:
    row = _rows.post_row(post)
    assert _rows.post_dict(*row) == post.to_dict()
    assert _rows.post_from_row(row) == post


@given(strategies.posts())
def test_post_rows_are_plain_json_columns(post: ck.Post) -> None:
    network, post_id, created_at, metrics, data = _rows.post_row(post)
    assert (network, post_id) == post.key
    assert json.loads(metrics) == dict(post.metrics)
    assert json.loads(data)["text"] == post.text
    assert created_at == post.to_dict()["created_at"]
