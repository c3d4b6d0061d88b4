"""Claims: a sentence's frames read the names the analysis found, not a fresh guess."""

from __future__ import annotations

from newsweave.model import AnalyzedArticle, Article, Mention, Sentence
from newsweave.story.claims import parse_claims, stem

LEAD = "Talks resumed this week. "
SENTENCE = "Choe Son Hui arrived in Moscow on Sunday 14 January 2024."


def _member(mentions: list[Mention]) -> AnalyzedArticle:
    text = LEAD + SENTENCE
    article = Article(id="a1", title="Visit", text=text, outlet="x", published="2024-01-15")
    sentences = [
        Sentence("a1", 0, 0, len(LEAD) - 1, LEAD.strip()),
        Sentence("a1", 1, len(LEAD), len(text), SENTENCE),
    ]
    return AnalyzedArticle(article, sentences=sentences, mentions=mentions)


def test_the_actor_is_the_name_the_analysis_found_in_the_sentence() -> None:
    # the small model splits this name ("Choe Son" + "Hui"); the analysis repairs it, and its
    # mention (offsets into the article, not the sentence) is what the frame must name
    mention = Mention(
        "a1", 1, len(LEAD), len(LEAD) + len("Choe Son Hui"), "Choe Son Hui", "PERSON", entity_id="e-choe"
    )
    (_, claim) = parse_claims([_member([mention])])
    assert {(f.value.text, f.predicate, f.actor, f.actor_entity) for f in claim.dated} == {
        ("Sunday", "arrival", "Choe Son Hui", "e-choe"),
        ("14 January 2024", "arrival", "Choe Son Hui", "e-choe"),
    }


def test_an_article_without_mentions_still_gets_its_names_recognised() -> None:
    # (the recognizer's own bounds, for an article made by hand: here it keeps only "Hui")
    (_, claim) = parse_claims([_member([])])
    assert claim.dated and all(
        f.actor and f.actor.endswith("Hui") and f.actor_entity is None for f in claim.dated
    )


def test_stems_come_out_the_same_from_many_threads_at_once() -> None:
    from concurrent.futures import ThreadPoolExecutor

    words = [f"{w}{n}ing" for n in range(3000) for w in ("report", "meet", "arriv")]
    stem.cache_clear()  # every word reaches the stemmer itself
    with ThreadPoolExecutor(max_workers=8) as pool:
        stems = list(pool.map(stem, words))
    stem.cache_clear()
    assert stems == [stem(w) for w in words]


def test_the_predicate_words_meet_their_inflections() -> None:
    assert stem("said") == stem("says") == stem("say")
    assert stem("died") == stem("dies") == stem("dying") == stem("die")
    assert stem("announced") == stem("announce")


def test_the_stemmer_claims_use_is_snowballs_porter_in_c_with_the_pure_python_stems() -> None:
    import snowballstemmer
    from snowballstemmer.porter_stemmer import PorterStemmer

    words = ["arrived", "visits", "ministers", "talks", "relational", "generously", "agreed", "moscow"]
    used = snowballstemmer.stemmer("porter")  # what claims.stem asks for
    assert type(used).__module__ == "Stemmer"  # PyStemmer's C build, a pinned dependency
    assert [used.stemWord(w) for w in words] == [PorterStemmer().stemWord(w) for w in words]
