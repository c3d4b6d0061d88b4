"""Online story/event clustering: what a reader of the digest would notice."""

from __future__ import annotations

import json
import random
import re
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import without_group_keys
from newsweave.cluster import clusterer as clusterer_module
from newsweave.cluster.clusterer import TUNED_CONFIG, StoryClusterer, cluster_stories
from newsweave.model import AnalyzedArticle, Article, DateRef, Mention
from newsweave.story.dedup import find_duplicates

NAMES = {
    "Chile": "GPE",
    "Valparaiso": "GPE",
    "Gabriel Boric": "PERSON",
    "Japan": "GPE",
    "Noto": "GPE",
    "Fumio Kishida": "PERSON",
    "European Central Bank": "ORG",
    "Christine Lagarde": "PERSON",
    "Frankfurt": "GPE",
}

QUAKE_CHILE = [
    (
        "Strong earthquake shakes central Chile",
        "A magnitude 7.1 earthquake struck near Valparaiso in Chile on "
        "Sunday, collapsing buildings and cutting power. President Gabriel Boric said rescue teams were searching "
        "the rubble and declared a state of catastrophe in the region.",
    ),
    (
        "Chile earthquake: rescuers search collapsed buildings near Valparaiso",
        "Rescue teams in Chile searched "
        "collapsed buildings after the magnitude 7.1 earthquake near Valparaiso. Gabriel Boric visited the damaged "
        "port and promised aid; power was still cut across the region.",
    ),
    (
        "Death toll rises after Valparaiso earthquake",
        "The death toll from Sunday's earthquake near Valparaiso "
        "rose as rescuers reached collapsed buildings. Chile's president Gabriel Boric extended the state of "
        "catastrophe and said aid was arriving at the port.",
    ),
]
QUAKE_JAPAN = [
    (
        "Powerful earthquake hits Japan's Noto peninsula",
        "A magnitude 7.5 earthquake struck the Noto peninsula "
        "in Japan on New Year's Day, collapsing houses and triggering tsunami warnings. Prime Minister Fumio "
        "Kishida said rescue teams were racing to reach cut-off villages.",
    ),
    (
        "Japan quake: rescuers race to reach Noto villages",
        "Rescue teams in Japan struggled to reach villages on "
        "the Noto peninsula after the magnitude 7.5 earthquake. Fumio Kishida sent troops as the death toll rose "
        "and tsunami warnings were lifted.",
    ),
]
RATES = [
    (
        "ECB raises interest rates again",
        "The European Central Bank raised its key interest rate by a quarter "
        "point in Frankfurt on Thursday. Christine Lagarde said inflation was still too high and further increases "
        "could follow.",
    ),
    (
        "Lagarde signals more rate rises after ECB decision",
        "Christine Lagarde said the European Central Bank "
        "was not done raising interest rates after Thursday's quarter-point increase in Frankfurt, as inflation "
        "stays above target.",
    ),
]


def _analyzed(article_id: str, title: str, text: str, published: str | None) -> AnalyzedArticle:
    mentions = [
        Mention(article_id, 0, m.start(), m.end(), name, kind)
        for name, kind in NAMES.items()
        for m in re.finditer(re.escape(name), text)
    ]
    return AnalyzedArticle(
        article=Article(id=article_id, title=title, text=text, published=published), mentions=mentions
    )


@pytest.fixture(scope="module")
def _vectors() -> list[list[float]]:
    # the pipeline always embeds title and lead (MiniLM, offline); the clusterer's bars assume it
    from newsweave.analyze.embed import embed_texts

    texts = [f"{t} {x}" for t, x in QUAKE_CHILE + QUAKE_JAPAN + RATES]
    return [v.tolist() for v in embed_texts(texts)]


@pytest.fixture()
def corpus(_vectors: list[list[float]]) -> list[AnalyzedArticle]:
    items = [_analyzed(f"chile{i}", t, x, f"2024-03-{10 + i:02d}") for i, (t, x) in enumerate(QUAKE_CHILE)]
    items += [_analyzed(f"japan{i}", t, x, f"2024-01-0{1 + i}") for i, (t, x) in enumerate(QUAKE_JAPAN)]
    items += [_analyzed(f"ecb{i}", t, x, f"2023-09-1{4 + i}") for i, (t, x) in enumerate(RATES)]
    for item, vector in zip(items, _vectors, strict=True):
        item.vector = vector
    return items


