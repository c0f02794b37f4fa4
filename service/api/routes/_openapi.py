"""OpenAPI helpers shared by the routes: documented problem responses and inlined request schemas."""

from __future__ import annotations

from typing import Any

import msgspec
from litestar.openapi.datastructures import ResponseSpec

from service.api.problems import PROBLEM_MEDIA_TYPE
from service.api.schemas import Problem

__all__ = ["JSON", "inline_schema", "problems"]

JSON = "application/json"


def problems(*statuses: int) -> dict[int, ResponseSpec]:
    return {
        status: ResponseSpec(
            data_container=Problem,
            media_type=PROBLEM_MEDIA_TYPE,
            description="RFC 9457 problem; `code` is stable.",
            generate_examples=False,
        )
        for status in statuses
    }


def inline_schema(struct: type[msgspec.Struct]) -> dict[str, Any]:
    """JSON Schema of a request Struct with its references inlined (request types are not recursive).

    Handlers decode bodies themselves to give exact error codes, so Litestar never sees these
    types; msgspec's own schema documents them.
    """
    _, components = msgspec.json.schema_components([struct], ref_template="#/{name}")

    def inline(node: object) -> object:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str):
                return inline(components[ref.removeprefix("#/")])
            return {key: inline(value) for key, value in node.items()}
        if isinstance(node, list):
            return [inline(value) for value in node]
        return node

    schema = inline(components[struct.__name__])
    assert isinstance(schema, dict)
    return schema
