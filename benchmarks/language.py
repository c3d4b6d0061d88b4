"""Language identification per article: accuracy and speed, beside the baseline of today (all English).

    python benchmarks/language.py [--data DIR] [--split dev|test]

Gold: the ML-Crisis folder language of each es/fr/it article (``ml-crisis-tls/<lang>/<topic>/<day>/``)
and English for every ECB+ article. Each article is read whole (title and body, as the cleaner passes
it) and also as its first line of more than 20 characters cut to 100 (a headline-sized text).
``newsweave`` is :func:`newsweave.ingest.language.identify_language`, which keeps the article's own
language when unsure (the fallback here is ``und``, scored as wrong; ``answered`` is the share given a language and
``precision`` the share of those that are right).
lingua-language-detector is run beside it when installed. Last line: one JSON object.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))
from newsweave.ingest.language import identify_language  # noqa: E402

DEFAULT_DATA = REPO.parent / "shared" / "data"


def load(data: Path) -> list[tuple[str, str]]:
    """(gold language, text) for every ML-Crisis article and every ECB+ article under ``data``."""
    items: list[tuple[str, str]] = []
    for lang in ("es", "fr", "it"):
        for path in sorted((data / "ml-crisis-tls" / lang).glob("*/*/*.txt")):
            items.append((lang, path.read_text(encoding="utf-8", errors="replace")))
    for path in sorted((data / "ecbplus" / "docs").glob("*/*.json")):
        raw = json.loads(path.read_text(encoding="utf-8"))
        items.append(("en", f"{raw.get('title') or ''}\n{raw.get('text') or ''}"))
    if not items:
        raise FileNotFoundError(f"no ML-Crisis or ECB+ articles under {data}")
    return items


def headline(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if len(line.strip()) > 20]
    return (lines[0] if lines else text.strip())[:100]


def score(detect: Callable[[str], str], items: list[tuple[str, str]]) -> dict[str, object]:
    start = time.perf_counter()
    guesses = [detect(text) for _, text in items]
    elapsed = time.perf_counter() - start
    words = sum(len(text.split()) for _, text in items)
    out: dict[str, object] = {
        "accuracy": round(sum(g == lang for g, (lang, _) in zip(guesses, items, strict=True)) / len(items), 4)
    }
    for lang in sorted({lang for lang, _ in items}):
        rows = [g == gold for g, (gold, _) in zip(guesses, items, strict=True) if gold == lang]
        out[f"accuracy_{lang}"] = round(sum(rows) / len(rows), 4)
    answered = [(g, gold) for g, (gold, _) in zip(guesses, items, strict=True) if g != "und"]
    out["answered"] = round(len(answered) / len(items), 4)  # the rest keep the language they came with
    out["precision"] = round(sum(g == gold for g, gold in answered) / len(answered), 4) if answered else 1.0
    out["words_per_second"] = round(words / elapsed)
    out["articles_per_second"] = round(len(items) / elapsed, 1)
    return out


def systems() -> dict[str, Callable[[str], str]]:
    found: dict[str, Callable[[str], str]] = {
        "newsweave": lambda text: identify_language(text, "und"),
        "baseline_all_english": lambda text: "en",  # what every reader stored before language identification
    }
    try:
        from lingua import LanguageDetectorBuilder
    except ImportError:
        return found
    detector = LanguageDetectorBuilder.from_all_languages().build()

    def lingua(text: str) -> str:
        found_language = detector.detect_language_of(text)
        return found_language.iso_code_639_1.name.lower() if found_language else "und"

    found["lingua"] = lingua
    return found


def main(argv: list[str] | None = None) -> dict[str, object]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument(
        "--split",
        choices=["dev", "test"],
        default="dev",
        help="ML-Crisis holds nothing back; test reads a folder of the same layout",
    )
    args = parser.parse_args(argv)
    items = load(args.data)
    identify_language("warm the model up once before timing it", "und")
    figures: dict[str, object] = {"articles": len(items), "split": args.split}
    for name, detect in systems().items():
        for form, texts in (("article", items), ("headline", [(lang, headline(t)) for lang, t in items])):
            figures[f"{name}_{form}"] = result = score(detect, texts)
            print(f"{name:<22} {form:<8} {result}")
    print(json.dumps(figures))
    return figures


if __name__ == "__main__":
    main()