def _events(stories) -> set[frozenset[str]]:
    return {frozenset(e.articles) for s in stories for e in s.events}


def _stories(stories) -> set[frozenset[str]]:
    return {frozenset(s.articles) for s in stories}


def test_two_similar_but_different_events_stay_apart(corpus: list[AnalyzedArticle]) -> None:
    events = _events(cluster_stories(corpus, TUNED_CONFIG))
    assert frozenset({"chile0", "chile1", "chile2"}) in events
    assert frozenset({"japan0", "japan1"}) in events
    assert frozenset({"ecb0", "ecb1"}) in events


def test_unrelated_story_is_its_own_story(corpus: list[AnalyzedArticle]) -> None:
    stories = cluster_stories(corpus, TUNED_CONFIG)
    assert frozenset({"ecb0", "ecb1"}) in _stories(stories)
    ecb = next(s for s in stories if "ecb0" in s.articles)
    assert ecb.headline in {t for t, _ in RATES}
    assert [(e.start, e.end) for e in ecb.events] == [("2023-09-14", "2023-09-15")]


def test_wire_copy_is_marked_duplicate_and_joins_its_original(corpus: list[AnalyzedArticle]) -> None:
    title, text = QUAKE_CHILE[0]
    copy = _analyzed("chile-copy", title, text + " (Reuters)", "2024-03-11")
    items = corpus + [copy]
    assert find_duplicates(items, TUNED_CONFIG) == {"chile-copy": "chile0"}
    story = next(s for s in cluster_stories(items, TUNED_CONFIG) if "chile0" in s.articles)
    assert "chile-copy" in story.articles


def test_result_does_not_depend_on_input_order(corpus: list[AnalyzedArticle]) -> None:
    expected = cluster_stories(corpus, TUNED_CONFIG)
    for seed in range(5):
        shuffled = list(corpus)
        random.Random(seed).shuffle(shuffled)
        got = cluster_stories(shuffled, TUNED_CONFIG)
        assert _stories(got) == _stories(expected) and _events(got) == _events(expected)
        assert [s.id for s in got] == [s.id for s in expected]


def test_streaming_in_any_order_keeps_clear_stories(corpus: list[AnalyzedArticle]) -> None:
    # the online path itself (no canonical sort): clear-cut stories come out the same
    for seed in range(5):
        shuffled = list(corpus)
        random.Random(seed).shuffle(shuffled)
        clusterer = StoryClusterer(TUNED_CONFIG)
        for item in shuffled:
            clusterer.add(item)
        assert _events(clusterer.stories()) == _events(cluster_stories(corpus, TUNED_CONFIG))


def test_state_round_trip_continues_incrementally(corpus: list[AnalyzedArticle]) -> None:
    ordered = sorted(corpus, key=lambda a: (a.article.published, a.article.id))
    first = StoryClusterer(TUNED_CONFIG)
    for item in ordered[:4]:
        first.add(item)
    state = json.loads(json.dumps(first.to_state()))  # what the store keeps
    resumed = StoryClusterer.from_state(state, TUNED_CONFIG)
    assert _events(resumed.stories()) == _events(first.stories())
    for item in ordered[4:]:
        resumed.add(item)
    whole = StoryClusterer(TUNED_CONFIG)
    for item in ordered:
        whole.add(item)
    assert _events(resumed.stories()) == _events(whole.stories())
    assert resumed.add(ordered[0]) == whole.add(ordered[0])  # adding a known article changes nothing


def _kept(store: dict[str, str], clusterer: StoryClusterer) -> tuple[dict[str, object], int]:
    """Save as a store does (head parts, and the items given: None deletes); the head and how
    many items were written."""
    parts, items, every = clusterer.state_for_store()
    head = json.loads(json.dumps(dict(parts)))
    if every:
        store.clear()
    written = 0
    for name, value in items:
        written += 1
        if value is None:
            store.pop(name, None)
        else:
            store[name] = value
    return head, written


