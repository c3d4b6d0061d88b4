"""REST API under ``/api/v1/``: the JSON contract's records, paginated, plus ingest jobs."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any, Literal

from fastapi import APIRouter, File, Form, HTTPException, Query, Request, UploadFile
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse, Response

from newsweave.model import Entity
from newsweave.outlets import Directory, load_directory
from newsweave.report.browse import (
    StoryFilters,
    article_detail,
    article_item,
    find_stories,
    outlet_item,
    story_items,
)
from newsweave.report.common import merge_quotes
from newsweave.report.coverage import coverage_of
from newsweave.report.export import Part, export_rows, to_csv
from newsweave.store import Store
from newsweave.web import inputs
from newsweave.web.jobs import Job, JobRunner
from newsweave.web.schemas import (
    ISO_DAY,
    MAX_LIMIT,
    MAX_OFFSET,
    ArticleDetail,
    ArticlePage,
    EntityDetail,
    EntityPage,
    ErrorResponse,
    IngestText,
    JobOut,
    OutletPage,
    QuotePage,
    SearchResult,
    StoryDetail,
    StoryPage,
)

_ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorResponse, "description": text}
    for code, text in (
        (400, "Bad request"),
        (404, "Not found"),
        (413, "Too large"),
        (422, "Invalid input"),
        (503, "The store cannot be used"),
    )
}
router = APIRouter(prefix="/api/v1", tags=["api"], responses=_ERRORS)

SEARCH_MAX_AGE = 10.0  # seconds a cached search answer may lag behind newly stored articles
Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="page size")]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET, description="items to skip")]
Day = Annotated[str | None, Query(pattern=ISO_DAY, description="YYYY-MM-DD")]
Name = Annotated[str | None, Query(max_length=300)]
LeaningName = Literal["left", "center", "right"]
SortName = Literal["latest", "outlets", "articles", "updated"]
ENTITY_STORIES = 20  # stories an entity's record lists; /stories?entity= pages through all


def store_of(request: Request) -> Store:
    store: Store = request.app.state.store  # Starlette's app state is untyped
    return store


def jobs_of(request: Request) -> JobRunner:
    jobs: JobRunner = request.app.state.jobs
    return jobs


def not_found(what: str, key: str) -> HTTPException:
    return HTTPException(404, f"no {what} with id {key!r}")


def directory_of(request: Request) -> Directory:
    """The outlets file in force (read again when it changes)."""
    return load_directory(request.app.state.config.ingest.outlets)


def story_filters(
    outlet: str | None,
    entity: str | None,
    since: str | None,
    until: str | None,
    leaning: str | None,
    only: str | None,
    sort: str,
) -> StoryFilters:
    try:
        return StoryFilters(
            outlet=outlet or None,
            entity=entity or None,
            since=since or None,
            until=until or None,
            leaning=leaning or None,
            only=only or None,
            sort=sort,
        )
    except ValueError as exc:
        raise HTTPException(422, str(exc)) from None


@router.get("/stories", response_model=StoryPage, summary="Stories: filtered, sorted and paged")
def list_stories(
    request: Request,
    limit: Limit = 20,
    offset: Offset = 0,
    outlet: Name = None,
    entity: Annotated[str | None, Query(max_length=300, description="entity id")] = None,
    since: Day = None,
    until: Day = None,
    leaning: Annotated[
        LeaningName | None, Query(description="covered by at least one outlet of this leaning")
    ] = None,
    only: Annotated[
        LeaningName | None, Query(description="covered by this leaning alone (a blindspot)")
    ] = None,
    sort: Annotated[
        SortName, Query(description="latest, most outlets, most articles, or last rebuilt")
    ] = "latest",
) -> dict[str, Any]:
    store, directory = store_of(request), directory_of(request)
    ids, total = find_stories(
        store, story_filters(outlet, entity, since, until, leaning, only, sort), limit, offset, directory
    )
    return {"total": total, "limit": limit, "offset": offset, "items": story_items(store, ids, directory)}


@router.get(
    "/stories/{story_id}", response_model=StoryDetail, summary="One story: the whole record and its articles"
)
def get_story(request: Request, story_id: str) -> dict[str, Any]:
    store, directory = store_of(request), directory_of(request)
    story = store.get_story(story_id)
    if story is None:
        raise not_found("story", story_id)
    articles = store.get_articles(story.articles)
    coverage = coverage_of(articles, directory=directory)
    record = {k: v for k, v in asdict(story).items() if k not in ("id", "headline", "articles")}
    return {
        **story_items(store, [story_id], directory)[0],
        **record,
        "articles": [article_item(a, directory) for a in articles],
        "coverage_outlets": {**coverage.sides, "unrated": coverage.unrated},
    }


@router.get(
    "/stories/{story_id}/export/{part}",
    summary="A story's claims, quotes or timeline as JSON or CSV",
    response_class=Response,
    responses={
        200: {
            "content": {"application/json": {}, "text/csv": {}},
            "description": "rows; CSV has a header row",
        }
    },
)
def export_story(
    request: Request,
    story_id: str,
    part: Part,
    format: Annotated[Literal["json", "csv"], Query(description="json or csv")] = "json",
) -> Response:
    story = store_of(request).get_story(story_id)
    if story is None:
        raise not_found("story", story_id)
    rows = export_rows(story, part)
    name = f"{_file_safe(story_id)}-{part}.{format}"
    headers = {"Content-Disposition": f'attachment; filename="{name}"'}
    if format == "csv":
        return Response(to_csv(rows, part), media_type="text/csv; charset=utf-8", headers=headers)
    return JSONResponse(rows, headers=headers)


def _file_safe(text: str) -> str:
    return "".join(c if c.isalnum() or c in "-_" else "_" for c in text)[:80] or "story"


@router.get("/articles", response_model=ArticlePage, summary="Articles, newest first")
def list_articles(
    request: Request, limit: Limit = 20, offset: Offset = 0, outlet: Name = None
) -> dict[str, Any]:
    store, directory = store_of(request), directory_of(request)
    items = [
        article_item(a, directory) for a in store.list_articles(limit=limit, offset=offset, outlet=outlet)
    ]
    total = store.count_articles(outlet=outlet)
    return {"total": total, "limit": limit, "offset": offset, "items": items}


@router.get("/articles/{article_id}", response_model=ArticleDetail, summary="One clean article")
def get_article(request: Request, article_id: str) -> dict[str, Any]:
    store = store_of(request)
    article = store.get_article(article_id)
    if article is None:
        raise not_found("article", article_id)
    return {**article_detail(article, directory_of(request)), "stories": store.stories_of_article(article_id)}


def entity_item(entity: Entity) -> dict[str, Any]:
    return {
        "id": entity.id,
        "name": entity.name,
        "type": entity.type,
        "aliases": entity.aliases,
        "mentions": entity.mentions,
        "article_count": len(entity.articles),
    }


@router.get("/entities", response_model=EntityPage, summary="People, organisations and places")
def list_entities(
    request: Request,
    limit: Limit = 50,
    offset: Offset = 0,
    type: Annotated[str | None, Query(max_length=20, description="PERSON, ORG, GPE, ...")] = None,
    name: Annotated[str | None, Query(max_length=300, description="name or any alias contains this")] = None,
) -> dict[str, Any]:
    store = store_of(request)
    if name:
        found = [e for e in store.find_entities(name, limit=MAX_OFFSET) if not type or e.type == type]
        items, total = found[offset : offset + limit], len(found)
    else:
        items, total = store.list_entities(limit=limit, offset=offset, type=type), store.count_entities(type)
    return {"total": total, "limit": limit, "offset": offset, "items": [entity_item(e) for e in items]}


@router.get(
    "/entities/{entity_id}", response_model=EntityDetail, summary="One entity: aliases, stories, quotes"
)
def get_entity(request: Request, entity_id: str) -> dict[str, Any]:
    store, directory = store_of(request), directory_of(request)
    entity = store.get_entity(entity_id)
    if entity is None:
        raise not_found("entity", entity_id)
    ids, total = find_stories(store, StoryFilters(entity=entity_id), ENTITY_STORIES, 0, directory)
    quotes = [q for q in store.find_quotes(entity.name, limit=None) if q.entity == entity_id]
    return {
        **entity_item(entity),
        "articles": entity.articles,
        "story_count": total,
        "stories": story_items(store, ids, directory),
        "quotes": merge_quotes(quotes),
    }


@router.get("/quotes", response_model=QuotePage, summary="Who said what, across all stories")
def list_quotes(
    request: Request, speaker: Name = None, limit: Limit = 50, offset: Offset = 0
) -> dict[str, Any]:
    items, total = store_of(request).quotes_page(speaker, limit=limit, offset=offset)
    return {"total": total, "limit": limit, "offset": offset, "items": items}


@router.get("/outlets", response_model=OutletPage, summary="Outlets: article counts, leaning and kind")
def list_outlets(request: Request, limit: Limit = 50, offset: Offset = 0) -> dict[str, Any]:
    store, directory = store_of(request), directory_of(request)
    every = store.outlets()
    page = every[offset : offset + limit]
    items = [
        outlet_item(name, n, next(iter(store.list_articles(limit=1, outlet=name)), None), directory)
        for name, n in page
    ]
    return {"total": len(every), "limit": limit, "offset": offset, "items": items}


@router.get("/search", response_model=SearchResult, summary="Full-text search over articles, and names")
async def search(
    request: Request,
    q: Annotated[str, Query(min_length=1, max_length=300)],
    limit: Limit = 20,
    offset: Offset = 0,
) -> Response:
    store, directory = store_of(request), directory_of(request)
    # a query many readers run (a name in the news) is answered once per few seconds
    body = await request.app.state.page_cache.get(
        ("search", q, limit, offset),
        store.stories_revision(),
        lambda: (
            SearchResult.model_validate(jsonable_encoder(_search(store, q, limit, offset, directory)))
            .model_dump_json()
            .encode()
        ),
        max_age=SEARCH_MAX_AGE,
    )
    return Response(body, media_type="application/json")


def _search(store: Store, q: str, limit: int, offset: int, directory: Directory) -> dict[str, Any]:
    found = store.search_articles(q, limit=limit, offset=offset)
    stories_of = store.stories_of_articles(a.id for a, _ in found)
    hits = [
        {"article": article_item(a, directory), "snippet": snippet, "stories": stories_of[a.id]}
        for a, snippet in found
    ]
    entities = [entity_item(e) for e in store.find_entities(q, limit=10)] if offset == 0 else []
    return {
        "query": q,
        "total": store.count_search(q),
        "limit": limit,
        "offset": offset,
        "entities": entities,
        "items": hits,
    }


def submit(request: Request, sub: inputs.Submission) -> Job:
    if not (sub.urls or sub.text or sub.files):
        raise inputs.InputError("nothing to add: give a URL, paste a text or choose files", 400)
    folder, sources = inputs.write_sources(sub)
    return jobs_of(request).submit(sub.labels(), folder, sources)


def start_job(request: Request, sub: inputs.Submission) -> JSONResponse:
    job = submit(request, sub)
    return JSONResponse(job.to_json(), status_code=202, headers={"Location": f"/api/v1/jobs/{job.id}"})


@router.post("/ingest", status_code=202, response_model=JobOut, summary="Add URLs or a pasted article (JSON)")
def ingest_json(request: Request, body: IngestText) -> JSONResponse:
    sub = inputs.Submission(
        urls=inputs.split_urls(body.urls),
        text=inputs.check_text(body.text, "the pasted text", inputs.MAX_TEXT_CHARS),
        title=inputs.check_text(body.title, "the title", inputs.MAX_FIELD_CHARS),
        outlet=inputs.check_text(body.outlet, "the outlet", inputs.MAX_FIELD_CHARS),
        published=inputs.check_date(body.published),
    )
    return start_job(request, sub)


@router.post(
    "/ingest/upload",
    status_code=202,
    response_model=JobOut,
    summary="Add URLs, pasted text and uploaded files (multipart form)",
)
async def ingest_form(
    request: Request,
    urls: Annotated[str, Form(max_length=inputs.MAX_URLS * inputs.MAX_URL_CHARS)] = "",
    text: Annotated[str, Form(max_length=inputs.MAX_TEXT_CHARS)] = "",
    title: Annotated[str, Form(max_length=inputs.MAX_FIELD_CHARS)] = "",
    outlet: Annotated[str, Form(max_length=inputs.MAX_FIELD_CHARS)] = "",
    published: Annotated[str, Form(max_length=10)] = "",
    files: Annotated[
        list[UploadFile] | None, File(description="articles: text, HTML, JSONL, RSS/Atom")
    ] = None,
) -> JSONResponse:
    sub = await submission_from_form(request, urls, text, title, outlet, published, files)
    return start_job(request, sub)


async def submission_from_form(
    request: Request,
    urls: str,
    text: str,
    title: str,
    outlet: str,
    published: str,
    files: list[UploadFile] | None,
) -> inputs.Submission:
    return inputs.Submission(
        urls=inputs.split_urls(urls),
        text=inputs.check_text(text, "the pasted text", inputs.MAX_TEXT_CHARS),
        title=inputs.check_text(title, "the title", inputs.MAX_FIELD_CHARS),
        outlet=inputs.check_text(outlet, "the outlet", inputs.MAX_FIELD_CHARS),
        published=inputs.check_date(published),
        files=await read_uploads(files or [], request.app.state.config.ingest.max_bytes),
    )


async def read_uploads(files: list[UploadFile], max_bytes: int) -> list[tuple[str, bytes]]:
    """Uploaded files with safe names; one over the size limit refuses the whole request."""
    chosen = [f for f in files if f.filename]  # a browser sends one empty part when no file is chosen
    if len(chosen) > inputs.MAX_FILES:
        raise inputs.InputError(f"at most {inputs.MAX_FILES} files at a time ({len(chosen)} given)", 413)
    taken: set[str] = set()
    out = []
    for upload in chosen:
        data = await upload.read(max_bytes + 1)  # never read more than the limit into memory
        name = inputs.safe_name(upload.filename, taken)
        inputs.check_upload(name, data, max_bytes)
        out.append((name, data))
    return out


@router.get("/jobs/{job_id}", response_model=JobOut, summary="Progress and result of an ingest job")
def get_job(request: Request, job_id: str) -> dict[str, Any]:
    job = jobs_of(request).get(job_id)
    if job is None:
        raise not_found("job", job_id)
    return job.to_json()
