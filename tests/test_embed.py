"""MiniLM embeddings: unit rows, stable order, meaning over wording."""

from __future__ import annotations

import numpy as np

from newsweave.analyze.embed import embed_texts


def test_rows_are_unit_length_and_keep_input_order() -> None:
    texts = ["A short one.", "A much longer sentence about the central bank raising interest rates again.", ""]
    vectors = embed_texts(texts, batch_size=2)
    assert vectors.shape == (3, 384)
    assert vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)
    # the same text embedded alone gives the same row: sorting by length does not shuffle rows
    alone = embed_texts([texts[1]])
    assert np.allclose(alone[0], vectors[1], atol=1e-4)


def test_paraphrases_are_closer_than_unrelated_sentences() -> None:
    vectors = embed_texts([
        "North Korea's foreign minister arrived in Moscow for talks with Lavrov.",
        "The top diplomat of North Korea flew to Russia to meet the Russian foreign minister.",
        "The home team won the football match after extra time.",
    ])
    paraphrase = float(vectors[0] @ vectors[1])
    unrelated = float(vectors[0] @ vectors[2])
    assert paraphrase > unrelated + 0.3


def test_empty_input_gives_empty_matrix() -> None:
    assert embed_texts([]).shape == (0, 384)


def test_analysis_embeds_every_sentence_once_beside_the_document_vector() -> None:
    from newsweave.analyze import analyze_articles
    from newsweave.config import AnalyzeConfig
    from newsweave.model import Article

    text = "The central bank raised rates on Tuesday. Markets fell sharply. The governor spoke in Frankfurt."
    (item,) = analyze_articles([Article(id="a", title="Rates up", text=text)])
    assert item.vector is not None and len(item.vector) == 384
    assert item.sentence_vectors.shape == (len(item.sentences), 384)
    alone = embed_texts([s.text for s in item.sentences])
    assert np.allclose(item.sentence_vectors, alone, atol=1e-4)
    assert np.allclose(item.title_vector, embed_texts(["Rates up"])[0], atol=1e-4)  # headlines pick by it
    (plain,) = analyze_articles([Article(id="a", title="Rates up", text=text)], AnalyzeConfig(embed=False))
    assert plain.vector is None and plain.sentence_vectors is None


def test_a_pooled_document_vector_reuses_the_title_and_lead_sentence_vectors() -> None:
    from newsweave.analyze import analyze_articles
    from newsweave.config import AnalyzeConfig
    from newsweave.model import Article

    articles = [
        Article(id="a", title="Rates up", text="The central bank raised rates on Tuesday. Markets fell. "
                "The governor spoke in Frankfurt. Bonds rallied late in the day."),
        Article(id="b", title="", text="Floods closed the road to the airport."),
        Article(id="c", title="", text=""),  # nothing to pool: it gets its own pass
    ]
    lead, pooled, untitled, empty = (
        *analyze_articles(articles[:1]), *analyze_articles(articles, AnalyzeConfig(document_vector="pooled")))
    a = pooled.sentence_vectors
    expected = a[0] + a[1] + a[2] + 2 * pooled.title_vector  # the fourth sentence is past the lead
    assert np.allclose(pooled.vector, expected / np.linalg.norm(expected), atol=1e-4)
    assert np.allclose(pooled.sentence_vectors, lead.sentence_vectors, atol=1e-4)
    # the same article, the same meaning: close to the vector MiniLM reads from the lead itself
    assert float(np.dot(pooled.vector, lead.vector)) > 0.8
    assert np.allclose(untitled.vector, untitled.sentence_vectors[0], atol=1e-4)
    assert np.allclose(empty.vector, embed_texts([""])[0], atol=1e-4)
