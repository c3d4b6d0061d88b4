"""MiniLM embeddings: unit rows, stable order, meaning over wording."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from newsweave.analyze.embed import embed_texts
from newsweave.config import AnalyzeConfig
from newsweave.model import Article


def test_rows_are_unit_length_and_keep_input_order() -> None:
    texts = [
        "A short one.",
        "A much longer sentence about the central bank raising interest rates again.",
        "",
    ]
    vectors = embed_texts(texts, threads=2)
    assert vectors.shape == (3, 384)
    assert vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)
    # the same text embedded alone gives the same row: sorting by length does not shuffle rows
    alone = embed_texts([texts[1]])
    assert np.allclose(alone[0], vectors[1], atol=1e-4)


def test_paraphrases_are_closer_than_unrelated_sentences() -> None:
    vectors = embed_texts(
        [
            "North Korea's foreign minister arrived in Moscow for talks with Lavrov.",
            "The top diplomat of North Korea flew to Russia to meet the Russian foreign minister.",
            "The home team won the football match after extra time.",
        ]
    )
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
        Article(
            id="a",
            title="Rates up",
            text="The central bank raised rates on Tuesday. Markets fell. "
            "The governor spoke in Frankfurt. Bonds rallied late in the day.",
        ),
        Article(id="b", title="", text="Floods closed the road to the airport."),
        Article(id="c", title="", text=""),  # nothing to pool: it gets its own pass
    ]
    lead, pooled, untitled, empty = (
        *analyze_articles(articles[:1]),
        *analyze_articles(articles, AnalyzeConfig(document_vector="pooled")),
    )
    a = pooled.sentence_vectors
    expected = a[0] + a[1] + a[2] + 2 * pooled.title_vector  # the fourth sentence is past the lead
    assert np.allclose(pooled.vector, expected / np.linalg.norm(expected), atol=1e-4)
    assert np.allclose(pooled.sentence_vectors, lead.sentence_vectors, atol=1e-4)
    # the same article, the same meaning: close to the vector MiniLM reads from the lead itself
    assert float(np.dot(pooled.vector, lead.vector)) > 0.8
    assert np.allclose(untitled.vector, untitled.sentence_vectors[0], atol=1e-4)
    assert np.allclose(empty.vector, embed_texts([""])[0], atol=1e-4)


def test_a_text_gets_the_same_vector_whatever_it_is_embedded_with() -> None:
    # the quantized graph scales activations per call: batching texts together would let
    # one article's vectors depend on which others arrived with it (and on file order)
    text = "The minister arrived in Pyongyang on Monday for two days of talks."
    others = [
        "Rates rose.",
        "A far longer sentence about floods that closed the coastal road for a week.",
    ] * 3
    alone = embed_texts([text], threads=1)[0]
    assert np.array_equal(embed_texts(others + [text], threads=2)[-1], alone)
    assert np.array_equal(embed_texts([text] + others, threads=1)[0], alone)


def test_the_quantized_graph_stays_close_to_the_shipped_one() -> None:
    import onnxruntime as ort

    from newsweave.analyze import embed

    texts = [
        "North Korea's foreign minister arrived in Moscow for talks with Lavrov.",
        "Markets fell sharply after the central bank raised rates.",
        "Floods closed the road.",
    ]
    shipped = ort.InferenceSession(str(embed._shipped_model_file()), providers=["CPUExecutionProvider"])
    names = {i.name for i in shipped.get_inputs()}
    reference = [
        embed._vector_of(shipped, names, encoding) for encoding in embed._tokenizer().encode_batch(texts)
    ]
    cosines = (embed_texts(texts) * np.asarray(reference)).sum(axis=1)
    assert cosines.min() > 0.97
    assert embed._model_file() != embed._shipped_model_file()  # the faster graph is the one that runs


def test_the_quantized_graph_is_built_once_into_the_cache_and_falls_back_when_it_is_read_only(
    tmp_path, monkeypatch
) -> None:
    import os
    import tempfile

    from newsweave.analyze import embed

    embed._model_file.cache_clear()
    try:
        monkeypatch.setenv("NEWSWEAVE_CACHE_DIR", str(tmp_path / "cache"))
        built = embed._model_file()
        assert built.parent == tmp_path / "cache" and built.stat().st_size > 1_000_000
        # the graph and the shipped graph's digest, and no half-built leftovers
        assert sorted(p.suffix for p in built.parent.iterdir()) == [".json", ".onnx"]
        stamp = built.stat().st_mtime_ns
        embed._model_file.cache_clear()
        assert embed._model_file() == built and built.stat().st_mtime_ns == stamp  # reused, not rebuilt

        read_only = tmp_path / "read-only"
        read_only.mkdir()
        os.chmod(read_only, 0o500)
        monkeypatch.setenv("NEWSWEAVE_CACHE_DIR", str(read_only / "cache"))
        if os.access(
            read_only, os.W_OK
        ):  # root ignores permission bits; a file in the way fails for everyone
            os.chmod(read_only, 0o700)
            (read_only / "cache").write_text("not a folder")
        embed._model_file.cache_clear()
        assert embed._model_file().parent == Path(tempfile.gettempdir()) / "newsweave-models"
    finally:
        embed._model_file.cache_clear()


def test_analysing_in_turn_gives_each_batch_the_vectors_a_whole_analysis_gives() -> None:
    from newsweave.analyze import analyze_articles, analyze_in_turn
    from newsweave.config import AnalyzeConfig
    from newsweave.model import Article

    batches = [
        [Article(id="a", title="Rates up", text="The central bank raised rates on Tuesday. Markets fell.")],
        [
            Article(
                id="b", title="Floods", text="Floods closed the road to the airport. Flights were cancelled."
            ),
            Article(id="c", title="Strike", text="Dock workers walked out at dawn."),
        ],
    ]
    plain = AnalyzeConfig(embed=False)
    out = list(analyze_in_turn(batches, lambda b: analyze_articles(b, plain), AnalyzeConfig()))
    assert [batch for batch, _ in out] == batches  # in order, each batch with its own analyses
    for batch, analyzed in out:
        whole = analyze_articles(batch)
        assert analyzed is not None and [a.article.id for a in analyzed] == [a.id for a in batch]
        for got, want in zip(analyzed, whole, strict=True):
            assert np.allclose(got.vector, want.vector, atol=1e-6)
            assert np.allclose(got.sentence_vectors, want.sentence_vectors, atol=1e-6)
            assert np.allclose(got.title_vector, want.title_vector, atol=1e-6)


def _three_batches() -> list[list[Article]]:
    return [
        [Article(id="a", title="Rates up", text="The central bank raised rates on Tuesday. Markets fell.")],
        [
            Article(
                id="b", title="Floods", text="Floods closed the road to the airport. Flights were cancelled."
            )
        ],
        [Article(id="c", title="Strike", text="Dock workers walked out at dawn. Ships waited offshore.")],
    ]


def _assert_same_vectors(out: list, config: AnalyzeConfig) -> None:
    from newsweave.analyze import analyze_articles

    for batch, analyzed in out:
        assert analyzed is not None
        for got, want in zip(analyzed, analyze_articles(batch, config), strict=True):
            assert got.vector == want.vector  # exactly: each text's vector depends on the text only
            assert np.array_equal(got.sentence_vectors, want.sentence_vectors)
            assert np.array_equal(got.title_vector, want.title_vector)


def test_batches_embedded_in_a_helper_process_get_exactly_the_vectors_this_process_gives() -> None:
    from newsweave import parallel
    from newsweave.analyze import analyze_articles, analyze_in_turn, embed

    batches, config = _three_batches(), AnalyzeConfig()
    plain = replace(config, embed=False)
    with parallel.helper_process(True, embed.load) as helper:
        out = list(analyze_in_turn(batches, lambda b: analyze_articles(b, plain), config, helper))
    assert [batch for batch, _ in out] == batches
    _assert_same_vectors(out, config)


def test_when_the_helper_process_dies_this_process_embeds_and_no_batch_is_lost() -> None:
    import os
    import signal

    from newsweave import parallel
    from newsweave.analyze import analyze_articles, analyze_in_turn

    batches, config = _three_batches(), AnalyzeConfig()
    plain = replace(config, embed=False)
    with parallel.helper_process(True) as helper:
        assert helper is not None
        os.kill(helper.submit(os.getpid).result(timeout=120), signal.SIGKILL)
        out = list(analyze_in_turn(batches, lambda b: analyze_articles(b, plain), config, helper))
    assert [batch for batch, _ in out] == batches
    _assert_same_vectors(out, config)


def test_a_batch_whose_analysis_raises_comes_back_empty_handed_and_the_next_still_comes() -> None:
    from newsweave.analyze import analyze_in_turn
    from newsweave.config import AnalyzeConfig

    def analyze(batch: str) -> list:
        if batch == "bad":
            raise ValueError("cannot parse")
        return []

    out = list(analyze_in_turn(["first", "bad", "last"], analyze, AnalyzeConfig(embed=False)))
    assert out == [("first", []), ("bad", None), ("last", [])]


def test_batches_are_embedded_on_one_thread_while_a_parse_follows_and_the_last_on_all(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import newsweave.analyze as analyze_package
    from newsweave.analyze import analyze_in_turn
    from newsweave.config import AnalyzeConfig

    threads: list[int] = []

    def record(results: list, config: AnalyzeConfig, helper: object = None) -> list:
        threads.append(config.embed_threads)
        return results

    monkeypatch.setattr(analyze_package, "embed_analyses", record)
    out = list(analyze_in_turn(["first", "second", "last"], lambda b: [], AnalyzeConfig(embed_threads=2)))
    assert [batch for batch, _ in out] == ["first", "second", "last"]
    assert threads == [1, 1, 2]


def test_a_forked_child_embeds_with_threads_of_its_own() -> None:
    import multiprocessing

    embed_texts(["warm the parent's threads", "with two texts"], threads=2)
    context = multiprocessing.get_context("fork")
    child = context.Process(target=embed_texts, args=(["one text", "and another"], 2))
    child.start()
    child.join(120)
    finished = child.exitcode is not None
    if not finished:
        child.kill()
    assert finished and child.exitcode == 0


def test_an_interrupt_while_parsing_still_hands_over_the_batch_parsed_before() -> None:
    from newsweave.analyze import analyze_in_turn
    from newsweave.config import AnalyzeConfig

    def analyze(batch: str) -> list:
        if batch == "second":
            raise KeyboardInterrupt
        return []

    handed: list[str] = []
    with pytest.raises(KeyboardInterrupt):
        for batch, _ in analyze_in_turn(["first", "second", "third"], analyze, AnalyzeConfig(embed=False)):
            handed.append(batch)
    assert handed == ["first"]


def test_a_session_opens_the_optimized_graph_from_the_cache_and_computes_the_same(
    tmp_path, monkeypatch
) -> None:
    import onnxruntime as ort

    from newsweave.analyze import embed
    from newsweave.judge.crossencoder import MODEL_FILE

    monkeypatch.setenv("NEWSWEAVE_CACHE_DIR", str(tmp_path / "cache"))
    rng = np.random.default_rng(7)
    for graph in (embed._model_file(), MODEL_FILE):
        plain = ort.InferenceSession(str(graph), providers=["CPUExecutionProvider"])
        ours = embed.onnx_session(graph)
        [saved] = (tmp_path / "cache").glob(f"{graph.stem}-*-extended.onnx")
        assert saved.stat().st_size > 1_000_000
        names = {i.name for i in plain.get_inputs()}
        for length in (3, 17, 128):
            ids = rng.integers(1000, 29000, size=(1, length), dtype=np.int64)
            feeds = {
                "input_ids": ids,
                "attention_mask": np.ones_like(ids),
                "token_type_ids": np.zeros_like(ids),
            }
            feeds = {k: v for k, v in feeds.items() if k in names}
            assert np.array_equal(ours.run(None, feeds)[0], plain.run(None, feeds)[0])
        stamp = saved.stat().st_mtime_ns
        embed.onnx_session(graph)
        assert saved.stat().st_mtime_ns == stamp  # opened, not saved again
        saved.write_bytes(b"half a graph")  # damaged: the graph itself is opened, and saved again next time
        assert embed.onnx_session(graph).get_inputs()
        assert not saved.exists()
