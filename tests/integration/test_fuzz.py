"""Schemathesis against openapi/openapi.json: no 5xx but the documented 503s, responses match the schema."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
import uvicorn
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from service.app import create_app
from service.pipeline.chain import Pipeline
from tests.support import free_port

pytestmark = [pytest.mark.integration, pytest.mark.slow]

OPENAPI = Path(__file__).resolve().parents[2] / "openapi" / "openapi.json"
schema = schemathesis.openapi.from_path(OPENAPI)
# Bounded so the suite stays fast; `make bench` and a longer CLI run can go further.
MAX_EXAMPLES = 30


@pytest.fixture(scope="module")
def live_server(pipeline: Pipeline, redis_url: str) -> Iterator[str]:
    """The app on a free port in a background thread, sharing the session's model."""
    from service.settings import Settings  # noqa: PLC0415

    port = free_port()
    app = create_app(Settings.from_env({"REDIS_URL": redis_url, "LOG_LEVEL": "WARNING"}), pipeline=pipeline)
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_config=None, access_log=False)
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline:
            pytest.fail("fuzz server did not start")
        time.sleep(0.02)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=15)


def _no_unexpected_server_error(ctx, response, case) -> bool | None:
    """Any 5xx other than the documented 503 refusals is a bug."""
    if response.status_code == 503:
        return None
    return not_a_server_error(ctx, response, case)


@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_honours_its_schema(case, live_server: str) -> None:
    """Generated requests never get an undocumented 5xx; statuses, content types and bodies match the spec."""
    case.call_and_validate(
        base_url=live_server,
        checks=[
            _no_unexpected_server_error,
            status_code_conformance,
            content_type_conformance,
            response_schema_conformance,
        ],
    )
