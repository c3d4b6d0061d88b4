"""Each article's language is identified from its own words, and a doubtful guess is not made."""

from __future__ import annotations

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


def test_cleaning_an_article_stores_the_language_its_text_is_written_in() -> None:
    article = Article(id="a", title="Lavrov recibe a la ministra norcoreana", text=SPANISH, raw_text=SPANISH)
    assert article.language == "en"  # what a reader declares by default
    assert clean_article(article).language == "es"


def test_an_english_article_stays_english_after_cleaning() -> None:
    text = "The foreign ministers of Russia and North Korea met in Moscow on Tuesday to discuss cooperation."
    article = Article(id="a", title="Lavrov meets Choe", text=text, raw_text=text, language="fr")
    assert clean_article(article).language == "en"
