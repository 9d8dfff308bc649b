"""A stateful test: random upserts, edits, failed batches, review actions and reopenings, on both backends.

A plain-Python model says what the store must hold after every step: no post lost or duplicated, every edit
kept in order, themes and assignments as the analysts left them, one audit event per review action.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

import consultkit as ck
from consultkit.store import Store

CONSULTATION = ck.Consultation(
    id="c1",
    title="Bus lanes",
    questions=[ck.Question(id="q1", text="What do you think?", hashtags=["buslane"])],
)
THEMES = [ck.Theme(id=n, label=f"Theme {n}") for n in range(3)]

keys = st.sampled_from([("mastodon", str(n)) for n in range(6)] + [("bluesky", "0"), ("memory", "r1")])
texts = st.sampled_from(["Yes #buslane", "No #buslane", "Maybe #buslane", "Yes #buslane 🚌"])


@st.composite
def posts(draw: st.DrawFn) -> ck.Post:
    network, post_id = draw(keys)
    return ck.Post(
        network=network,
        id=post_id,
        text=draw(texts),
        created_at="2025-03-01T09:00:00Z",
        metrics={"likes": draw(st.integers(0, 2))},
    )


def _content(post: ck.Post) -> dict[str, Any]:
    data = post.to_dict()
    del data["metrics"]
    return data


def machine(open_url: Callable[[], str], cleanup: Callable[[], None]) -> type[RuleBasedStateMachine]:
    class StoreMachine(RuleBasedStateMachine):
        def __init__(self) -> None:
            super().__init__()
            self.url = open_url()
            self.store = Store(self.url)
            self.responses = [
                ck.Response(
                    post=ck.Post(
                        network="memory", id=f"r{n}", text="Yes #buslane", created_at="2025-03-01T09:00:00Z"
                    ),
                    question_id="q1",
                    matched_by="hashtag",
                )
                for n in range(4)
            ]
            self.store.save_consultation(CONSULTATION)
            self.store.save_themes("c1", THEMES, self.responses, [0, 1, 2, 0])
            self.current: dict[tuple[str, str], ck.Post] = {r.post.key: r.post for r in self.responses}
            self.history: dict[tuple[str, str], list[ck.Post]] = {key: [p] for key, p in self.current.items()}
            self.labels = {t.id: t.label for t in THEMES}
            self.assigned = dict(zip([r.post.key for r in self.responses], [0, 1, 2, 0], strict=True))
            self.events = 0

        def teardown(self) -> None:
            self.store.close()
            cleanup()

        def _apply(self, batch: list[ck.Post]) -> None:
            for post in batch:
                old = self.current.get(post.key)
                if old is None or _content(old) != _content(post):
                    self.history.setdefault(post.key, []).append(post)
                else:
                    self.history[post.key][-1] = post  # new counts only: the same version, refreshed
                self.current[post.key] = post

        @rule(batch=st.lists(posts(), max_size=8), batch_size=st.integers(1, 4))
        def upsert(self, batch: list[ck.Post], batch_size: int) -> None:
            self.store.add_posts(batch, batch_size=batch_size)
            self._apply(batch)

        @rule(batch=st.lists(posts(), min_size=1, max_size=6))
        def failed_batch(self, batch: list[ck.Post]) -> None:
            def write_then_crash() -> None:
                with self.store.transaction():
                    self.store.add_posts(batch, batch_size=2)
                    raise RuntimeError("crash after writing")

            with pytest.raises(RuntimeError, match="crash"):
                write_then_crash()

        @rule()
        def reopen(self) -> None:
            self.store.close()
            self.store = Store(self.url)

        @rule(theme=st.sampled_from([0, 1, 2]), label=st.sampled_from(["Parking", "Safety", "Cost"]))
        def rename(self, theme: int, label: str) -> None:
            self.store.review("c1", analyst="analyst").rename_theme(theme, label)
            self.labels[theme] = label
            self.events += 1

        @rule(n=st.integers(0, 3), theme=st.sampled_from([0, 1, 2, None]))
        def reassign(self, n: int, theme: int | None) -> None:
            ref = ("memory", f"r{n}", "q1")
            self.store.review("c1", analyst="analyst").assign(ref, theme)
            self.assigned[("memory", f"r{n}")] = theme
            self.events += 1

        @rule(n=st.integers(0, 3), reviewed=st.booleans())
        def mark(self, n: int, reviewed: bool) -> None:
            self.store.review("c1", analyst="analyst").mark_reviewed(("memory", f"r{n}", "q1"), reviewed)
            self.events += 1

        @invariant()
        def no_post_is_lost_or_duplicated(self) -> None:
            stored = list(self.store.posts())
            assert len({p.key for p in stored}) == len(stored)
            assert {p.key: p for p in stored} == self.current

        @invariant()
        def every_edit_is_kept_in_order(self) -> None:
            for key, versions in self.history.items():
                assert self.store.post_history(*key) == versions

        @invariant()
        def review_state_matches(self) -> None:
            assert {t.id: t.label for t in self.store.themes("c1")} == self.labels
            for (network, post_id), theme in self.assigned.items():
                assert self.store.theme_of("c1", (network, post_id, "q1")) == theme
            assert sum(1 for _ in self.store.audit_trail("c1")) == self.events

    return StoreMachine


SETTINGS = settings(max_examples=20, stateful_step_count=12, deadline=None)


def test_store_state_machine_on_sqlite() -> None:
    folders: list[str] = []

    def open_url() -> str:
        folders.append(tempfile.mkdtemp(prefix="consultkit-stateful-"))
        return str(Path(folders[-1]) / "store.db")

    def cleanup() -> None:
        shutil.rmtree(folders.pop(), ignore_errors=True)

    run_state_machine_as_test(machine(open_url, cleanup), settings=SETTINGS)


def test_store_state_machine_on_postgresql(fresh_postgres: Callable[[], str]) -> None:
    run_state_machine_as_test(machine(fresh_postgres, lambda: None), settings=SETTINGS)
