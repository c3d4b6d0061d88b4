"""Each article's language is identified from its own words, and a doubtful guess is not made."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import without_group_keys
from newsweave.ingest import language
from newsweave.ingest.clean import clean_article
from newsweave.ingest.language import identify_language
from newsweave.model import Article

SPANISH = (
    "El ministro de Asuntos Exteriores ruso se reunió el martes en Moscú con su homóloga norcoreana "
    "para hablar de la cooperación entre los dos países."
)
RUSSIAN = "Министр иностранных дел России Сергей Лавров во вторник встретился в Москве с главой МИД КНДР."
KOREAN = "최선희 외무상은 모스크바에서 러시아 외무장관과 회담을 가졌다고 조선중앙통신이 보도했다."


def test_spanish_russian_and_korean_articles_are_named_by_their_language() -> None:
    assert identify_language(SPANISH, "und") == "es"
    assert identify_language(RUSSIAN, "und") == "ru"
    assert identify_language(KOREAN + " " + KOREAN, "und") == "ko"


def test_a_text_too_short_to_tell_keeps_the_language_it_came_with() -> None:
    assert identify_language("Mubarak resigns", "en") == "en"
    assert identify_language("", "fr") == "fr"


LANGUAGES = {
    "en": "The government announced new measures for the economy of the country on Tuesday.",
    "es": "El gobierno anunció nuevas medidas para la economía del país el martes por la tarde.",
    "fr": "Le gouvernement a annoncé mardi de nouvelles mesures pour l'économie du pays.",
    "de": "Die Regierung hat am Dienstag neue Maßnahmen für die Wirtschaft des Landes angekündigt.",
}


@pytest.mark.parametrize("damaged", [False, True])
def test_the_model_read_back_from_the_cache_names_the_languages_the_shipped_one_names(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, damaged: bool
) -> None:
    monkeypatch.setenv("NEWSWEAVE_CACHE_DIR", str(tmp_path))
    if damaged:  # a file a crashed process left: read the shipped model, unpack it again
        (tmp_path / "py3langid-0.4.0-nextmove.npy").write_bytes(b"\x93NUMPY half a file")
    language._identifier.cache_clear()
    try:
        first = {code: identify_language(text, "xx") for code, text in LANGUAGES.items()}
        language._identifier.cache_clear()
        again = {code: identify_language(text, "xx") for code, text in LANGUAGES.items()}
    finally:
        language._identifier.cache_clear()
    assert first == again == {code: code for code in LANGUAGES}
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        f"py3langid-0.4.0-{name}.npy" for name in language.ARRAYS
    )


def test_the_model_read_back_from_the_cache_gives_the_shipped_models_guesses(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEWSWEAVE_CACHE_DIR", str(tmp_path))
    language._identifier.cache_clear()
    try:
        mapped = language._identifier()
        assert isinstance(mapped.tk_nextmove, memoryview)  # the mapped table, not a copy
        shipped = language._shipped_identifier()
        texts = [*LANGUAGES.values(), SPANISH, "Ça va? 東京で会議が開かれた。 Москва"]
        assert [mapped.classify(t) for t in texts] == [shipped.classify(t) for t in texts]
    finally:
        language._identifier.cache_clear()


def test_cleaning_an_article_stores_the_language_its_text_is_written_in() -> None:
    article = Article(id="a", title="Lavrov recibe a la ministra norcoreana", text=SPANISH, raw_text=SPANISH)
    assert article.language == "en"  # what a reader declares by default
    assert clean_article(article).language == "es"


def test_an_english_article_stays_english_after_cleaning() -> None:
    text = "The foreign ministers of Russia and North Korea met in Moscow on Tuesday to discuss cooperation."
    article = Article(id="a", title="Lavrov meets Choe", text=text, raw_text=text, language="fr")
    assert clean_article(article).language == "en"


def _view(languages: list[str]):
    from newsweave.model import Story
    from newsweave.report.common import story_view

    articles = {
        f"a{i}": Article(id=f"a{i}", title="t", text="x", language=code) for i, code in enumerate(languages)
    }
    return story_view(Story(id="s", headline="h", articles=list(articles)), articles)


def test_a_story_lists_its_languages_most_articles_first() -> None:
    assert _view(["fr", "es", "es", "en"]).languages == ["es", "en", "fr"]


def test_an_english_only_story_lists_no_languages_so_its_page_does_not_change() -> None:
    assert _view(["en", "en"]).languages == []


def test_the_terminal_and_html_reports_name_the_languages_of_a_story_across_languages() -> None:
    from rich.console import Console

    from newsweave.model import Digest, Story
    from newsweave.report import render_html, render_terminal

    articles = [
        Article(id="a", title="Lavrov recibe a Choe", text=SPANISH, language="es", outlet="El País"),
        Article(id="b", title="Lavrov reçoit Choe", text="Le ministre a reçu sa homologue.", language="fr"),
    ]
    digest = Digest(
        articles=articles, stories=[Story(id="s", headline="Lavrov and Choe", articles=["a", "b"])]
    )
    console = Console(record=True, width=120)
    render_terminal(digest, console)
    assert "languages: es, fr" in console.export_text()
    assert "languages: es, fr" in render_html(digest)


STRIKE = {
    "es": "Huelga en el puerto paraliza la terminal norte\n\nBy Redacción | Diario del Puerto | 3 March 2025\n\n"
    "Los trabajadores portuarios de la terminal norte de Port Halden se declararon en huelga el lunes por los "
    "salarios, deteniendo el tráfico de contenedores. El sindicato dijo que la huelga durará hasta que se firme "
    "un nuevo contrato. Los barcos fueron desviados a la terminal sur.",
    "fr": "Grève au port : le terminal nord à l'arrêt\n\nBy Rédaction | Journal du Port | 3 March 2025\n\n"
    "Les dockers du terminal nord de Port Halden se sont mis en grève lundi pour les salaires, paralysant le "
    "trafic de conteneurs. Le syndicat a déclaré que la grève durerait jusqu'à la signature d'un nouveau "
    "contrat. Les navires ont été déroutés vers le terminal sud.",
    "en": "Harbour strike shuts northern terminal\n\nBy Staff | Coastal Ledger | 3 March 2025\n\nDock workers at "
    "the northern terminal of Port Halden walked out on Monday over pay, halting container traffic. The union said "
    "the strike would last until a new contract is signed. Ships were diverted to the southern terminal.",
    "rates": "Central bank holds rates\n\nBy Staff | Coastal Ledger | 5 March 2025\n\nThe central bank kept its "
    "benchmark interest rate at 4.5 percent on Wednesday, saying inflation remained too high to cut borrowing "
    "costs. Economists had expected the decision.",
}


@pytest.mark.parametrize(
    ("method", "second", "joined"),
    [("lead", True, True), ("lead", False, False), ("multilingual", False, True)],
)
def test_with_the_second_vector_english_spanish_and_french_reports_of_one_happening_are_one_story(
    tmp_path: Path, method: str, second: bool, joined: bool
) -> None:
    from newsweave import pipeline
    from newsweave.config import Config
    from newsweave.store import open_store

    folder = tmp_path / "in"
    folder.mkdir()
    for name, text in STRIKE.items():
        (folder / f"{name}.txt").write_text(text)
    config = Config(db=str(tmp_path / "s.db")).with_overrides(
        **{"analyze.document_vector": method, "analyze.multilingual_vector": second}
    )
    with open_store(config.db) as store:
        pipeline.ingest([str(folder)], config, store)
        stories = sorted(sorted(s.articles) for s in store.list_stories())
    # MiniLM reads English: alone, it keeps the reports apart. The multilingual encoder puts them in one
    # space (as the second vector, read for pairs in two languages, or as the only one),
    # and the judge reads its cosines on MiniLM's scale with the words of a pair in two languages estimated
    assert (["en", "es", "fr"] in stories) == joined
    assert ["rates"] in stories


def test_a_multilingual_cosine_is_read_on_minilms_scale_and_a_cross_language_pair_is_given_words() -> None:
    from newsweave.cluster.happening import HappeningModel

    model = HappeningModel.shipped()
    # MiniLM vectors read English: a pair in two languages keeps only the words it shares
    assert model.comparable(0.02, 0.7, 1.0, multilingual=False) == (0.02, 0.7)
    same, scaled = model.comparable(0.02, 0.7, 0.0, multilingual=True)
    across, _ = model.comparable(0.02, 0.7, 1.0, multilingual=True)
    assert same == 0.02 and scaled is not None and 0.6 < scaled < 0.8
    assert across > 0.1  # English reports that close share words; two languages cannot show it


def _strike_reports() -> list:
    """The strike reports and the rate decision, analysed with both vectors."""
    from newsweave.analyze import analyze_articles
    from newsweave.config import AnalyzeConfig

    articles = []
    for name, text in STRIKE.items():
        title, _, body = text.partition("\n\n")
        language = name if name in ("es", "fr") else "en"
        articles.append(Article(id=name, title=title, text=body, published="2025-03-03", language=language))
    return analyze_articles(articles, AnalyzeConfig(multilingual_vector=True))


def test_an_english_pair_reads_minilm_and_a_pair_in_two_languages_or_in_another_reads_the_multilingual_vectors() -> (
    None
):
    import numpy as np

    from newsweave.cluster.clusterer import vector_signal

    minilm = np.array([1.0, 0.0], dtype=np.float32)
    other = np.array([0.0, 1.0], dtype=np.float32)
    use = np.ones(512, dtype=np.float32) / np.sqrt(512)
    document = (minilm, 1, other, 1)
    shared = (use, 1, use, 1)
    assert vector_signal(0.0, document, shared) == (0.0, False)  # English pairs: exactly as before
    cosine, multilingual = vector_signal(0.5, document, shared)
    assert multilingual and cosine == pytest.approx(1.0)
    # two Spanish reports: one language, but one MiniLM does not read
    assert vector_signal(0.0, document, shared, read=False) == (pytest.approx(1.0), True)
    # a side without the second vector (an analysis made before it) is judged on MiniLM
    assert vector_signal(1.0, document, (use, 1, None, 0)) == (0.0, False)


def test_reports_in_three_languages_join_across_a_saved_state_and_an_older_state_reads_as_having_no_second_vector() -> (
    None
):
    import json

    from newsweave.cluster.clusterer import StoryClusterer

    items = {item.article.id: item for item in _strike_reports()}
    assert all(item.multilingual_vector is not None for item in items.values())
    first = StoryClusterer()
    for name in ("en", "es", "rates"):
        first.add(items[name])
    state = json.loads(json.dumps(first.to_state()))  # what the store keeps
    resumed = StoryClusterer.from_state(state)
    resumed.add(items["fr"])
    assert sorted(sorted(s.articles) for s in resumed.stories()) == [["en", "es", "fr"], ["rates"]]

    older = {k: v for k, v in state.items() if not k.startswith("across_neighbourhood") and k != "languages"}
    older |= {
        "version": 11,
        "items": {
            k: without_group_keys(v, "multilingual", "n_multilingual") for k, v in state["items"].items()
        },
    }
    loaded = StoryClusterer.from_state(older)
    assert sorted(sorted(s.articles) for s in loaded.stories()) == [["en", "es"], ["rates"]]
    loaded.add(items["fr"])  # its story holds no multilingual sum: MiniLM alone cannot join French
    assert ["fr"] in [sorted(s.articles) for s in loaded.stories()]
