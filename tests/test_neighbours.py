"""The neighbourhood index: each article's closeness to its nearest reports, kept current."""

from __future__ import annotations

import json
import random

import numpy as np
import pytest

from newsweave.cluster.neighbours import COPY_SIMILARITY, NEAREST, NEIGHBOUR_SIMILARITY, Neighbourhood


def _unit(rows: np.ndarray) -> np.ndarray:
    return (rows / np.linalg.norm(rows, axis=1, keepdims=True)).astype(np.float32)


@pytest.fixture(scope="module")
def vectors() -> np.ndarray:
    # 40 loose groups of 5 in 24 dimensions: neighbours within a group score about 0.5-0.8
    rng = np.random.default_rng(7)
    centres = rng.standard_normal((40, 24))
    return _unit(np.repeat(centres, 5, axis=0) + 0.6 * rng.standard_normal((200, 24)))


def _exact_closeness(vectors: np.ndarray) -> np.ndarray:
    similarity = vectors @ vectors.T
    np.fill_diagonal(similarity, -np.inf)
    similarity[similarity >= COPY_SIMILARITY] = -np.inf
    return np.sort(similarity, axis=1)[:, -NEAREST:].mean(axis=1)


def test_closeness_is_the_mean_similarity_to_the_nearest_whatever_the_order(vectors: np.ndarray) -> None:
    expected = _exact_closeness(vectors)
    for seed in range(3):
        order = list(range(len(vectors)))
        random.Random(seed).shuffle(order)
        neighbourhood = Neighbourhood()
        for i in order:
            neighbourhood.add(f"a{i}", vectors[i])
        got = np.array([neighbourhood.closeness(f"a{i}") for i in range(len(vectors))])
        # earlier articles learn of later, nearer ones: every closeness matches the whole collection's
        assert np.allclose(got, expected, atol=2e-3)


def test_a_nearer_newcomer_raises_its_neighbours_closeness_and_says_so() -> None:
    neighbourhood = Neighbourhood()
    base = np.eye(4, dtype=np.float32)
    assert neighbourhood.add("first", base[0]) == {}  # no neighbour yet
    assert neighbourhood.closeness("first") is None and neighbourhood.crowding("first") == 0.0
    second = _unit(np.array([[1.0, 1.0, 0.0, 0.0]]))[0]  # cosine 0.71 with the first
    changes = neighbourhood.add("second", second)
    assert changes["first"][0] is None and changes["first"][1] == pytest.approx(0.707, abs=1e-3)
    assert changes["second"] == (None, pytest.approx(0.707, abs=1e-3))
    third = _unit(np.array([[1.0, 0.5, 0.5, 0.0]]))[0]  # cosine 0.82: nearer to the first than the second is
    changes = neighbourhood.add("third", third)
    assert changes["first"][1] > changes["first"][0]
    assert neighbourhood.add("third", third) == {} and neighbourhood.add("blank", None) == {}


def test_a_copy_is_not_a_neighbour() -> None:
    # a wire text republished word for word would make both copies look crowded
    neighbourhood = Neighbourhood()
    text = _unit(np.array([[1.0, 0.2, 0.0]]))[0]
    neighbourhood.add("original", text)
    assert neighbourhood.add("copy", text.copy()) == {}
    assert neighbourhood.closeness("original") is None and neighbourhood.closeness("copy") is None


def test_copies_in_number_do_not_hide_the_nearest_other_report() -> None:
    # one wire text in twenty outlets, and one report of its own: every copy's nearest is that report
    neighbourhood = Neighbourhood()
    wire = _unit(np.array([[1.0, 0.1, 0.0]]))[0]
    own = _unit(np.array([[1.0, 0.9, 0.0]]))[0]
    similarity = float(wire @ own)  # 0.81: near, but not a copy
    neighbourhood.add("own", own)
    for i in range(20):
        neighbourhood.add(f"copy{i}", wire)
    assert all(neighbourhood.closeness(f"copy{i}") == pytest.approx(similarity, abs=1e-3) for i in range(20))
    late = Neighbourhood()
    for i in range(20):
        late.add(f"copy{i}", wire)
    changes = late.add("own", own)  # arriving after them: every copy learns of it
    assert late.closeness("own") == pytest.approx(similarity, abs=1e-3)
    assert sorted(changes) == sorted(["own", *(f"copy{i}" for i in range(20))])
    assert all(late.closeness(f"copy{i}") == pytest.approx(similarity, abs=1e-3) for i in range(20))
    resumed = Neighbourhood.from_state(json.loads(json.dumps(late.to_state())))
    assert resumed.closeness("copy7") == late.closeness("copy7") and len(resumed) == 21
    assert resumed.to_state() == late.to_state()
    # a state written before stop 38 kept the copies as a map of copy → slot
    older = json.loads(json.dumps(late.to_state()))
    older["neighbourhood"]["copies"] = {
        c: slot for slot, ids in older["neighbourhood"]["copies"] for c in ids
    }
    assert Neighbourhood.from_state(older).to_state() == late.to_state()


def test_lone_reports_do_not_lower_the_usual_closeness() -> None:
    rng = np.random.default_rng(3)
    # five events of three reports each, among thirty lone reports (nearly orthogonal in 64 dimensions)
    trios = _unit(np.repeat(rng.standard_normal((5, 64)), 3, axis=0) + 0.5 * rng.standard_normal((15, 64)))
    loners = _unit(rng.standard_normal((30, 64)))
    neighbourhood = Neighbourhood()
    for i, vector in enumerate([*trios, *loners]):
        neighbourhood.add(f"a{i}", vector)
    covered = [neighbourhood.closeness(f"a{i}") for i in range(15)]
    assert all(c is not None and c >= NEIGHBOUR_SIMILARITY for c in covered)
    assert all(neighbourhood.closeness(f"a{i}") < NEIGHBOUR_SIMILARITY for i in range(15, 45))
    # the usual closeness is the events' alone, so their reports are not counted as crowded
    assert neighbourhood.usual_closeness == pytest.approx(float(np.mean(covered)), abs=1e-6)
    assert abs(float(np.mean([neighbourhood.crowding(f"a{i}") for i in range(15)]))) < 1e-6
    assert all(neighbourhood.crowding(f"a{i}") < -0.3 for i in range(15, 45))


def test_state_round_trip_continues_as_if_never_stopped(
    vectors: np.ndarray, monkeypatch: pytest.MonkeyPatch
) -> None:
    import newsweave.cluster.neighbours

    monkeypatch.setattr(newsweave.cluster.neighbours, "INDEX_PIECE", 3 * 1000)  # the index in several entries
    whole = Neighbourhood()
    first = Neighbourhood()
    for i in range(120):
        whole.add(f"a{i}", vectors[i])
        first.add(f"a{i}", vectors[i])
    state = json.loads(json.dumps(first.to_state()))
    assert state["neighbourhood"]["index_pieces"] > 3 and "neighbourhood_index_3" in state
    resumed = Neighbourhood.from_state(state)
    assert resumed.usual_closeness == pytest.approx(first.usual_closeness)
    for i in range(120, len(vectors)):
        assert resumed.add(f"a{i}", vectors[i]) == whole.add(f"a{i}", vectors[i])
    assert len(resumed) == len(vectors)
    empty = Neighbourhood.from_state(json.loads(json.dumps(Neighbourhood().to_state())))
    assert len(empty) == 0 and empty.add("a", vectors[0]) == {}
