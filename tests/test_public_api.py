"""The top-level namespace is the public contract: curated, sorted, complete, holding DESIGN §3's names."""

from __future__ import annotations
import __future__

import enum
import types

import pytest

import consultkit as ck

# Dunder names that are deliberately public.
PUBLIC_DUNDERS = {"__version__"}


def _public_namespace() -> set[str]:
    """Names bound in ``consultkit`` that a user could take for API: not private, not modules, not
    ``from __future__`` markers."""
    return {
        name
        for name, value in vars(ck).items()
        if not name.startswith("_")
        and not isinstance(value, types.ModuleType)
        and not isinstance(value, __future__._Feature)
    }


def test_all_is_sorted_and_unique() -> None:
    assert ck.__all__ == sorted(ck.__all__)
    assert len(ck.__all__) == len(set(ck.__all__))


def test_every_name_in_all_resolves() -> None:
    missing = [name for name in ck.__all__ if not hasattr(ck, name)]
    assert missing == []


def test_all_has_no_private_names() -> None:
    private = [n for n in ck.__all__ if n.startswith("_") and n not in PUBLIC_DUNDERS]
    assert private == []


def test_all_matches_the_public_namespace_exactly() -> None:
    # Nothing public is left out of __all__, and no helper import (``version``, ``Any``) leaks into the API.
    assert set(ck.__all__) - PUBLIC_DUNDERS == _public_namespace()


def test_star_import_gives_exactly_all() -> None:
    namespace: dict[str, object] = {}
    exec("from consultkit import *", namespace)
    assert set(namespace) - {"__builtins__"} == set(ck.__all__)


def test_version_is_a_non_empty_string() -> None:
    assert isinstance(ck.__version__, str)
    assert ck.__version__.strip()


# The parts of DESIGN §3 that exist today. Names still to come (Store, ThemeExtractor, summarize, ...) are
# added here when they land.
DESIGN_NAMES = [
    "Author",
    "Codebook",
    "Consultation",
    "ConsultkitError",
    "PolicyStage",
    "Post",
    "Query",
    "Question",
    "Response",
    "Theme",
    "network",
]


@pytest.mark.parametrize("name", DESIGN_NAMES)
def test_design_contract_name_is_exported(name: str) -> None:
    assert name in ck.__all__
    assert getattr(ck, name) is not None


@pytest.mark.parametrize("model", [ck.Post, ck.Author, ck.Query, ck.Question, ck.Consultation])
def test_design_models_are_frozen_keyword_only_attrs_classes(model: type) -> None:
    import attrs

    assert attrs.has(model)
    params = model.__attrs_attrs__
    assert all(a.kw_only for a in params)
    assert model.__setattr__ is not object.__setattr__  # frozen classes refuse assignment


def test_policy_stage_has_the_six_stages_in_order() -> None:
    assert issubclass(ck.PolicyStage, enum.Enum)
    assert [m.name for m in ck.PolicyStage] == [
        "AGENDA",
        "FORMULATION",
        "CONSULTATION",
        "DECISION",
        "IMPLEMENTATION",
        "EVALUATION",
    ]


def test_design_signatures_accept_the_documented_keywords() -> None:
    # DESIGN §3 spells these calls; they must keep working as written.
    post = ck.Post(
        network="memory",
        id="1",
        text="hello",
        created_at="2024-05-01T12:00:00Z",
        author=ck.Author(id="u_1"),
        url="https://example.org/1",
        lang="en",
        hashtags=(),
        reply_to=None,
        metrics={},
        extra={},
    )
    query = ck.Query(hashtags=("dementiachallengers",), terms=(), lang=None)
    question = ck.Question(id="q1", text="What do you think?", kind="open", options=(), hashtags=())
    consultation = ck.Consultation(
        id="c1",
        title="Title",
        questions=(question,),
        stage=ck.PolicyStage.CONSULTATION,
        opens="2024-05-01T00:00:00Z",
        closes="2024-06-01T00:00:00Z",
    )
    assert post.key == ("memory", "1")
    assert query.hashtags == ("dementiachallengers",)
    assert consultation.questions == (question,)
    net = ck.network("memory", posts=[post])
    assert list(net.search(ck.Query(), since=None, until=None, limit=None)) == [post]
