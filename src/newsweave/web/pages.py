"""Server-rendered pages: stories, story, article, entity, search and add."""

from __future__ import annotations

import re
from typing import Annotated, Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Form, HTTPException, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from newsweave.model import Article, Entity, Story
from newsweave.outlets import EMPTY, Directory
from newsweave.report.browse import StoryFilters, find_stories
from newsweave.report.common import (
    merge_quotes,
    numbered_paragraphs,
    quotes_by_speaker,
    story_view,
    timeline_date,
    timeline_note,
)
from newsweave.store import Store
from newsweave.web import api, feeds, inputs
from newsweave.web.schemas import ISO_DAY, MAX_OFFSET

router = APIRouter(include_in_schema=False)
router.include_router(feeds.router)
PAGE_SIZE = 20
ENTITY_STORIES = 20  # an entity's page lists its latest stories and links to the filtered list for the rest
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET)]
Name = Annotated[str | None, Query(max_length=300)]


def render(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    page: HTMLResponse = request.app.state.templates.TemplateResponse(
        request, template, context, status_code=status
    )
    return page


def store_of(request: Request) -> Store:
    store: Store = request.app.state.store  # Starlette's app state is untyped
    return store


def story_cards(store: Store, stories: list[Story], directory: Directory = EMPTY) -> list[Any]:
    """Story views (counts, outlets, date span, coverage) for a list, reading all their articles at once."""
    by_id = {a.id: a for a in store.get_articles(a for s in stories for a in s.articles)}
    return [story_view(s, by_id, directory) for s in stories]


def stories_in_order(store: Store, ids: list[str]) -> list[Story]:
    found = {s.id: s for s in store.list_stories(limit=max(len(ids), 1), ids=ids)}
    return [found[i] for i in ids if i in found]


def blank(value: str | None) -> str | None:
    """Empty form fields (``?outlet=``) mean "no filter"."""
    return value or None


SORT_LABELS = {
    "latest": "Latest",
    "outlets": "Most outlets",
    "articles": "Most articles",
    "updated": "Last updated",
}


@router.get("/", response_class=HTMLResponse)
def stories_page(
    request: Request,
    outlet: Name = None,
    entity: Name = None,
    since: Name = None,
    until: Name = None,
    leaning: Name = None,
    only: Name = None,
    sort: Name = None,
    offset: Offset = 0,
) -> HTMLResponse:
    store, directory = store_of(request), api.directory_of(request)
    filters = api.story_filters(
        blank(outlet), blank(entity), _day(since), _day(until), blank(leaning), blank(only), sort or "latest"
    )
    ids, matching = find_stories(store, filters, PAGE_SIZE, offset, directory)
    chosen_entity = store.get_entity(filters.entity) if filters.entity else None
    query = {
        k: v
        for k, v in {
            "outlet": filters.outlet,
            "entity": filters.entity,
            "since": filters.since,
            "until": filters.until,
            "leaning": filters.leaning,
            "only": filters.only,
            "sort": None if filters.sort == "latest" else filters.sort,
        }.items()
        if v
    }
    return render(
        request,
        "stories.html",
        cards=story_cards(store, stories_in_order(store, ids), directory),
        has_next=offset + PAGE_SIZE < matching,
        offset=offset,
        page_size=PAGE_SIZE,
        matching=matching,
        total=store.count_stories() if filters.any else matching,
        outlets=store.outlets(),
        entities=store.list_entities(limit=100),
        chosen_entity=chosen_entity,
        sorts=SORT_LABELS,
        filters={
            "outlet": filters.outlet or "",
            "entity": filters.entity or "",
            "since": filters.since or "",
            "until": filters.until or "",
            "leaning": filters.leaning or "",
            "only": filters.only or "",
            "sort": filters.sort,
        },
        filtered=filters.any,
        page_query=urlencode(query),
        feed_query=urlencode({k: v for k, v in query.items() if k != "sort"}),
    )


def _day(value: str | None) -> str | None:
    """Date inputs send "" when cleared; anything else must be YYYY-MM-DD."""
    if not value:
        return None
    if not re.match(ISO_DAY, value):
        raise HTTPException(422, f"{value[:40]!r} is not a date like 2025-03-04")
    return value


def exact_entity(entities: list[Entity], query: str) -> Entity | None:
    """The one entity whose name or alias is exactly what was typed (case aside); none if it is ambiguous."""
    want = query.strip().casefold()
    found = [e for e in entities if want in {n.casefold() for n in [e.name, *e.aliases]}]
    return found[0] if len(found) == 1 else None


@router.get("/search", response_class=HTMLResponse, response_model=None)
def search_page(
    request: Request, q: Annotated[str, Query(max_length=300)] = "", offset: Offset = 0, text: bool = False
) -> Response:
    store = store_of(request)
    q = q.strip()
    if not q:
        return RedirectResponse("/", status_code=303)
    entities = store.find_entities(q, limit=10)
    match = exact_entity(entities, q)
    if match is not None and offset == 0 and not text:
        # a name, in any of its spellings, leads straight to the one entity behind it
        return RedirectResponse(
            f"/entities/{quote(match.id, safe='')}?q={quote(q, safe='')}", status_code=303
        )
    hits = store.search_articles(q, limit=PAGE_SIZE + 1, offset=offset)
    story_ids = store.stories_of_articles(a.id for a, _ in hits)
    headlines = {
        s.id: s.headline
        for s in store.list_stories(limit=200, ids={x for v in story_ids.values() for x in v})
    }
    return render(
        request,
        "search.html",
        q=q,
        entities=entities,
        hits=hits[:PAGE_SIZE],
        offset=offset,
        has_next=len(hits) > PAGE_SIZE,
        page_size=PAGE_SIZE,
        story_ids=story_ids,
        headlines=headlines,
    )


@router.get("/stories/{story_id}", response_class=HTMLResponse)
async def story_page(request: Request, story_id: str) -> HTMLResponse:
    store = store_of(request)
    # the most read page: rendered once per revision of this story, not once per reader, and
    # kept while an ingest rewrites other stories (a hit costs one indexed read of the revision)
    body = await request.app.state.page_cache.get(
        ("story", story_id),
        store.story_revision(story_id),
        lambda: _render_story_page(request, store, story_id).body,
    )
    return HTMLResponse(body)


def _render_story_page(request: Request, store: Store, story_id: str) -> HTMLResponse:
    story = store.get_story(story_id)
    if story is None:
        raise HTTPException(404, f"no story with id {story_id!r}")
    view = story_cards(store, [story], api.directory_of(request))[0]

    def cite(article_id: str, sentence: int | None) -> str:
        """Link to the article's sentence that the claim, quote or summary sentence names by index."""
        return f"/articles/{quote(article_id, safe='')}" + (f"#s-{sentence}" if sentence is not None else "")

    # linked stories that still exist, in the story's order (closest first)
    found = (
        {r.id: r for r in store.list_stories(limit=len(story.related), ids=story.related)}
        if story.related
        else {}
    )
    related = [found[r] for r in story.related if r in found]
    return render(
        request,
        "story.html",
        v=view,
        s=story,
        cite=cite,
        quotes=quotes_by_speaker(story.quotes),
        timeline_note=timeline_note,
        timeline_date=timeline_date,
        related=related,
    )


@router.get("/articles/{article_id}", response_class=HTMLResponse)
def article_page(request: Request, article_id: str) -> HTMLResponse:
    store = store_of(request)
    article = store.get_article(article_id)
    if article is None:
        raise HTTPException(404, f"no article with id {article_id!r}")
    stories = store.list_stories(limit=50, ids=store.stories_of_article(article_id))
    spans = [(s.index, s.start, s.end) for a in store.load_analyses([article_id]) for s in a.sentences]
    return render(
        request,
        "article.html",
        a=article,
        paragraphs=numbered_paragraphs(article.text, spans),
        stories=stories,
        entities=article_entities(stories, article),
        safe_url=safe_url(article.url),
        duplicate=store.get_article(article.duplicate_of) if article.duplicate_of else None,
    )


def article_entities(stories: list[Story], article: Article) -> list[Entity]:
    """Entities its stories found in this article, most mentioned first."""
    seen: dict[str, Entity] = {}
    for s in stories:
        for e in s.entities:
            if article.id in e.articles:
                seen.setdefault(e.id, e)
    return sorted(seen.values(), key=lambda e: (-e.mentions, e.name))


def safe_url(url: str | None) -> str | None:
    """Only http(s) links are shown as links: an article's URL is untrusted (``javascript:``)."""
    return url if url and url.lower().startswith(("http://", "https://")) else None


@router.get("/entities", response_class=HTMLResponse)
def entities_page(
    request: Request, type: Annotated[str | None, Query(max_length=20)] = None, offset: Offset = 0
) -> HTMLResponse:
    found = store_of(request).list_entities(limit=100 + 1, offset=offset, type=blank(type))
    return render(
        request,
        "entities.html",
        entities=found[:100],
        has_next=len(found) > 100,
        offset=offset,
        type=type or "",
        page_size=100,
    )


@router.get("/entities/{entity_id}", response_class=HTMLResponse)
def entity_page(
    request: Request, entity_id: str, q: Annotated[str, Query(max_length=300)] = ""
) -> HTMLResponse:
    store = store_of(request)
    entity = store.get_entity(entity_id)
    if entity is None:
        raise HTTPException(404, f"no entity with id {entity_id!r}")
    directory = api.directory_of(request)
    ids, total = find_stories(store, StoryFilters(entity=entity_id), ENTITY_STORIES, 0, directory)
    quotes = merge_quotes([q_ for q_ in store.find_quotes(entity.name, limit=None) if q_.entity == entity_id])
    titles = {a.id: a for a in store.get_articles(a for q_ in quotes for a in q_.articles)}
    return render(
        request,
        "entity.html",
        e=entity,
        cards=story_cards(store, stories_in_order(store, ids), directory),
        story_total=total,
        quotes=quotes,
        articles=titles,
        searched=q.strip(),
    )


@router.get("/redoc", include_in_schema=False)
def redoc() -> RedirectResponse:
    """The API reference lives at /docs (Swagger UI, which reads OpenAPI 3.1)."""
    return RedirectResponse("/docs", status_code=308)


@router.get("/add", response_class=HTMLResponse)
def add_page(request: Request, job: Annotated[str | None, Query(max_length=40)] = None) -> HTMLResponse:
    found = request.app.state.jobs.get(job) if job else None
    return render(
        request,
        "add.html",
        job=found.to_json() if found else None,
        max_bytes=request.app.state.config.ingest.max_bytes,
    )


@router.post("/add", response_class=RedirectResponse)
async def add_submit(
    request: Request,
    urls: Annotated[str, Form(max_length=inputs.MAX_URLS * inputs.MAX_URL_CHARS)] = "",
    text: Annotated[str, Form(max_length=inputs.MAX_TEXT_CHARS)] = "",
    title: Annotated[str, Form(max_length=inputs.MAX_FIELD_CHARS)] = "",
    outlet: Annotated[str, Form(max_length=inputs.MAX_FIELD_CHARS)] = "",
    published: Annotated[str, Form(max_length=10)] = "",
    files: list[UploadFile] | None = None,
) -> RedirectResponse:
    """The Add form without JavaScript: start the job, then show its status on the Add page."""
    sub = await api.submission_from_form(request, urls, text, title, outlet, published, files)
    job = api.submit(request, sub)
    return RedirectResponse(f"/add?job={job.id}", status_code=303)
