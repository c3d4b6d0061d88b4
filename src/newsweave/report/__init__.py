"""Renderers of a :class:`~newsweave.model.Digest`: terminal (Rich), JSON, self-contained HTML."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment, PackageLoader, select_autoescape
from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from newsweave.model import Digest, Story, digest_to_json
from newsweave.outlets import UNKNOWN
from newsweave.report.common import (
    StoryView,
    numbered_paragraphs,
    quotes_by_speaker,
    story_view,
    timeline_date,
    timeline_note,
)
from newsweave.story.timeline import timeline_window

__all__ = ["render_terminal", "write_json", "write_html", "render_html"]

_TIMELINE_ROWS = 8  # the terminal shows this many timeline entries around the story's own dates


def write_json(digest: Digest, path: str | Path) -> None:
    Path(path).write_text(json.dumps(digest_to_json(digest), ensure_ascii=False, indent=2), encoding="utf-8")


def render_terminal(digest: Digest, console: Console | None = None, limit: int = 3) -> None:
    """Print each story as a panel: summary with citations, events, names, quotes, claims."""
    console = console or Console()
    by_id = {a.id: a for a in digest.articles}
    if not digest.stories:
        console.print("[yellow]No stories: no article could be read.[/yellow]")
    headlines = {s.id: s.headline for s in digest.stories}
    for story in digest.stories:
        view = story_view(story, by_id)
        panel = _Panel(story, view, limit, headlines)
        parts = [line for section in _SECTIONS for line in section(panel)]
        console.print(Panel(Group(*parts), title=f"[bold]{story.headline}", title_align="left", expand=True))
    if digest.errors:
        table = Table(
            "input", "why it was skipped", title="Inputs that could not be read", title_style="bold red"
        )
        for err in digest.errors:
            table.add_row(err.source, err.reason)
        console.print(table)


def _cites(view: StoryView, articles: list[str]) -> str:
    return "".join(f"[{view.number[a]}]" for a in articles if a in view.number)


@dataclass
class _Panel:
    """What each section of a story's panel reads."""

    story: Story
    view: StoryView
    limit: int
    headlines: dict[str, str]  # story id -> headline, for related coverage


def _meta(p: _Panel) -> list[Text]:
    meta = Text()
    languages = f" · languages: {', '.join(p.view.languages)}" if p.view.languages else ""
    meta.append(
        f"{len(p.view.articles)} article{'' if len(p.view.articles) == 1 else 's'} · {p.view.outlets_text} · "
        f"{p.view.span}{languages}\n",
        style="dim",
    )
    meta.append(
        "  ".join(f"[{p.view.number[a.id]}] {a.outlet or UNKNOWN}" for a in p.view.articles), style="cyan"
    )
    return [meta]


def _summary(p: _Panel) -> list[Text]:
    if not p.story.summary:
        return []
    summary = Text("\n")
    for s in p.story.summary:
        summary.append(s.text + " ")
        summary.append(_cites(p.view, s.sources) + " ", style="bold cyan")
    return [summary]


def _events(p: _Panel) -> list[Text]:
    if len(p.story.events) <= 1:
        return []
    out = [Text("\nEvents", style="bold")]
    for e in p.story.events:
        span = e.start if e.start == e.end else f"{e.start or '?'} – {e.end or '?'}"
        out.append(Text(f"  • {e.label} ({span}) {_cites(p.view, e.articles)}"))
    return out


def _related(p: _Panel) -> list[Text]:
    related = [p.headlines[r] for r in p.story.related if r in p.headlines]
    if not related:
        return []
    return [Text("\nRelated coverage", style="bold"), *(Text(f"  • {h}") for h in related)]


def _people(p: _Panel) -> list[Text]:
    people = [e for e in p.story.entities if e.type == "PERSON"][:8]
    if not people:
        return []
    out = [Text("\nPeople", style="bold")]
    for e in people:
        others = [a for a in e.aliases if a != e.name]
        line = Text(f"  • {e.name}")
        if others:
            line.append(f"  aka {', '.join(others)}", style="dim")
        out.append(line)
    return out


