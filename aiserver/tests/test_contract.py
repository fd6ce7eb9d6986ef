"""/ai/schema describes every API route, and what each can answer (issue 17).

Every response the rest of the suite gets from /ai/ is validated against the schema by the autouse
`api_contract` fixture (conftest.py, aiserver/tests/contract.py). These tests check the schema
itself, and that the checker catches what it is there to catch.
"""

from __future__ import annotations

import ast
import inspect
import json
import textwrap
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.core.management import call_command
from django.urls import URLPattern, URLResolver, get_resolver

from aiserver.errors import HTTP_STATUS, ErrorCode
from aiserver.schema import ALWAYS, documented_codes
from aiserver.tests import contract

PROJECT = {"aiserver", "documents", "tasks", "chat", "analysis"}
METHODS = {"get", "post", "put", "patch", "delete"}
RAISERS = {"DomainError", "TransientError", "error_json"}


def api_routes() -> Iterator[tuple[str, Any]]:
    """(OpenAPI path, view) of every URL pattern under /ai/, through every include."""

    def walk(patterns: list[Any], prefix: str) -> Iterator[tuple[str, Any]]:
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, route)
            elif isinstance(pattern, URLPattern) and route.startswith("ai/"):
                yield contract.schema_path(route), pattern.callback

    yield from walk(get_resolver().url_patterns, "")


def view_methods(view: Any) -> set[str]:
    """The methods a route answers (other than OPTIONS and HEAD)."""
    cls = getattr(view, "cls", None) or getattr(view, "schema_view", None)
    assert cls is not None, f"{view} is neither a DRF view nor marked with aiserver.schema.described_by"
    return {m for m in cls.http_method_names if m in METHODS and hasattr(cls, m)}


def test_every_api_route_and_method_is_in_the_schema():
    paths = contract.schema()["paths"]
    routed = set()
    for path, view in api_routes():
        if path in contract.NOT_API:
            continue
        routed.add(path)
        assert path in paths, f"{path} is routed but missing from /ai/schema"
        assert set(paths[path]) == view_methods(view), path
    assert set(paths) == routed, "the schema names routes that do not exist"
    assert routed >= {"/ai/task/{task_id}", "/ai/documents/{document_id}", "/ai/search", "/ai/file/embed"}


def test_the_schema_generates_without_warnings_and_validates(tmp_path):
    """The management command a client generator runs (`manage.py spectacular --file`): no guessed
    serializer, no colliding operation id or enum name, and valid OpenAPI 3."""
    out = tmp_path / "schema.json"
    call_command("spectacular", "--fail-on-warn", "--validate", "--format", "openapi-json", "--file", str(out))
    assert json.loads(out.read_text())["paths"].keys() == contract.schema()["paths"].keys()


def operations() -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, item in contract.schema()["paths"].items():
        for method, operation in item.items():
            yield path, method, operation


def test_every_operation_documents_its_body_and_errors():
    for path, method, operation in operations():
        where = f"{method} {path}"
        responses = operation["responses"]
        success = [int(s) for s in responses if int(s) < 400]
        assert success, f"{where}: no success response"
        for status in success:
            media = responses[str(status)].get("content", {})
            if status == 204:
                assert not media, where
            else:
                body = media["application/json"]["schema"]
                assert body.get("$ref") or body.get("properties"), f"{where} {status}: a free-form body"
        errors = {int(s): documented_codes(r) for s, r in responses.items() if int(s) >= 400}
        for code in ALWAYS:
            assert str(code) in errors.get(HTTP_STATUS[code], set()), f"{where}: {code} not documented"
        for status, codes in errors.items():
            assert responses[str(status)]["content"]["application/json"]["schema"] == {
                "$ref": "#/components/schemas/Error"
            }, where
            assert codes, f"{where} {status}: an error response without its codes"
            for code in codes:
                assert HTTP_STATUS[ErrorCode(code)] == status, f"{where}: {code} is documented under {status}"


def raised_codes(func: Callable[..., Any], seen: set[Any] | None = None) -> set[str]:
    """The error codes `func` names where it raises or answers one (`DomainError(ErrorCode.X, …)`,
    `TransientError`, `error_json`), and so, transitively, do the project's functions it calls by name.

    A static under-estimate: methods called on objects (a provider's `embed_query`, Chroma's client)
    are not followed, so operations document those codes by hand; the contract check sees the rest.
    """
    seen = set() if seen is None else seen
    func = inspect.unwrap(func)
    if not inspect.isfunction(func) or func in seen or func.__module__.split(".")[0] not in PROJECT:
        return set()
    seen.add(func)
    codes: set[str] = set()
    for node in ast.walk(ast.parse(textwrap.dedent(inspect.getsource(func)))):
        if isinstance(node, ast.Call):
            callee = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
            first = node.args[0] if node.args else None
            if callee in RAISERS and isinstance(first, ast.Attribute) and getattr(first.value, "id", "") == "ErrorCode":
                codes.add(ErrorCode[first.attr].value)
        # Every function named is followed, called or passed on (`async_to_sync(answer_once)(…)`).
        target = _resolve(node, func.__globals__) if isinstance(node, ast.Name | ast.Attribute) else None
        if target is not None:
            codes |= raised_codes(target, seen)
    return codes


