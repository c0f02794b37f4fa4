"""The job routes: submit a job, read its state and results page by page, cancel it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any, cast

import msgspec
from litestar import Request, Response, delete, get, post
from litestar.di import NamedDependency
from litestar.openapi.datastructures import ResponseSpec
from litestar.openapi.spec import OpenAPIMediaType, Operation, RequestBody, Schema
from litestar.params import PathParameter, QueryParameter
from redis.exceptions import RedisError

from service.api.decode import decode_jobs
from service.api.routes._openapi import JSON, inline_schema, problems
from service.api.schemas import JobAccepted, JobRequest, JobResponse
from service.errors import NotReadyError
from service.jobs import DEFAULT_PAGE, JobPage, JobService, job_path

__all__ = ["JOB_ROUTES"]

MAX_PAGE = 1_000
"""Most results one GET returns."""

_UNAVAILABLE = "the job queue (Redis) does not answer; retry shortly"


@dataclass
class _JobOperation(Operation):
    """OpenAPI operation whose body is a JobRequest."""

    def __post_init__(self) -> None:
        self.request_body = RequestBody(
            required=True,
            content={JSON: OpenAPIMediaType(schema=cast("Schema", inline_schema(JobRequest)))},
        )


def _view_responses(description: str) -> dict[int, ResponseSpec]:
    return {
        200: ResponseSpec(data_container=JobResponse, description=description, generate_examples=False),
        **problems(400, 401, 404, 429, 500, 503),
    }


@post(
    "/v1/jobs",
    operation_class=_JobOperation,
    status_code=202,
    summary="Enrich articles in the background, with an optional signed webhook when done",
    tags=["jobs"],
    responses={
        202: ResponseSpec(
            data_container=JobAccepted,
            description="The job is queued; `Location` is where to follow it.",
            generate_examples=False,
        ),
        **problems(400, 401, 413, 415, 422, 429, 500, 503),
    },
)
async def submit_job(request: Request[Any, Any, Any], jobs: NamedDependency[JobService]) -> Response[bytes]:
    """Queue 1 to MAX_JOB_ARTICLES articles; bad articles are reported per item in the results."""
    envelope = decode_jobs(await request.body(), request.headers.get("content-type", ""))
    metadata = None if envelope.metadata is None else msgspec.json.encode(envelope.metadata)
    try:
        body = await jobs.submit([bytes(a) for a in envelope.articles], envelope.callback_url, metadata)
    except RedisError as exc:
        raise NotReadyError(_UNAVAILABLE) from exc
    job_id = msgspec.json.decode(body)["id"]
    return Response(content=body, status_code=202, media_type=JSON, headers={"Location": job_path(job_id)})


JobId = Annotated[str, PathParameter(max_length=64, description="The id POST /v1/jobs returned.")]
Offset = Annotated[int, QueryParameter(ge=0, description="First result to return (article index).")]
Limit = Annotated[int, QueryParameter(ge=1, le=MAX_PAGE, description="Results per page.")]


@get(
    "/v1/jobs/{job_id:str}",
    summary="A job's state and a page of its results, in article order",
    tags=["jobs"],
    responses=_view_responses("The job; `next` links the next page of results."),
)
async def read_job(
    job_id: JobId, jobs: NamedDependency[JobService], offset: Offset = 0, limit: Limit = DEFAULT_PAGE
) -> Response[bytes]:
    """The job's status, progress, metadata and results offset..offset+limit."""
    try:
        body = await jobs.view(job_id, JobPage(offset=offset, limit=limit))
    except RedisError as exc:
        raise NotReadyError(_UNAVAILABLE) from exc
    return Response(content=body, media_type=JSON)


@delete(
    "/v1/jobs/{job_id:str}",
    status_code=200,
    summary="Cancel a job (articles already enriched stay readable)",
    tags=["jobs"],
    responses=_view_responses("The job after cancellation; a finished job is left as it was."),
)
async def cancel_job(job_id: JobId, jobs: NamedDependency[JobService]) -> Response[bytes]:
    """Cancel a queued or running job; its webhook, if any, reports `cancelled`."""
    try:
        body = await jobs.cancel(job_id)
    except RedisError as exc:
        raise NotReadyError(_UNAVAILABLE) from exc
    return Response(content=body, media_type=JSON)


JOB_ROUTES = [submit_job, read_job, cancel_job]