def _quotes(p: _Panel) -> list[Text]:
    if not p.story.quotes:
        return []
    out = [Text("\nWho said what", style="bold")]
    # a glance, not the record: named speakers first, a couple of quotes each (the HTML has all)
    groups = sorted(quotes_by_speaker(p.story.quotes), key=lambda g: all(q.entity is None for q in g[1]))
    for speaker, quotes in groups[:6]:
        out.append(Text(f"  {speaker}", style="bold magenta"))
        for q in quotes[:2]:
            mark = "“" + q.text + "”" if q.kind == "direct" else q.text
            out.append(Text(f"    {mark} [{p.view.number.get(q.article, '?')}]"))
    return out


def _word_choice(p: _Panel) -> list[Text]:
    if not p.story.word_choice:
        return []
    out = [Text("\nWord choice", style="bold")]
    for w in p.story.word_choice:
        used = "; ".join(f"{', '.join(t)} [{p.view.number.get(a, '?')}]" for a, t in w.terms.items())
        out.append(Text(f"  {w.concept}: {used}"))
    return out


def _timeline(p: _Panel) -> list[Text]:
    if not p.story.timeline:
        return []
    out = [Text("\nTimeline", style="bold")]
    shown, cut_before, cut_after = timeline_window(
        p.story.timeline, [a.published for a in p.view.articles if a.published], _TIMELINE_ROWS
    )
    if cut_before:
        out.append(Text("  …", style="dim"))
    for t in shown:
        out.append(Text(f"  {timeline_date(t.date, t.precision):<10}  {t.text} {_cites(p.view, t.articles)}"))
        out.append(Text(f"              ({timeline_note(t.precision, t.anchor)})", style="dim"))
    if cut_after:
        out.append(Text("  …", style="dim"))
    return out


def _claims(p: _Panel) -> list[Text]:
    out = []
    if p.story.disagreements:
        out.append(Text("\nOutlets disagree", style="bold red"))
        for d in p.story.disagreements[: p.limit]:
            out.append(Text(f"  {d.about}", style="red"))
            out.extend(Text(f"    [{p.view.number.get(c.article, '?')}] {c.text}") for c in d.claims)
    if p.story.corroborated:
        out.append(Text("\nCorroborated", style="bold green"))
        out.extend(
            Text(f"  ✔ {c.text} {_cites(p.view, c.articles)}") for c in p.story.corroborated[: p.limit]
        )
    if p.story.single_source:
        out.append(Text("\nOnly one outlet says", style="bold yellow"))
        out.extend(
            Text(f"  ? {c.text} [{p.view.number.get(c.article, '?')}]")
            for c in p.story.single_source[: p.limit]
        )
    return out


# the panel of a story, top to bottom
_SECTIONS = (_meta, _summary, _events, _related, _people, _quotes, _word_choice, _timeline, _claims)


_env = Environment(
    loader=PackageLoader("newsweave", "report/templates"),
    autoescape=select_autoescape(["html", "j2"]),
    trim_blocks=True,
    lstrip_blocks=True,
)


def render_html(digest: Digest, title: str = "newsweave digest") -> str:
    """One self-contained page (inline CSS, no scripts from elsewhere)."""
    by_id = {a.id: a for a in digest.articles}
    paragraphs = {a.id: numbered_paragraphs(a.text, digest.sentences.get(a.id)) for a in digest.articles}
    numbered = {aid: {n for para in paras for n, _ in para} for aid, paras in paragraphs.items()}
    views = [story_view(s, by_id) for s in digest.stories]

    def anchor(article_id: str, sentence: int | None) -> str:
        """The cited sentence's anchor, by its index; the article's when the citation names none."""
        found = sentence is not None and sentence in numbered.get(article_id, set())
        return f"s-{article_id}-{sentence}" if found else f"a-{article_id}"

    return _env.get_template("report.html.j2").render(
        title=title,
        views=views,
        errors=digest.errors,
        paragraphs=paragraphs,
        anchor=anchor,
        quotes_by_speaker=quotes_by_speaker,
        n_articles=len(digest.articles),
        timeline_note=timeline_note,
        timeline_date=timeline_date,
        headlines={s.id: s.headline for s in digest.stories},
    )


def write_html(digest: Digest, path: str | Path) -> None:
    Path(path).write_text(render_html(digest), encoding="utf-8")
