"""Response shapes of the REST API; stories, entities and quotes are the model's own records."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from newsweave.model import Entity, Story, StoryQuote

# Bounds shared by every list endpoint; the offset bound keeps SQLite's integers in range.
MAX_LIMIT = 200
MAX_OFFSET = 1_000_000
ISO_DAY = r"^\d{4}-\d{2}-\d{2}$"


class ErrorBody(BaseModel):
    status: int
    message: str
    details: list[Any] | None = None


class ErrorResponse(BaseModel):
    error: ErrorBody


class ArticleOut(BaseModel):
    """An article as the ``newsweave.digest/1`` contract shows it."""

    id: str
    path: str | None = None
    url: str | None = None
    title: str
    outlet: str | None = None
    published: str | None = None
    language: str = "en"
    text: str
    removed: list[str] = Field(default_factory=list)
    attributed_to: list[str] = Field(default_factory=list)
    duplicate_of: str | None = None
    flags: list[str] = Field(default_factory=list)


class ArticleDetail(ArticleOut):
    stories: list[str] = Field(default_factory=list, description="ids of the stories the article belongs to")


class StoryDetail(BaseModel):
    story: Story
    articles: list[ArticleOut]


class EntityDetail(BaseModel):
    entity: Entity
    stories: list[str] = Field(default_factory=list)
    quotes: list[StoryQuote] = Field(default_factory=list)


class StoryPage(BaseModel):
    total: int | None = Field(None, description="all stories in the store when unfiltered, else null")
    limit: int
    offset: int
    items: list[Story]


class ArticlePage(BaseModel):
    total: int | None = None
    limit: int
    offset: int
    items: list[ArticleOut]


class EntityPage(BaseModel):
    limit: int
    offset: int
    items: list[Entity]


class QuoteList(BaseModel):
    items: list[StoryQuote]


class SearchHit(BaseModel):
    article: ArticleOut
    snippet: str
    stories: list[str] = Field(default_factory=list)


class SearchResult(BaseModel):
    query: str
    limit: int
    offset: int
    entities: list[Entity]
    items: list[SearchHit]


class OutletCount(BaseModel):
    outlet: str
    articles: int


class IngestText(BaseModel):
    """A JSON ingest request: URLs (pages or feeds) and/or one pasted article."""

    urls: list[str] = Field(default_factory=list, max_length=20)
    text: str | None = Field(None, max_length=200_000)
    title: str | None = Field(None, max_length=300)
    outlet: str | None = Field(None, max_length=300)
    published: str | None = Field(None, pattern=ISO_DAY)


class JobOut(BaseModel):
    id: str
    status: str
    stage: str
    stage_label: str
    done: int
    total: int
    message: str
    created: str
    inputs: list[str]
    articles: list[dict[str, str]]
    stories: list[dict[str, str]]
    errors: list[dict[str, str]]
