"""The API's contract in `/ai/schema`: the error body every endpoint may answer, and which codes it documents.

Each view declares its success responses with a serializer and its errors with `errors(...)`: the
codes it may answer, grouped under their HTTP status (`aiserver.errors.HTTP_STATUS`), each code an
example of the one `Error` body. The test suite checks every response it gets against this
(`aiserver/tests/contract.py`), so a view cannot answer a status, a field or a code it does not document.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.utils import OpenApiExample, OpenApiResponse
from rest_framework import serializers

from aiserver.errors import HTTP_STATUS, ErrorCode

# Any endpoint may answer these: a missing or wrong token (401), a logged-in non-staff session (403),
# a bug (500, details only in the log), Redis or Postgres unreachable (503).
ALWAYS = (ErrorCode.UNAUTHORIZED, ErrorCode.FORBIDDEN, ErrorCode.INTERNAL_ERROR, ErrorCode.SERVICE_UNAVAILABLE)


class ErrorDetailSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="stable error code (README: Error codes); each has one HTTP status")
    message = serializers.CharField(help_text="for people; may change")
    fields = serializers.DictField(  # type: ignore[assignment]  # the error body's key, not Serializer.fields
        required=False, help_text="`invalid_request` from input validation: what is wrong with each field"
    )
    retry_after = serializers.IntegerField(
        required=False, min_value=1, help_text="`rate_limited`: seconds to wait, as the `Retry-After` header says"
    )


class ErrorSerializer(serializers.Serializer):
    error = ErrorDetailSerializer()

    class Meta:
        ref_name = "Error"


def errors(*codes: ErrorCode) -> dict[int, OpenApiResponse]:
    """The error responses of an endpoint: `codes` and ALWAYS, one response per HTTP status, each
    code named as an example (the contract test holds every error the suite sees to these)."""
    by_status: dict[int, list[ErrorCode]] = defaultdict(list)
    for code in dict.fromkeys((*codes, *ALWAYS)):
        by_status[HTTP_STATUS[code]].append(code)
    return {
        status: OpenApiResponse(
            ErrorSerializer,
            description="Error codes: " + ", ".join(f"`{code}`" for code in found),
            examples=[OpenApiExample(str(code), value=_example(code), response_only=True) for code in found],
        )
        for status, found in sorted(by_status.items())
    }


def documented_codes(response: dict[str, Any]) -> set[str]:
    """The error codes an OpenAPI response object (as `errors` made it) names."""
    examples = response.get("content", {}).get("application/json", {}).get("examples", {})
    return {example["value"]["error"]["code"] for example in examples.values()}


def _example(code: ErrorCode) -> dict[str, Any]:
    if code == ErrorCode.INVALID_REQUEST:
        fields = {"user_id": ["This field is required."]}
        return {"error": {"code": str(code), "message": "The request is invalid.", "fields": fields}}
    if code == ErrorCode.RATE_LIMITED:
        message = "Too many requests for this user; try again in 42 s."
        return {"error": {"code": str(code), "message": message, "retry_after": 42}}
    return {"error": {"code": str(code), "message": str(code).replace("_", " ").capitalize() + "."}}


# Plain (non-DRF) Django views that answer API routes, such as the async task poll, are described by
# a DRF view class that only carries their schema; this hook puts them in /ai/schema.
def described_by(schema_view: type) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Mark a plain Django view: `schema_view` (a DRF APIView whose methods carry @extend_schema) is
    what /ai/schema says about it."""

    def mark(view: Callable[..., Any]) -> Callable[..., Any]:
        view.schema_view = schema_view  # type: ignore[attr-defined]
        return view

    return mark


def add_plain_views(endpoints: list[tuple[Any, ...]], **kwargs: Any) -> list[tuple[Any, ...]]:
    """drf-spectacular preprocessing hook: the endpoints of views marked with `described_by`."""
    from django.urls import URLPattern, get_resolver
    from drf_spectacular.generators import EndpointEnumerator

    enumerator = EndpointEnumerator()
    for pattern in get_resolver().url_patterns:
        schema_view = getattr(pattern, "callback", None) and getattr(pattern.callback, "schema_view", None)
        if not isinstance(pattern, URLPattern) or schema_view is None:
            continue
        callback = schema_view.as_view()
        path_regex = str(pattern.pattern)
        path = enumerator.get_path_from_regex(path_regex)
        endpoints.extend((path, path_regex, method, callback) for method in enumerator.get_allowed_methods(callback))
    return endpoints


def add_retry_after(result: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    """drf-spectacular postprocessing hook: every 429 that may be `rate_limited` documents its
    `Retry-After` header (drf-spectacular has no per-response headers in `errors(...)`'s terms)."""
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            response = operation.get("responses", {}).get("429") if isinstance(operation, dict) else None
            if response and str(ErrorCode.RATE_LIMITED) in documented_codes(response):
                response.setdefault("headers", {})["Retry-After"] = {
                    "schema": {"type": "integer", "minimum": 1},
                    "description": "with `rate_limited`: seconds to wait before trying again",
                }
    return result


class ServiceTokenScheme(OpenApiAuthenticationExtension):
    """`Authorization: Bearer <AI_SERVICE_TOKEN>` in /ai/schema (a generated client sends it)."""

    target_class = "aiserver.auth.ServiceTokenAuthentication"
    name = "serviceToken"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {"type": "http", "scheme": "bearer", "description": "the AI_SERVICE_TOKEN"}