def _resolve(node: ast.expr, names: dict[str, Any]) -> Any:
    if isinstance(node, ast.Name):
        return names.get(node.id)
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
        owner = names.get(node.value.id)
        if inspect.ismodule(owner):
            return getattr(owner, node.attr, None)
    return None


def view_function(view: Any) -> Callable[..., Any]:
    """The function behind a route: a DRF @api_view's own function, or the plain view."""
    cls = getattr(view, "cls", None)
    if cls is None:
        return view
    handler = getattr(cls, next(iter(view_methods(view))))
    return next(c.cell_contents for c in handler.__closure__ if inspect.isfunction(c.cell_contents))


def test_each_view_documents_the_codes_it_raises():
    """The codes a view's code raises (statically, through the project's functions) are all in its
    schema, under their own status; the contract fixture checks the codes the suite really gets."""
    paths = contract.schema()["paths"]
    missing = {}
    for path, view in api_routes():
        if path in contract.NOT_API:
            continue
        documented = {c for op in paths[path].values() for r in op["responses"].values() for c in documented_codes(r)}
        raised = raised_codes(view_function(view))
        if raised - documented:
            missing[path] = sorted(raised - documented)
    assert not missing


def test_the_static_reading_finds_codes_through_calls():
    """The check above is only worth something if it follows calls: these are known to raise."""
    from chat import views as chat_views
    from documents import views as documents_views
    from tasks import views as tasks_views

    assert {"file_too_large", "document_owner_mismatch"} <= raised_codes(view_function(documents_views.ocr_extract))
    assert {"not_found"} <= raised_codes(tasks_views.task_status)
    messages = view_function(chat_views.room_messages)
    assert {"not_found", "duplicate_message", "message_too_large"} <= raised_codes(messages)


# The checker itself: each thing it is there to catch is caught.
ROOM = "/ai/chat/rooms/6f1c1f44-8f64-4b0e-a3a4-1f0c7bd0a0b5"
ROOM_BODY = {
    "room_id": "6f1c1f44-8f64-4b0e-a3a4-1f0c7bd0a0b5",
    "user_id": "u",
    "title": "",
    "kind": "general",
    "document_ids": [],
    "created_at": "2026-01-01T00:00:00Z",
    "updated_at": "2026-01-01T00:00:00Z",
}
JSON = "application/json"


def answer(method: str, path: str, status: int, body: Any, content_type: str = JSON) -> None:
    contract.check(method, path, status, content_type, b"" if body is None else json.dumps(body).encode())


def error(code: str) -> dict[str, Any]:
    return {"error": {"code": code, "message": "m"}}


def test_the_checker_passes_what_the_schema_says():
    answer("GET", ROOM, 200, ROOM_BODY)
    answer("GET", ROOM, 404, error("not_found"))
    answer("DELETE", ROOM, 204, None)
    answer("PUT", ROOM, 405, error("invalid_request"))
    answer("GET", "/ai/nowhere", 404, error("not_found"))
    answer("GET", "/ai/schema", 200, {"openapi": "3.0.3"}, "application/vnd.oai.openapi")
    answer("GET", "/healthz", 503, {"anything": True})  # not an API route
    answer("GET", "/readyz", 503, {"anything": True})  # not an API route either (aiserver/health.py)


@pytest.mark.parametrize(
    ("method", "path", "status", "body", "complaint"),
    [
        ("GET", ROOM, 200, {**ROOM_BODY, "secret": 1}, "Additional properties"),
        ("GET", ROOM, 200, {k: v for k, v in ROOM_BODY.items() if k != "title"}, "'title' is a required property"),
        ("GET", ROOM, 200, {**ROOM_BODY, "kind": "karaoke"}, "is not one of"),
        ("GET", ROOM, 409, error("superseded"), "status 409 is not documented"),
        ("GET", ROOM, 404, error("no_such_room"), "error code 'no_such_room' is not documented"),
        ("GET", ROOM, 404, {"detail": "Not found."}, "does not match"),
        ("DELETE", ROOM, 204, {"deleted": True}, "documented without a body"),
        ("PUT", ROOM, 200, {}, "expected one of [401, 403, 405]"),
        ("GET", "/ai/nowhere", 404, {"detail": "Not found."}, "not the API's error shape"),
        ("GET", "/ai/nowhere", 200, {}, "expected one of [404]"),
    ],
)
def test_the_checker_refuses_what_the_schema_does_not_say(method, path, status, body, complaint):
    with pytest.raises(contract.ContractViolation, match=complaint.replace("[", r"\[").replace("]", r"\]")):
        answer(method, path, status, body)


def test_the_checker_refuses_html_where_json_is_documented():
    with pytest.raises(contract.ContractViolation, match="answered 'text/html'"):
        contract.check("GET", ROOM, 404, "text/html", b"<h1>Not Found</h1>")


@pytest.mark.django_db
def test_the_suite_s_test_clients_are_checked(api_client, monkeypatch):
    """The autouse fixture is on: a view answering an undocumented field fails the test that called it."""
    from chat import views as chat_views

    monkeypatch.setattr(chat_views.services, "user_context", lambda user_id: {"user_id": user_id, "extra": 1})
    with pytest.raises(contract.ContractViolation, match="does not match /ai/schema"):
        api_client.get("/ai/chat/users/u1/context")
