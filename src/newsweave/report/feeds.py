"""Atom feeds of new and updated stories (the whole store, a search, an entity), through feedgen.

Public entry point: :func:`stories_feed`. Each entry is a story: its headline, the time it was
last rebuilt, its first summary sentences and its coverage, linking to the story's page.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from feedgen.feed import FeedGenerator

from newsweave.model import Story

SUMMARY_SENTENCES = 3
FEED_SIZE = 50


def stories_feed(
    title: str, feed_url: str, site_url: str, items: list[dict[str, Any]], stories: dict[str, Story]
) -> bytes:
    """An Atom document; ``items`` are :func:`newsweave.report.browse.story_items`, newest first."""
    feed = FeedGenerator()
    feed.id(feed_url)
    feed.title(title)
    feed.link(href=site_url, rel="alternate")
    feed.link(href=feed_url, rel="self")
    feed.generator("newsweave")
    feed.updated(max((_time(i["updated"]) for i in items), default=datetime(1970, 1, 1, tzinfo=UTC)))
    for item in reversed(items):  # feedgen puts each new entry first
        story = stories.get(item["id"])
        entry = feed.add_entry()
        link = f"{site_url.rstrip('/')}/stories/{item['id']}"
        entry.id(link)
        entry.title(item["headline"])
        entry.link(href=link, rel="alternate")
        entry.updated(_time(item["updated"]))
        entry.summary(_summary(item, story))
    atom: bytes = feed.atom_str(pretty=True)  # feedgen has no types
    return atom


def _summary(item: dict[str, Any], story: Story | None) -> str:
    sentences = " ".join(s.text for s in (story.summary[:SUMMARY_SENTENCES] if story else []))
    span = (
        item["first_date"]
        if item["first_date"] == item["last_date"]
        else f"{item['first_date']} to {item['last_date']}"
    )
    counts = f"{item['article_count']} articles, {item['independent_outlet_count']} independent outlets" + (
        f", {span}" if item["first_date"] else ""
    )
    sides = ", ".join(f"{side} {n}" for side, n in item["coverage"].items() if n)
    return " ".join(p for p in (sentences, f"({counts}{'; coverage: ' + sides if sides else ''})") if p)


def _time(stamp: str) -> datetime:
    moment = datetime.fromisoformat(stamp)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
