"""Duplicates: exact and wire copies found, the original chosen the same way every time."""

from __future__ import annotations

import random

import pytest

from newsweave.config import ClusterConfig
from newsweave.model import AnalyzedArticle, Article
from newsweave.story.dedup import find_duplicates
from newsweave.story.sources import independent_sources, source_keys

WIRE = (
    "The city council voted on Tuesday to approve a new budget for the harbour district, "
    "setting aside money for repairs to the old sea wall and two new ferry piers. "
    "The mayor said the vote ended months of debate and that work would start in the spring. "
    "Opponents argued that the plan ignored the flooding risk in the eastern neighbourhoods "
    "and promised to raise the matter again at the next meeting of the council in March. "
    "Engineers estimate the repairs will take three years and employ about two hundred workers."
)


def _item(
    article_id: str, text: str, published: str | None = None, outlet: str | None = None
) -> AnalyzedArticle:
    return AnalyzedArticle(
        article=Article(id=article_id, title="Budget", text=text, published=published, outlet=outlet)
    )


def test_exact_copy_points_at_the_earliest_published() -> None:
    items = [_item("b", WIRE, "2024-03-02"), _item("a", WIRE.upper(), "2024-03-01")]
    assert find_duplicates(items, ClusterConfig()) == {"b": "a"}


def test_wire_copy_with_small_edits_is_a_duplicate() -> None:
    edited = (
        WIRE.replace("on Tuesday", "late on Tuesday").replace("two hundred", "200") + " Reporting by staff."
    )
    items = [_item("wire", WIRE, "2024-03-01"), _item("copy", edited, "2024-03-02")]
    assert find_duplicates(items, ClusterConfig()) == {"copy": "wire"}


def test_truncated_copy_is_a_duplicate() -> None:
    half = WIRE[: len(WIRE) * 2 // 3]
    assert find_duplicates([_item("full", WIRE), _item("short", half)], ClusterConfig()) == {"short": "full"}


def test_different_story_on_the_same_subject_is_not_a_duplicate() -> None:
    other = (
        "Residents of the eastern neighbourhoods met on Thursday to discuss flooding after heavy rain "
        "filled several basements. They asked the council for sandbags and a study of the drains, "
        "and said the harbour budget did not address their concerns about the sea wall at all."
    )
    assert find_duplicates([_item("a", WIRE), _item("b", other)], ClusterConfig()) == {}


def test_original_choice_does_not_depend_on_order() -> None:
    items = [_item(x, WIRE) for x in "dcba"] + [_item("e", WIRE + " Extra line here.")]
    expected = find_duplicates(items, ClusterConfig())
    assert set(expected.values()) == {"a"}  # undated: smallest id
    for seed in range(5):
        random.Random(seed).shuffle(items)
        assert find_duplicates(items, ClusterConfig()) == expected


def _by(article_id: str, outlet: str | None, url: str | None = None, title: str = "A report") -> Article:
    return Article(id=article_id, title=title, text="Some text.", outlet=outlet, url=url)


def test_independent_sources_counts_copies_and_one_outlets_articles_once() -> None:
    duplicate_of = {"b": "a", "c": "a"}
    found = [_by("a", "Wire"), _by("b", "Paper"), _by("c", "Radio"), _by("d", "wire")]
    # b and c copy a; d is an own article but from the same outlet as the original a
    assert independent_sources(found, duplicate_of) == 1
    assert independent_sources([*found, _by("e", "Evening Post")], duplicate_of) == 2


def test_an_article_of_unknown_outlet_is_no_independent_source() -> None:
    keys = source_keys([_by("a", None), _by("b", "Wire")], {})
    assert keys == {"a": None, "b": "outlet:wire"}
    assert independent_sources([_by("a", None), _by("x", None)], {}) == 0


def test_an_opinion_piece_is_no_independent_source() -> None:
    column = _by("c", "Daily Planet", url="https://dailyplanet.example/opinions/2021/10/why-we-are-right")
    assert source_keys([column, _by("n", "Wire")], {})["c"] is None
    assert source_keys([_by("o", "CNN (Opinion)")], {})["o"] is None


def test_copies_of_an_original_outside_the_story_count_once() -> None:
    keys = source_keys([_by("b", "Paper"), _by("c", "Radio")], {"b": "a", "c": "a"})
    assert keys["b"] == keys["c"] is not None


def test_signatures_and_bands_are_the_ones_datasketch_gives_so_the_same_pairs_are_offered() -> None:
    import random

    import numpy as np

    from newsweave.story.dedup import NUM_PERM, lsh_bands, minhash

    datasketch = pytest.importorskip("datasketch")
    lsh = pytest.importorskip("datasketch.lsh")
    rng = random.Random(3)
    words = [f"w{i}" for i in range(300)] + ["café", "naïve", "2024"]
    for _ in range(50):
        shingles = {" ".join(rng.choices(words, k=5)) for _ in range(rng.randint(1, 120))}
        theirs = datasketch.MinHash(num_perm=NUM_PERM, seed=1)
        theirs.update_batch([s.encode("utf-8") for s in shingles])
        assert np.array_equal(minhash(shingles), theirs.hashvalues)
    for threshold in (0.1, 0.3, 0.5, 0.8):
        assert lsh_bands(threshold) == lsh._optimal_param(threshold, NUM_PERM, 0.5, 0.5)
