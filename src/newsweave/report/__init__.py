"""Renderers of a :class:`~newsweave.model.Digest`: terminal (Rich), JSON, self-contained HTML."""

from __future__ import annotations

import json
from pathlib import Path

from jinja2 import Environment, PackageLoader, select_autoescape
from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from newsweave.model import Digest, digest_to_json
from newsweave.outlets import UNKNOWN
from newsweave.report.common import (
    best_sentence,
    quotes_by_speaker,
    split_sentences,
    story_view,
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
    for story in digest.stories:
        view = story_view(story, by_id)
        parts: list[object] = []
        meta = Text()
        languages = f" · languages: {', '.join(view.languages)}" if view.languages else ""
        meta.append(f"{len(view.articles)} articles · {view.independent_outlets} independent outlets · {view.span}"
                    f"{languages}\n", style="dim")
        meta.append("  ".join(f"[{view.number[a.id]}] {a.outlet or UNKNOWN}" for a in view.articles), style="cyan")
        parts.append(meta)
        if story.summary:
            summary = Text("\n")
            for s in story.summary:
                summary.append(s.text + " ")
                cites = "".join(f"[{view.number[a]}]" for a in s.sources if a in view.number)
                summary.append(cites + " ", style="bold cyan")
            parts.append(summary)
        if len(story.events) > 1:
            parts.append(Text("\nEvents", style="bold"))
            for e in story.events:
                span = e.start if e.start == e.end else f"{e.start or '?'} – {e.end or '?'}"
                cites = "".join(f"[{view.number[a]}]" for a in e.articles if a in view.number)
                parts.append(Text(f"  • {e.label} ({span}) {cites}"))
        headlines = {s.id: s.headline for s in digest.stories}
        related = [headlines[r] for r in story.related if r in headlines]
        if related:
            parts.append(Text("\nRelated coverage", style="bold"))
            parts.extend(Text(f"  • {h}") for h in related)
        people = [e for e in story.entities if e.type == "PERSON"][:8]
        if people:
            parts.append(Text("\nPeople", style="bold"))
            for e in people:
                others = [a for a in e.aliases if a != e.name]
                line = Text(f"  • {e.name}")
                if others:
                    line.append(f"  aka {', '.join(others)}", style="dim")
                parts.append(line)
        if story.quotes:
            parts.append(Text("\nWho said what", style="bold"))
            # a glance, not the record: named speakers first, a couple of quotes each (the HTML has all)
            groups = sorted(quotes_by_speaker(story.quotes), key=lambda g: all(q.entity is None for q in g[1]))
            for speaker, quotes in groups[:6]:
                parts.append(Text(f"  {speaker}", style="bold magenta"))
                for q in quotes[:2]:
                    mark = "“" + q.text + "”" if q.kind == "direct" else q.text
                    parts.append(Text(f"    {mark} [{view.number.get(q.article, '?')}]"))
        if story.word_choice:
            parts.append(Text("\nWord choice", style="bold"))
            for w in story.word_choice:
                used = "; ".join(f"{', '.join(t)} [{view.number.get(a, '?')}]" for a, t in w.terms.items())
                parts.append(Text(f"  {w.concept}: {used}"))
        if story.timeline:
            parts.append(Text("\nTimeline", style="bold"))
            shown, cut_before, cut_after = timeline_window(
                story.timeline, [a.published for a in view.articles if a.published], _TIMELINE_ROWS)
            if cut_before:
                parts.append(Text("  …", style="dim"))
            for t in shown:
                cites = "".join(f"[{view.number[a]}]" for a in t.articles if a in view.number)
                parts.append(Text(f"  {t.date:<10}  {t.text} {cites}"))
                parts.append(Text(f"              ({timeline_note(t.precision, t.anchor)})", style="dim"))
            if cut_after:
                parts.append(Text("  …", style="dim"))
        if story.disagreements:
            parts.append(Text("\nOutlets disagree", style="bold red"))
            for d in story.disagreements[:limit]:
                parts.append(Text(f"  {d.about}", style="red"))
                for c in d.claims:
                    parts.append(Text(f"    [{view.number.get(c.article, '?')}] {c.text}"))
        if story.corroborated:
            parts.append(Text("\nCorroborated", style="bold green"))
            for c in story.corroborated[:limit]:
                cites = "".join(f"[{view.number[a]}]" for a in c.articles if a in view.number)
                parts.append(Text(f"  ✔ {c.text} {cites}"))
        if story.single_source:
            parts.append(Text("\nOnly one outlet says", style="bold yellow"))
            for c in story.single_source[:limit]:
                parts.append(Text(f"  ? {c.text} [{view.number.get(c.article, '?')}]"))
        console.print(Panel(Group(*parts), title=f"[bold]{story.headline}", title_align="left", expand=True))
    if digest.errors:
        table = Table("input", "why it was skipped", title="Inputs that could not be read", title_style="bold red")
        for err in digest.errors:
            table.add_row(err.source, err.reason)
        console.print(table)


_env = Environment(
    loader=PackageLoader("newsweave", "report/templates"),
    autoescape=select_autoescape(["html", "j2"]),
    trim_blocks=True,
    lstrip_blocks=True,
)


def render_html(digest: Digest, title: str = "newsweave digest") -> str:
    """One self-contained page (inline CSS, no scripts from elsewhere)."""
    by_id = {a.id: a for a in digest.articles}
    paragraphs = {a.id: _numbered_paragraphs(a.text) for a in digest.articles}
    sentences = {aid: [s for para in paras for _, s in para] for aid, paras in paragraphs.items()}
    views = [story_view(s, by_id) for s in digest.stories]

    def anchor(text: str, article_id: str) -> str:
        idx = best_sentence(text, sentences.get(article_id, []))
        return f"s-{article_id}-{idx}" if idx is not None else f"a-{article_id}"

    return _env.get_template("report.html.j2").render(
        title=title, views=views, errors=digest.errors, paragraphs=paragraphs, anchor=anchor,
        quotes_by_speaker=quotes_by_speaker, n_articles=len(digest.articles), timeline_note=timeline_note,
        headlines={s.id: s.headline for s in digest.stories},
    )


def _numbered_paragraphs(text: str) -> list[list[tuple[int, str]]]:
    """Paragraphs of sentences, each sentence numbered across the article (for ``#s-ID-N`` anchors)."""
    out: list[list[tuple[int, str]]] = []
    n = 0
    for block in text.split("\n"):
        found = split_sentences(block)
        if found:
            out.append([(n + i, s) for i, s in enumerate(found)])
            n += len(found)
    return out


def write_html(digest: Digest, path: str | Path) -> None:
    Path(path).write_text(render_html(digest), encoding="utf-8")
