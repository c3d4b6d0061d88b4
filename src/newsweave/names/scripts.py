"""Names written in other scripts, romanised so the name matcher can compare them with Latin spellings.

Public entry points: :func:`romanize` and :func:`to_ascii`. A maintained package per script:

* Hangul — ``korean-romanizer`` (the Revised Romanization of Korean) syllable by syllable: in a
  name each syllable is read alone (최선희 is Choe Seon-hui, not the sound-changed Choeseonhui); a
  one-word Korean name is its surname syllable and its given name ("최선희" → "Choe Seonhui").
* Cyrillic — ``Unidecode``, whose table is close to the BGN/PCGN spelling news uses (Sergei,
  Shoigu). ``cyrtranslit``'s Russian table (Sergej, SHojgu) was measured beside it on the
  cross-script set of ``benchmarks/entities.py``: precision 0.863 vs 0.853, recall 0.595 vs 0.602
  (ten pairs of 1,049 apart), so the spelling news uses is kept. Russian writes Korean names with
  an ``х`` after a stop to mark aspiration (Чхве = Ch'oe, Пхеньян = P'yŏngyang): in a name shaped
  like a Korean one (two to four words of at most four letters) that ``х`` goes, and a syllable's
  ``ве``/``вэ`` after a consonant (Kontsevich's 외/웨) is read ``oe``.
* Han — ``pypinyin`` (Hanyu Pinyin without tones); a one-word Chinese name of two to four
  characters is its surname syllable and its given name joined ("习近平" → "Xi Jinping").
* Everything else — ``Unidecode``, as before (Latin letters with diacritics, Greek, Arabic ...).
  Arabic script writes no short vowels, so a romanised Arabic name rarely meets its Latin spelling:
  measured in ``benchmarks/entities.py`` (cross-script set), not claimed.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from korean_romanizer.romanizer import Romanizer
from unidecode import unidecode

_HANGUL = re.compile(r"[\uac00-\ud7a3]+")
_HAN = re.compile(r"[\u4e00-\u9fff\u3400-\u4dbf]+")
_CYRILLIC = re.compile(r"[\u0400-\u04ff][\u0400-\u04ff\u0300-\u036f'\u2019-]*")
# Russian renderings of aspirated stops in Asian names: "пх", "тх", "кх", "чх" (not "сх": схема)
_ASPIRATED = re.compile(r"(?<=[пткчПТКЧ])[хХ]")
# Kontsevich's 외 / 웨 after a consonant ("Чхве", "Кве"): read as the Revised Romanization's "oe"
_KOREAN_WE = re.compile(r"(?<=[бвгджзклмнпрстфхцчшщБВГДЖЗКЛМНПРСТФХЦЧШЩ])в[еэ]$")
# a name is Korean-shaped in Cyrillic when it is two to four words of at most four letters each
_KOREAN_SHAPED_WORD = re.compile(r"[\u0400-\u04ff]{1,4}")


def romanize(text: str) -> str:
    """``text`` with every Hangul and Han run romanised and Korean-shaped Cyrillic names read as
    Korean; the rest is left as it was."""
    text = unicodedata.normalize("NFKC", text)
    if _HANGUL.search(text):
        text = _HANGUL.sub(lambda m: _hangul_word(m.group(0)), text)
    if _HAN.search(text):
        text = _HAN.sub(lambda m: _han_word(m.group(0)), text)
    if _CYRILLIC.search(text):
        text = _korean_in_cyrillic(text)
    return text


def to_ascii(text: str) -> str:
    """:func:`romanize`, then ASCII for whatever is left (Unidecode)."""
    return unidecode(romanize(text))


@lru_cache(maxsize=50_000)
def _hangul_word(word: str) -> str:
    syllables = [_hangul_syllable(c) for c in word]
    if 2 <= len(syllables) <= 4:
        return (syllables[0] + " " + "".join(syllables[1:])).title()
    return "".join(syllables).title()


@lru_cache(maxsize=12_000)
def _hangul_syllable(syllable: str) -> str:
    return str(Romanizer(syllable).romanize())


@lru_cache(maxsize=50_000)
def _han_word(word: str) -> str:
    # imported on the first Chinese name: its tables take 0.35 s and most stores never need them
    from pypinyin import lazy_pinyin

    syllables = lazy_pinyin(word)
    if 2 <= len(syllables) <= 4:
        return " " + (syllables[0] + " " + "".join(syllables[1:])).title() + " "
    return " " + " ".join(syllables).title() + " "


def _korean_in_cyrillic(text: str) -> str:
    words = text.split()
    if not (2 <= len(words) <= 4 and all(_KOREAN_SHAPED_WORD.fullmatch(w) for w in words)):
        return text  # only here: in Russian words a stop meets an х across a morpheme (отхожий)
    return " ".join(_KOREAN_WE.sub("оэ", _ASPIRATED.sub("", w)) for w in words)
