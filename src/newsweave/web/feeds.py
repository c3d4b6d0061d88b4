"""Atom feeds out: new and updated stories of the whole store, of a search, and of an entity."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import Response

from newsweave.report.browse import StoryFilters, find_stories, story_items
from newsweave.report.feeds import FEED_SIZE, stories_feed
from newsweave.store import Store
from newsweave.web import api

router = APIRouter(include_in_schema=False)
ATOM = "application/atom+xml; charset=utf-8"
SEARCH_ARTICLES = 200  # articles of a search whose stories the feed follows


def _feed(request: Request, store: Store, title: str, ids: list[str]) -> Response:
    directory = api.directory_of(request)
    items = sorted(story_items(store, ids, directory), key=lambda i: i["updated"], reverse=True)[:FEED_SIZE]
    stories = {s.id: s for s in store.list_stories(limit=max(len(items), 1), ids=[i["id"] for i in items])}
    site = str(request.base_url).rstrip("/")
    return Response(stories_feed(title, str(request.url), site, items, stories), media_type=ATOM)


@router.get("/feeds/stories.atom")
def store_feed(
    request: Request,
    outlet: api.Name = None,
    entity: api.Name = None,
    leaning: Annotated[api.LeaningName | None, Query()] = None,
    only: Annotated[api.LeaningName | None, Query()] = None,
) -> Response:
    """The latest new or rebuilt stories, with the stories list's filters."""
    store = store_of(request)
    filters = api.story_filters(outlet, entity, None, None, leaning, only, "updated")
    ids, _ = find_stories(store, filters, FEED_SIZE, 0, api.directory_of(request))
    return _feed(request, store, "newsweave: latest stories", ids)


@router.get("/feeds/search.atom")
def search_feed(request: Request, q: Annotated[str, Query(min_length=1, max_length=300)]) -> Response:
    """Stories holding articles that match a full-text search."""
    store = store_of(request)
    found = store.search_articles(q, limit=SEARCH_ARTICLES)
    ids = list(
        dict.fromkeys(s for ids in store.stories_of_articles(a.id for a, _ in found).values() for s in ids)
    )
    return _feed(request, store, f"newsweave: stories matching “{q}”", ids)


@router.get("/feeds/entities/{entity_id}.atom")
def entity_feed(request: Request, entity_id: str) -> Response:
    """Stories that name one person, organisation or place."""
    store = store_of(request)
    entity = store.get_entity(entity_id)
    if entity is None:
        raise HTTPException(404, f"no entity with id {entity_id!r}")
    ids, _ = find_stories(
        store, StoryFilters(entity=entity_id, sort="updated"), FEED_SIZE, 0, api.directory_of(request)
    )
    return _feed(request, store, f"newsweave: {entity.name}", ids)


def store_of(request: Request) -> Store:
    store: Store = request.app.state.store  # Starlette's app state is untyped
    return store
