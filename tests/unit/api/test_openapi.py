"""The committed OpenAPI document is the one the app generates."""

from __future__ import annotations

import json
from pathlib import Path

from service.openapi import render

COMMITTED = Path(__file__).resolve().parents[3] / "openapi" / "openapi.json"


def test_committed_openapi_matches_the_app() -> None:
    """openapi/openapi.json equals the generated document (run `make openapi` after contract changes)."""
    assert json.loads(COMMITTED.read_text(encoding="utf-8")) == json.loads(render())


def test_request_bodies_are_documented() -> None:
    """Both POST routes document their JSON body, and /v1/enrich its text/plain and text/html forms."""
    document = json.loads(render())
    enrich = document["paths"]["/v1/enrich"]["post"]["requestBody"]["content"]
    batch = document["paths"]["/v1/enrich/batch"]["post"]["requestBody"]["content"]
    assert {"application/json", "text/plain", "text/html"} == set(enrich)
    assert {"text", "html"} <= set(enrich["application/json"]["schema"]["properties"])
    assert batch["application/json"]["schema"]["properties"]["articles"]["minItems"] == 1


def test_every_error_status_is_a_problem() -> None:
    """Error responses of the enrich routes are documented as application/problem+json Problems."""
    document = json.loads(render())
    for path in ("/v1/enrich", "/v1/enrich/batch"):
        responses = document["paths"][path]["post"]["responses"]
        for status, response in responses.items():
            if int(status) >= 400:
                assert list(response["content"]) == ["application/problem+json"]
