"""Names in Hangul, Cyrillic and Chinese characters are romanised so they join their Latin spellings."""

from __future__ import annotations

from newsweave.names.match import names_match, normalize_name, spellings_match
from newsweave.names.scripts import to_ascii


def test_choe_son_hui_in_hangul_and_in_russian_cyrillic_is_one_person_with_her_latin_spelling() -> None:
    assert names_match("최선희", "Choe Son Hui")
    assert names_match("Чхве Сон Хи", "Choe Son Hui")
    assert names_match("최선희", "Чхве Сон Хи")
    assert names_match("Чхве Сон Хи", "Choi Son-hui")


def test_a_korean_name_in_hangul_is_read_syllable_by_syllable_with_the_surname_first() -> None:
    assert to_ascii("최선희") == "Choe Seonhui"
    assert to_ascii("김정은") == "Gim Jeongeun"


def test_a_chinese_name_is_written_in_pinyin_with_the_surname_apart() -> None:
    assert normalize_name("习近平") == "xi jinping"
    assert names_match("习近平", "Xi Jinping")


def test_russian_names_keep_the_spelling_news_uses() -> None:
    assert to_ascii("Сергей Шойгу") == "Sergei Shoigu"
    assert names_match("Мария Захарова", "Maria Zakharova")


def test_the_aspiration_rule_is_not_applied_to_russian_words_outside_korean_shaped_names() -> None:
    assert to_ascii("Отхожий промысел") == "Otkhozhii promysel"
    assert to_ascii("Лев Яшин") == "Lev Iashin"


def test_different_people_in_other_scripts_stay_apart() -> None:
    assert not names_match("김정은", "Choe Son Hui")
    assert not names_match("Сергей Лавров", "Sergei Shoigu")


def test_a_place_name_in_cyrillic_or_hangul_is_a_spelling_of_its_latin_name() -> None:
    assert spellings_match("Кения", "Kenya")
    assert spellings_match("나이로비", "Nairobi")
    assert not spellings_match("Кения", "Ghana")
