"""The API contract, checked on every response the test suite gets: `/ai/schema` must describe it.

`conftest.py` wraps Django's test clients for the whole suite, so every API test is a contract test
too. A response to an `/ai/` path fails its test when:

- its route is not in the schema (unless NOT_API names it, with the reason);
- its status code is not documented for that route and method (a method the route does not have
  may only answer 401, 403 or 405, in the error shape; an unrouted path only 404 `not_found`);
- its body does not validate against the documented schema. Objects are closed for this check: a
  field the schema does not declare fails as surely as a declared one that is missing;
- it is an error whose `code` is not one the operation documents for that status (`errors(...)` in
  aiserver/schema.py).

The schema is generated once per session, as `/ai/schema` serves it.
"""

from __future__ import annotations

import json
import re
from functools import cache
from typing import Any

# Routes under /ai/ that are not API endpoints, and why.
NOT_API = {
    "/ai/schema": "the OpenAPI document itself",
    "/ai/docs": "Swagger UI: an HTML page for people",
}
# What a route may answer to a method it does not have (DRF authenticates before it dispatches).
WRONG_METHOD_STATUSES = {401, 403, 405}
METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


class ContractViolation(AssertionError):
    pass


@cache
def schema() -> dict[str, Any]:
    """The OpenAPI document `/ai/schema` serves, as JSON types."""
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.renderers import OpenApiJsonRenderer

    generated = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(OpenApiJsonRenderer().render(generated, renderer_context={}))


def schema_path(route: str) -> str:
    """A Django route (`ai/documents/<str:document_id>`) as an OpenAPI path (`/ai/documents/{document_id}`)."""
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route)


def route_of(path_info: str) -> str | None:
    from django.urls import Resolver404, resolve

    try:
        return schema_path(resolve(path_info).route)
    except Resolver404:
        return None


def check(method: str, path_info: str, status: int, content_type: str, content: bytes) -> None:
    """Raise ContractViolation when this response to an /ai/ path is not what the schema says."""
    if not path_info.startswith("/ai/"):
        return
    where = f"{method} {path_info} -> {status}"
    route = route_of(path_info)
    if route in NOT_API:
        return
    if route is None:
        _expect_error(where, status, content_type, content, statuses={404}, codes={"not_found"})
        return
    operations = schema()["paths"].get(route)
    if operations is None:
        raise ContractViolation(f"{where}: route {route} is not in /ai/schema")
    operation = operations.get(method.lower())
    if operation is None:
        _expect_error(where, status, content_type, content, statuses=WRONG_METHOD_STATUSES, codes=None)
        return
    response = operation["responses"].get(str(status))
    if response is None:
        documented = ", ".join(operation["responses"])
        raise ContractViolation(f"{where}: status {status} is not documented for {method} {route} ({documented})")
    body = _body(where, response, content_type, content)
    if body is None:
        return
    errors = list(_validator(route, method.lower(), str(status)).iter_errors(body))
    if errors:
        detail = "; ".join(f"{'/'.join(map(str, e.absolute_path)) or '(body)'}: {e.message}" for e in errors[:5])
        raise ContractViolation(f"{where}: the body does not match /ai/schema: {detail}\n{content[:500]!r}")
    if status >= 400:
        from aiserver.schema import documented_codes

        code = body["error"]["code"]
        if code not in (documented := documented_codes(response)):
            raise ContractViolation(f"{where}: error code {code!r} is not documented here ({sorted(documented)})")


def _body(where: str, response: dict[str, Any], content_type: str, content: bytes) -> Any:
    """The parsed JSON body, or None for a documented empty one."""
    media = response.get("content")
    if not media:
        if content:
            raise ContractViolation(f"{where}: documented without a body, answered {content[:200]!r}")
        return None
    if content_type.split(";")[0].strip() not in media:
        raise ContractViolation(f"{where}: answered {content_type!r}, documented {sorted(media)}")
    try:
        return json.loads(content)
    except ValueError as exc:
        raise ContractViolation(f"{where}: the body is not JSON: {content[:200]!r}") from exc


def _expect_error(
    where: str, status: int, content_type: str, content: bytes, *, statuses: set[int], codes: set[str] | None
) -> None:
    if status not in statuses:
        raise ContractViolation(f"{where}: expected one of {sorted(statuses)} here")
    error = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
    body = _body(where, error, content_type, content)
    problems = [e.message for e in _schema_validator(json.dumps(error["content"]["application/json"]["schema"]))
                .iter_errors(body)]  # fmt: skip
    if problems:
        raise ContractViolation(f"{where}: not the API's error shape: {problems[:3]}")
    if codes is not None and body["error"]["code"] not in codes:
        raise ContractViolation(f"{where}: error code {body['error']['code']!r}, expected one of {sorted(codes)}")


@cache
def _validator(route: str, method: str, status: str) -> Any:
    response = schema()["paths"][route][method]["responses"][status]
    return _schema_validator(json.dumps(response["content"]["application/json"]["schema"]))


@cache
def _schema_validator(response_schema: str) -> Any:
    """A validator for one response schema, its `$ref`s resolved in the (closed) components."""
    from openapi_schema_validator import OAS30ReadValidator

    components = {"schemas": {name: _closed(s) for name, s in schema()["components"]["schemas"].items()}}
    return OAS30ReadValidator({**_closed(json.loads(response_schema)), "components": components})


def _closed(node: Any) -> Any:
    """The schema with every object that lists its properties closed to others (the generator leaves
    them open, and an open object lets an undocumented field through unnoticed).

    A nullable reference (`allOf: [$ref], nullable: true`, as drf-spectacular writes a nullable nested
    serializer) becomes `anyOf: [$ref, null]`: OpenAPI 3.0 validators apply `nullable` only next to `type`.
    """
    if isinstance(node, list):
        return [_closed(item) for item in node]
    if not isinstance(node, dict):
        return node
    closed = {key: _closed(value) for key, value in node.items()}
    if closed.get("type") == "object" and "properties" in node and "additionalProperties" not in node:
        closed["additionalProperties"] = False
    if closed.get("nullable") and "type" not in closed:
        del closed["nullable"]
        closed = {"anyOf": [closed, {"enum": [None]}]}
    return closed


def wrap_test_clients(monkeypatch: Any) -> None:
    """Check every response of django.test.Client and AsyncClient (and their subclasses) for this test."""
    from django.test import AsyncClient, Client

    def checked(request: dict[str, Any], response: Any) -> Any:
        check(
            request["REQUEST_METHOD"],
            request["PATH_INFO"],
            response.status_code,
            response.get("Content-Type", ""),
            b"" if getattr(response, "streaming", False) else response.content,
        )
        return response

    sync_request, async_request = Client.request, AsyncClient.request

    def request(self: Client, **request: Any) -> Any:
        return checked(request, sync_request(self, **request))

    async def arequest(self: AsyncClient, **request: Any) -> Any:
        return checked(request, await async_request(self, **request))

    monkeypatch.setattr(Client, "request", request)
    monkeypatch.setattr(AsyncClient, "request", arequest)
