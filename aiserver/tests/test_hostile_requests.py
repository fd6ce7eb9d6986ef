"""Requests built to break parsers get the API's JSON error shape, never a 500 (issue 18)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db

JSON_ENDPOINTS = [
    "/ai/file/embed",
    "/ai/ocr/extract",
    "/ai/search",
    "/ai/chat/rooms",
    "/ai/chat/tokens",
    "/ai/analysis/match",
    "/ai/analysis/rank",
    "/ai/interviews",
]


@pytest.mark.parametrize("url", JSON_ENDPOINTS)
@pytest.mark.parametrize("depth", [65, 100_000])
def test_deeply_nested_json_is_a_clear_400(api_client, url, depth):
    body = '{"user_id": ' + "[" * depth + "]" * depth + "}"
    response = api_client.generic("POST", url, body, content_type="application/json")
    assert response.status_code == 400, (url, response.content[:200])
    assert response.json()["error"]["code"] == "invalid_request"


def test_json_nested_within_the_limit_is_parsed(api_client):
    body = '{"query": "x", "user_id": "u", "k": 1, "extra": ' + "[" * 60 + "]" * 60 + "}"
    response = api_client.generic("POST", "/ai/search", body, content_type="application/json")
    assert response.status_code == 200, response.content[:200]


def test_brackets_inside_strings_do_not_count(api_client):
    body = '{"query": "' + "[" * 500 + '", "user_id": "u", "k": 1}'
    assert api_client.generic("POST", "/ai/search", body, content_type="application/json").status_code == 200


@pytest.mark.parametrize("field", ["type", "kind"])
def test_a_lone_surrogate_in_a_choice_field_is_a_json_400(api_client, field):
    url = "/ai/file/embed" if field == "type" else "/ai/chat/rooms"
    body = '{"' + field + '": "\\ud800", "user_id": "u", "document_id": "d", "text": "x"}'
    response = api_client.generic("POST", url, body, content_type="application/json")
    assert response.status_code == 400 and response["Content-Type"] == "application/json"
    assert field in response.json()["error"]["fields"]


@pytest.mark.parametrize("path", ["/ai/documents/a%00b", "/ai/documents/" + "x" * 300])
@pytest.mark.parametrize("method", ["get", "delete"])
def test_document_ids_no_document_can_have_are_not_found(api_client, path, method):
    response = getattr(api_client, method)(path)
    assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"


@pytest.mark.parametrize("path", ["/ai/nope", "/ai/documents/", "/ai/task/x/y"])
def test_unrouted_api_paths_answer_json_not_html(api_client, path):
    response = api_client.get(path)
    assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"


def test_a_wrong_method_answers_json(api_client):
    response = api_client.put("/ai/search", {}, content_type="application/json")
    assert response.status_code == 405 and response.json()["error"]["code"] == "invalid_request"


@pytest.mark.parametrize("path", ["/ai/chat/rooms/{room}/messages", "/ai/analysis", "/ai/interviews"])
@pytest.mark.parametrize("offset", ["9999999999999999999", "9223372036854775808", "-1"])
def test_an_offset_past_a_bigint_is_a_400_not_a_database_error(api_client, path, offset):
    """Found by schemathesis: Postgres refused OFFSET 9999999999999999999 (out of bigint range), a 500."""
    from chat.models import Room

    room = Room.objects.create(user_id="u1")
    response = api_client.get(path.format(room=room.id), {"user_id": "u1", "offset": offset})
    assert response.status_code == 400 and "offset" in response.json()["error"]["fields"], response.content