@pytest.mark.parametrize("exact_max", [64, 2])  # 2: stories grow past re-splitting, as large ones do
def test_a_state_saved_in_increments_is_the_state_saved_whole(
    corpus: list[AnalyzedArticle], exact_max: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(clusterer_module, "EXACT_EVENTS_MAX", exact_max)
    ordered = sorted(corpus, key=lambda a: (a.article.published, a.article.id))
    rows: dict[str, str] = {}
    kept = StoryClusterer(TUNED_CONFIG)  # never leaves memory: saves what it would write, to none
    head: dict[str, object] = {}
    for n, item in enumerate(ordered):
        resumed = (
            StoryClusterer.from_state(head, TUNED_CONFIG, dict(rows)) if n else StoryClusterer(TUNED_CONFIG)
        )
        resumed.add(item)
        head, written = _kept(rows, resumed)
        kept.add(item)
        _kept({}, kept)
        # one article changes a few items (its own, its story's), not the whole state
        assert 0 < written < len(rows) or n == 0
    assert rows == kept.to_state()["items"]
    resumed = StoryClusterer.from_state(head, TUNED_CONFIG, dict(rows))
    assert resumed.memberships() == [s.articles for s in kept.stories()]  # read without decoding a story
    assert _events(resumed.stories()) == _events(kept.stories())


@pytest.mark.parametrize("exact_max", [64, 2])
def test_a_state_read_an_item_at_a_time_when_needed_saves_what_one_read_whole_saves(
    corpus: list[AnalyzedArticle], exact_max: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(clusterer_module, "EXACT_EVENTS_MAX", exact_max)
    ordered = sorted(corpus, key=lambda a: (a.article.published, a.article.id))
    lazy_rows: dict[str, str] = {}
    whole_rows: dict[str, str] = {}
    lazy_head: dict[str, object] = {}
    whole_head: dict[str, object] = {}

    def reader(kind: str, keys: list[str] | None) -> dict[str, str]:
        names = [n for n in lazy_rows if n.startswith(kind)] if keys is None else [kind + k for k in keys]
        return {n[len(kind) :]: lazy_rows[n] for n in names if n in lazy_rows}

    for n, item in enumerate(ordered):
        lazy = (
            StoryClusterer.from_state(lazy_head, TUNED_CONFIG, reader) if n else StoryClusterer(TUNED_CONFIG)
        )
        whole = (
            StoryClusterer.from_state(whole_head, TUNED_CONFIG, dict(whole_rows))
            if n
            else StoryClusterer(TUNED_CONFIG)
        )
        assert lazy.add(item) == whole.add(item)
        assert [(s.id, s.articles, s.related) for s in lazy.stories(lazy.changed())] == [
            (s.id, s.articles, s.related) for s in whole.stories(whole.changed())
        ]
        lazy_head, _ = _kept(lazy_rows, lazy)
        whole_head, _ = _kept(whole_rows, whole)
        assert lazy_rows == whole_rows


def test_a_state_read_when_needed_reads_nothing_of_stories_a_new_article_does_not_reach(
    corpus: list[AnalyzedArticle], monkeypatch: pytest.MonkeyPatch
) -> None:
    # in a corpus this small one article moves the usual closeness past the bar that re-splits
    # every small story; in a large store it moves by far less
    monkeypatch.setattr(clusterer_module, "CLOSENESS_DRIFT", 1.0)
    words = ["harvest", "orchestra", "glacier", "tariff", "marathon", "vaccine", "satellite", "museum"]
    others = [
        _analyzed(f"other{i}", f"The {w} report", f"A {w} story about {w}s and more {w}s.", "2022-05-01")
        for i, w in enumerate(words)
    ]
    first = StoryClusterer(TUNED_CONFIG)
    for item in others + corpus[1:]:
        first.add(item)
    rows: dict[str, str] = {}
    head, _ = _kept(rows, first)
    fetched: list[str] = []

    def reader(kind: str, keys: list[str] | None) -> dict[str, str]:
        names = [n for n in rows if n.startswith(kind)] if keys is None else [kind + k for k in keys]
        fetched.extend(n for n in names if n in rows)
        return {n[len(kind) :]: rows[n] for n in names if n in rows}

    resumed = StoryClusterer.from_state(head, TUNED_CONFIG, reader)
    resumed.add(corpus[0])
    resumed.stories(resumed.changed())
    _kept(rows, resumed)
    assert not [n for n in fetched if "other" in n and not n.startswith("h/")]
    assert [n for n in fetched if "chile" in n and not n.startswith("h/")]  # what it joined is read


def test_the_stories_of_the_changed_groups_are_every_story_an_article_changed(
    corpus: list[AnalyzedArticle],
) -> None:
    ordered = sorted(corpus, key=lambda a: (a.article.published, a.article.id))
    rows: dict[str, str] = {}
    head: dict[str, object] = {}
    before: set[tuple[str, tuple[str, ...]]] = set()
    for n, item in enumerate(ordered):
        resumed = (
            StoryClusterer.from_state(head, TUNED_CONFIG, dict(rows)) if n else StoryClusterer(TUNED_CONFIG)
        )
        resumed.add(item)
        changed = resumed.changed()
        after = {(s.id, tuple(s.articles)) for s in resumed.stories()}
        if changed is not None:
            told = {(s.id, tuple(s.articles)) for s in resumed.stories(changed)}
            assert after - before <= told
        before = after
        head, _ = _kept(rows, resumed)


def test_a_state_of_the_layout_before_items_is_read_and_then_written_whole(
    corpus: list[AnalyzedArticle],
) -> None:
    first = StoryClusterer(TUNED_CONFIG)
    for item in corpus:
        first.add(item)
    state = first.to_state()
    items = state.pop("items")

    def kind(prefix: str) -> dict[str, object]:
        return {name[2:]: json.loads(v) for name, v in items.items() if name.startswith(prefix)}

    older = state | {  # version 7 held stories and articles in a few whole parts
        "version": 7,
        "titles": kind("t/"),
        "spans": kind("p/"),
        "signatures": kind("g/"),
        "members": kind("m/"),
        "stories": list(kind("s/").values()),
    }
    loaded = StoryClusterer.from_state(json.loads(json.dumps(older)), TUNED_CONFIG)
    assert _events(loaded.stories()) == _events(first.stories())
    rows: dict[str, str] = {"s/gone": "{}"}
    _kept(rows, loaded)
    assert rows == items


def test_state_of_an_older_layout_starts_over(corpus: list[AnalyzedArticle]) -> None:
    # version 5 had no neighbourhood: its events were cut without crowding, so the caller
    # (pipeline.update_stories) finds every article unclustered and clusters the store afresh
    first = StoryClusterer(TUNED_CONFIG)
    for item in corpus:
        first.add(item)
    state = json.loads(json.dumps(first.to_state()))
    loaded = StoryClusterer.from_state(state, TUNED_CONFIG)
    assert _events(loaded.stories()) == _events(first.stories())
    # the packed layout is exact, so even the headlines (ties between near-equal titles) come back
    assert [s.headline for s in loaded.stories()] == [s.headline for s in first.stories()]
    older = {k: v for k, v in state.items() if not k.startswith("neighbourhood")} | {"version": 5}
    restarted = StoryClusterer.from_state(older, TUNED_CONFIG)
    assert restarted.empty and restarted.story_of(corpus[0].article.id) is None


def test_article_without_vector_or_mentions_still_clusters(corpus: list[AnalyzedArticle]) -> None:
    bare = [AnalyzedArticle(article=a.article) for a in corpus]  # no embedding, no entities: words alone
    stories = _stories(cluster_stories(bare, TUNED_CONFIG))
    assert set().union(*stories) == {a.article.id for a in corpus}
    assert not any({"chile0", "japan0"} <= s or {"chile0", "ecb0"} <= s for s in stories)


def test_seeds_october_trip_is_a_story_of_its_own_linked_to_the_january_visit(seeds_dir) -> None:
    from newsweave.analyze.embed import embed_texts
    from newsweave.analyze.nlp import parse

    items = []
    for path in sorted(seeds_dir.glob("*.txt")):
        title, _, body = path.read_text(encoding="utf-8").partition("\n")
        items.append(AnalyzedArticle(article=Article(id=path.stem, title=title.strip(), text=body.strip())))
    for item, doc, vector in zip(
        items,
        parse([i.article.text for i in items]),
        embed_texts([i.article.title + " " + i.article.text[:800] for i in items]),
        strict=True,
    ):
        item.mentions = [
            Mention(item.article.id, 0, e.start_char, e.end_char, e.text, e.label_) for e in doc.ents
        ]
        item.vector = vector.tolist()
    # The words alone do not date 001 (no year in it, no publication date in the seeds); the
    # dates stage does: the January 2024 talks vs the October 2025 trip, two happenings of one subject
    for item in items:
        when = "2025-10-26" if item.article.id.startswith("001_") else "2024-01-15"
        item.dates = [DateRef(item.article.id, 0, 0, 1, "x", when, "day", "absolute")]
    stories = cluster_stories(items, TUNED_CONFIG)
    october = next(s for s in stories if any(a.startswith("001_") for a in s.articles))
    january = [s for s in stories if s is not october]
    assert october.articles == [a.article.id for a in items if a.article.id.startswith("001_")]
    assert [(e.start, e.end) for e in october.events] == [("2025-10-26", "2025-10-26")]
    assert all(e.start == "2024-01-15" for s in january for e in s.events)
    assert any(s.id in october.related and october.id in s.related for s in january)


def test_an_events_dates_and_label_come_from_most_of_its_reports(corpus: list[AnalyzedArticle]) -> None:
    # a late report joins the Chile quake (same words, dated weeks on): the quake is still dated and
    # named by the three reports of its day, not stretched or renamed by the one that came last
    from dataclasses import replace

    late = replace(
        corpus[0],
        article=replace(
            corpus[0].article,
            id="chile-late",
            published="2024-04-20",
            title="Chile earthquake: what we know weeks on",
        ),
    )
    stories = cluster_stories(corpus + [late], TUNED_CONFIG)
    chile = next(s for s in stories if "chile0" in s.articles)
    assert "chile-late" in chile.articles
    assert [(e.start, e.end) for e in chile.events] == [("2024-03-10", "2024-03-12")]
    assert chile.headline in {t for t, _ in QUAKE_CHILE} and chile.events[0].label == chile.headline


def test_topical_neighbours_are_related_stories_not_one_story(corpus: list[AnalyzedArticle]) -> None:
    # with a loose topical bar the two earthquakes share a group: they stay two stories, each
    # linking the other
    from dataclasses import replace

    loose = replace(TUNED_CONFIG, story_threshold=0.1, merge_threshold=0.1)
    stories = {frozenset(s.articles): s for s in cluster_stories(corpus, loose)}
    chile, japan = (
        stories[frozenset({"chile0", "chile1", "chile2"})],
        stories[frozenset({"japan0", "japan1"})],
    )
    assert japan.id in chile.related and chile.id in japan.related


def test_events_of_a_small_story_do_not_depend_on_arrival_order(corpus: list[AnalyzedArticle]) -> None:
    # the online path, every arrival order of the two earthquakes: whichever article comes first,
    # the events a reader sees are the same (a small story's events are re-derived from all members)
    from itertools import permutations

    quakes = [a for a in corpus if not a.article.id.startswith("ecb")]
    seen = set()
    for order in permutations(quakes):
        clusterer = StoryClusterer(TUNED_CONFIG)
        for item in order:
            clusterer.add(item)
        seen.add(frozenset(_events(clusterer.stories())))
    assert len(seen) == 1
    assert {frozenset({"chile0", "chile1", "chile2"}), frozenset({"japan0", "japan1"})} <= next(iter(seen))


WAGES = [
    (
        "Supermarket staff to get pay rise as chains compete for workers",
        "Several supermarket chains announced "
        "pay rises for shop floor staff, saying they struggled to fill vacancies before the holidays.",
    ),
    (
        "Why grocers are raising wages",
        "Retail analysts say grocers are lifting pay because fewer people apply for "
        "store jobs, and higher wages cut the cost of training new staff.",
    ),
    (
        "Union welcomes supermarket pay offers but wants more",
        "The shop workers' union said the latest pay offers "
        "from supermarkets were a start, but living costs meant staff needed a larger increase.",
    ),
]


def test_events_are_judged_against_each_reports_neighbourhood(corpus: list[AnalyzedArticle]) -> None:
    # Undated, so only the words decide, and the topical bar is loose enough to put both quakes and
    # the wage pieces in reach of one another. Each quake's reports are one another's nearest and
    # closer than reports usually are (crowded), which lowers their odds against the other quake;
    # the three wage pieces take different angles (news, explainer, the union's reply).
    from dataclasses import replace

    from newsweave.analyze.embed import embed_texts

    undated = [
        replace(a, article=replace(a.article, published=None))
        for a in corpus
        if not a.article.id.startswith("ecb")
    ]
    for i, ((title, text), vector) in enumerate(
        zip(WAGES, embed_texts([f"{t} {x}" for t, x in WAGES]), strict=True)
    ):
        undated.append(replace(_analyzed(f"wages{i}", title, text, None), vector=vector.tolist()))
    loose = replace(TUNED_CONFIG, story_threshold=0.1, merge_threshold=0.1)
    stories = _stories(cluster_stories(undated, loose))
    assert {frozenset({"chile0", "chile1", "chile2"}), frozenset({"japan0", "japan1"})} <= stories
    assert not any({"wages0", "chile0"} <= s or {"wages0", "japan0"} <= s for s in stories)


def test_crowded_reports_need_more_likeness_to_be_one_happening() -> None:
    from newsweave.cluster.happening import HappeningModel, HappeningSignals

    judge = HappeningModel.shipped()
    usual = HappeningSignals(terms=0.5, vector=0.7, entities=0.4, numbers=None, crowding=0.0)
    crowded = replace(usual, crowding=0.1)
    assert judge.probability(crowded) < judge.probability(usual)
    # a signal one side lacks reads as the words' cosine: neither for nor against the pair
    assert replace(usual, entities=None).features()[2] == usual.terms


def _partition(labels: list[int]) -> set[frozenset[int]]:
    groups: dict[int, set[int]] = {}
    for i, label in enumerate(labels):
        groups.setdefault(label, set()).add(i)
    return {frozenset(g) for g in groups.values()}


@settings(max_examples=200, deadline=None)
@given(
    st.integers(1, 12).flatmap(
        lambda n: st.tuples(st.just(n), st.lists(st.floats(-1.0, 1.0), min_size=n * n, max_size=n * n))
    ),
    st.floats(0.0, 1.0),
)
def test_events_of_a_small_story_are_the_average_link_cut_at_the_bar(case, bar: float) -> None:
    import numpy as np
    from scipy.cluster.hierarchy import fcluster, linkage

    from newsweave.cluster.clusterer import event_labels

    n, values = case
    raw = np.asarray(values, dtype=np.float32).reshape(n, n)
    similarity = (raw + raw.T) / 2
    np.fill_diagonal(similarity, 1.0)
    labels = event_labels(similarity, bar)
    assert len(labels) == n
    if n > 1:
        distances = np.clip(1.0 - similarity[np.triu_indices(n, 1)], 0.0, 2.0).astype(np.float64)
        expected = fcluster(linkage(distances, method="average"), t=1.0 - bar, criterion="distance")
        assert _partition(labels) == _partition([int(x) for x in expected])


def test_an_undated_report_happened_on_a_day_its_text_writes_in_full_not_on_one_placed_from_another() -> None:
    # ECB+ 27_10ecb: a December 2008 report whose yearless "Dec. 9" the dates stage put in 2009,
    # the year after the "2008" it names; counting such days split ECB+ happenings (F1 0.895 -> 0.882)
    from newsweave.cluster.features import event_time

    def report(published: str | None, *dates: tuple[str, str]) -> AnalyzedArticle:
        item = AnalyzedArticle(article=Article(id="r", title="t", text="x", published=published))
        item.dates = [DateRef("r", 0, 0, 1, "x", value, "day", anchor) for value, anchor in dates]
        return item

    placed = ("2009-12-09", "text:2008")
    written = ("2008-12-17", "absolute")
    assert event_time(report(None, placed)) is None
    assert event_time(report(None, placed, placed, written)) == event_time(report(None, written))
    assert event_time(report("2008-12-18", placed)) == event_time(report(None, ("2008-12-18", "absolute")))


def test_reports_whose_leads_name_different_days_are_less_likely_one_happening() -> None:
    # an FDA panel's vote and the FDA's decision five days on share their words and names; the
    # days their leads give differ, and the judge weighs that against the pair
    from newsweave.cluster.happening import HappeningModel, HappeningSignals

    judge = HappeningModel.shipped()
    same_day = HappeningSignals(terms=0.5, vector=0.7, entities=0.6, numbers=None, crowding=0.0, days=1.0)
    assert judge.probability(replace(same_day, days=0.0)) < judge.probability(same_day)
    assert replace(same_day, days=None).features()[-1] == same_day.terms  # no day named: the words decide


def test_a_leads_days_are_those_the_report_dates_itself_and_not_today() -> None:
    from newsweave.cluster.features import lead_day_vector, term_hash

    def ref(sentence: int, text: str, value: str, anchor: str) -> DateRef:
        return DateRef("r", sentence, 0, 1, text, value, "day", anchor)

    item = AnalyzedArticle(article=Article(id="r", title="t", text="x", published="2021-09-20"))
    item.dates = [
        ref(0, "Friday", "2021-09-17", "published:2021-09-20"),  # the news day
        ref(1, "Sept. 17, 2021", "2021-09-17", "absolute"),  # the same, written in full
        ref(0, "today", "2021-09-20", "published:2021-09-20"),  # restates the publication date
        ref(1, "April 11", "2022-04-11", "text:2021"),  # placed from another date of the text
        ref(2, "Monday", "2021-09-13", "published:2021-09-20"),  # past the lead: background
    ]
    assert set(lead_day_vector(item)) == {term_hash("day:2021-09-17")}


def test_a_state_saved_before_lead_days_reads_as_naming_none(corpus: list[AnalyzedArticle]) -> None:
    first = StoryClusterer(TUNED_CONFIG)
    for item in corpus:
        first.add(item)
    state = json.loads(json.dumps(first.to_state()))

    older = state | {
        "version": 8,
        "items": {k: without_group_keys(v, "days", "n_days") for k, v in state["items"].items()},
    }
    loaded = StoryClusterer.from_state(older, TUNED_CONFIG)
    assert _events(loaded.stories()) == _events(first.stories())


def _published(items: list[AnalyzedArticle], days: dict[str, str]) -> list[AnalyzedArticle]:
    return [
        replace(a, article=replace(a.article, published=days.get(a.article.id, a.article.published)))
        for a in items
    ]


def test_a_report_published_after_days_of_quiet_is_a_new_development(corpus: list[AnalyzedArticle]) -> None:
    # the quake's rising toll reported ten days after the first reports tells what came next: a
    # story of its own; two days after them it is part of the quake's coverage
    assert frozenset({"chile0", "chile1", "chile2"}) in _events(cluster_stories(corpus, TUNED_CONFIG))
    later = _events(cluster_stories(_published(corpus, {"chile2": "2024-03-22"}), TUNED_CONFIG))
    assert frozenset({"chile0", "chile1"}) in later and frozenset({"chile2"}) in later
    # reports that say the same thing still join across the quiet days (the rate decision and the
    # president's words on it)
    assert frozenset({"ecb0", "ecb1"}) in _events(
        cluster_stories(_published(corpus, {"ecb1": "2023-09-25"}), TUNED_CONFIG)
    )


def test_coverage_that_runs_on_from_day_to_day_stays_one_happening(corpus: list[AnalyzedArticle]) -> None:
    # three days between each report and the next: six days from first to last, no quiet spell
    spread = _published(corpus, {"chile0": "2024-03-10", "chile1": "2024-03-13", "chile2": "2024-03-16"})
    assert frozenset({"chile0", "chile1", "chile2"}) in _events(cluster_stories(spread, TUNED_CONFIG))


def test_days_a_text_names_do_not_part_reports_as_publication_days_do(corpus: list[AnalyzedArticle]) -> None:
    # undated reports dated by their text keep the three-month rule alone
    undated = [replace(a, article=replace(a.article, published=None)) for a in corpus]
    assert frozenset({"ecb0", "ecb1"}) in _events(cluster_stories(undated, TUNED_CONFIG))


def test_a_happening_split_over_two_groups_becomes_one_story_once_a_later_report_links_them() -> None:
    # A judge of the vectors alone (p = sigmoid(10 cos - 7): 0.6 at cos 0.74) and topical bars no
    # pair reaches, so only the judge can put two reports in one group. B is too far from A to join
    # it (p 0.5) and opens a group of its own; C is a report of both and joins B, the nearer. The
    # happening {B, C} and the happening {A} of the other group are then one by the judge (average
    # link 0.73), and average link keeps the three together (A to {B, C}: 2p - 1 = 0.38 >= 0.2).
    import numpy as np

    from newsweave.cluster.happening import FEATURES, HappeningModel

    gram = np.array([[1.0, 0.7, 0.9], [0.7, 1.0, 0.93], [0.9, 0.93, 1.0]])
    vectors = np.zeros((3, 384))
    vectors[:, :3] = np.linalg.cholesky(gram)
    judge = HappeningModel(tuple(10.0 if f == "vector" else 0.0 for f in FEATURES), -7.0)
    strict = replace(TUNED_CONFIG, story_threshold=0.99, merge_threshold=0.99)
    text = "Rescue teams searched collapsed buildings near Valparaiso after the earthquake in Chile."
    clusterer = StoryClusterer(strict, happening_model=judge)
    for name, vector in zip("ABC", vectors, strict=True):
        item = _analyzed(name, f"Chile earthquake report {name}", text, None)
        clusterer.add(replace(item, vector=vector.tolist()))
    assert _stories(clusterer.stories()) == {frozenset("ABC")}


def test_two_lone_reports_of_one_day_that_share_no_words_names_or_meaning_are_not_one_happening() -> None:
    from newsweave.cluster.happening import HappeningModel, HappeningSignals

    judge = HappeningModel.shipped()
    # measured between a report of deportees landing in Delhi and one of a helicopter crash in
    # Afghanistan, both lone in a week of unrelated news and both leads saying "Wednesday"
    unrelated = HappeningSignals(
        terms=0.009, vector=0.20, entities=0.18, numbers=0.0, crowding=-0.52, days=1.0
    )
    assert judge.probability(unrelated) < 0.01
    # sharing the names is something to show: the judge weighs the pair as it learnt to
    named = replace(unrelated, entities=0.6)
    assert judge.probability(named) > 0.5


def test_a_story_read_back_decodes_its_events_only_when_they_are_asked_for(
    corpus: list[AnalyzedArticle],
) -> None:
    from newsweave.cluster.state import story_in, story_out

    whole = StoryClusterer(TUNED_CONFIG)
    for item in corpus:
        whole.add(item)
    stored = {
        name: json.loads(value)
        for name, value in whole.to_state()["items"].items()
        if name.startswith("s/") and value is not None
    }
    data = max(stored.values(), key=lambda s: len(s["events"]))
    story = story_in(data)
    assert story.stored_events is not None  # not decoded by reading the story
    assert json.loads(json.dumps(story_out(story))) == data  # written back as it was read
    assert [e.articles for e in story.events] == [e["articles"] for e in data["events"]]
    assert story.stored_events is None and json.loads(json.dumps(story_out(story))) == data


def test_outlined_stories_once_described_are_the_stories(corpus: list[AnalyzedArticle]) -> None:
    clusterer = StoryClusterer(TUNED_CONFIG)
    for item in corpus:
        clusterer.add(item)
    outlines = clusterer.stories(outline=True)
    assert all(s.headline == "" and s.events[0].start is None for s in outlines)
    full = clusterer.stories()
    assert [(s.id, s.articles, s.related) for s in outlines] == [(s.id, s.articles, s.related) for s in full]
    assert clusterer.described(outlines) == full
    assert any(s.headline for s in full)


def test_a_clusterer_read_back_is_freed_when_let_go_without_waiting_for_a_collection(
    corpus: list[AnalyzedArticle],
) -> None:
    import gc
    import weakref

    first = StoryClusterer(TUNED_CONFIG)
    for item in corpus[1:]:
        first.add(item)
    state = json.loads(json.dumps(first.to_state()))
    gc.disable()  # a cycle would keep it (and the state it read, 100 MB at 100k articles) until a collection
    try:
        resumed = StoryClusterer.from_state(state, TUNED_CONFIG)
        resumed.add(corpus[0])
        resumed.stories(resumed.changed())
        ref = weakref.ref(resumed)
        del resumed
        assert ref() is None
    finally:
        gc.enable()


def test_the_average_link_tree_is_scipys_row_for_row_ties_and_never_pairs_included() -> None:
    import numpy as np
    from scipy.cluster.hierarchy import linkage

    from newsweave.cluster.clusterer import average_link

    rng = np.random.default_rng(7)
    for trial in range(400):
        n = int(rng.integers(2, 40))
        similar = rng.random((n, n))
        if trial % 4 == 1:  # few distinct values: ties everywhere
            similar = np.round(similar * 3) / 3
        elif trial % 4 == 2:  # pairs never one happening sit at the clipped distance
            similar = np.where(rng.random((n, n)) < 0.4, 2.0, similar)
        elif trial % 4 == 3:  # copies: members repeating other members' rows
            base = rng.random((max(2, n // 3),) * 2)
            pick = rng.integers(0, len(base), n)
            similar = base[np.ix_(pick, pick)]
        distances = np.triu(similar, 1) + np.triu(similar, 1).T
        condensed = distances[np.triu_indices(n, 1)]
        assert average_link(distances) == linkage(condensed, method="average").tolist(), trial
