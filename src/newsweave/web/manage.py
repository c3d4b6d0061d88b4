"""Changes to what is stored, besides adding: removing an article (its story is rebuilt)."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import JSONResponse

from newsweave.web.schemas import ErrorResponse, JobOut

router = APIRouter(
    prefix="/api/v1",
    tags=["api"],
    responses={
        code: {"model": ErrorResponse, "description": text}
        for code, text in ((401, "The token is missing"), (403, "Cross-site write"), (404, "Not found"))
    },
)


@router.delete(
    "/articles/{article_id}",
    status_code=202,
    response_model=JobOut,
    summary="Remove an article; the story it was in is rebuilt without it",
)
def delete_article(request: Request, article_id: str) -> JSONResponse:
    if request.app.state.store.get_article(article_id) is None:
        raise HTTPException(404, f"no article with id {article_id!r}")
    job = request.app.state.jobs.submit_removal([article_id])
    return JSONResponse(job.to_json(), status_code=202, headers={"Location": f"/api/v1/jobs/{job.id}"})
