"""Maps domain errors and DRF errors to one JSON shape: {"error": {"code", "message"}}."""

from __future__ import annotations

import io
import logging
import math
from typing import Any

from django.http import Http404, JsonResponse
from rest_framework import exceptions, status
from rest_framework.parsers import JSONParser
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from aiserver.errors import HTTP_STATUS, DomainError, ErrorCode, outside_failure

logger = logging.getLogger(__name__)


# An id a caller chooses (user, document): the same limits on every endpoint.
ID_FIELD: dict[str, Any] = {"max_length": 128, "allow_blank": False}


def error_body(code: str, message: str, **extra: Any) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, **extra}}


def error_json(code: ErrorCode, message: str) -> JsonResponse:
    return JsonResponse(error_body(str(code), message), status=HTTP_STATUS[code])


def validated(serializer_class: type, data: object) -> dict[str, Any]:
    """A view's input through its serializer; invalid input raises the API's 400."""
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    unavailable = outside_failure(exc)
    if unavailable is not None:  # the caller gets a 503 to retry; operators need to know which service and why
        logger.warning("%s answered 503: %s: %s", context.get("view"), type(exc).__name__, exc)
        exc = unavailable
    if isinstance(exc, DomainError):
        extra = {"fields": _printable(exc.fields)} if exc.fields else {}
        if exc.retry_after is not None:
            extra["retry_after"] = exc.retry_after
        refusal = Response(error_body(str(exc.code), exc.message, **extra), status=exc.http_status)
        if exc.retry_after is not None:
            refusal["Retry-After"] = str(exc.retry_after)
        return refusal
    if isinstance(exc, Http404):
        return Response(error_body(ErrorCode.NOT_FOUND, "Not found."), status=status.HTTP_404_NOT_FOUND)
    response = drf_exception_handler(exc, context)
    if response is None:  # a bug: logged with its traceback, answered in the API's shape
        logger.error("unhandled error in %s", context.get("view"), exc_info=exc)
        return Response(
            error_body(ErrorCode.INTERNAL_ERROR, "Something went wrong on our side."),
            status=status.HTTP_500_INTERNAL_SERVER_ERROR,
        )
    if isinstance(exc, exceptions.ValidationError):
        fields = _printable(exc.detail)
        response.data = error_body(ErrorCode.INVALID_REQUEST, "The request is invalid.", fields=fields)
    elif isinstance(exc, exceptions.NotAuthenticated | exceptions.AuthenticationFailed):
        response.data = error_body(ErrorCode.UNAUTHORIZED, str(exc.detail))
    elif isinstance(exc, exceptions.Throttled):  # a throttle of aiserver.throttling: a user over a rate
        seconds = max(1, math.ceil(getattr(exc, "wait", None) or 1))
        message = f"Too many requests for this user; try again in {seconds} s."
        response.data = error_body(ErrorCode.RATE_LIMITED, message, retry_after=seconds)
        response["Retry-After"] = str(seconds)
    elif isinstance(exc, exceptions.APIException):
        # A refused CSRF check (a staff session's POST without its token) is a 403: `forbidden`, as the table says.
        code = {404: ErrorCode.NOT_FOUND, 403: ErrorCode.FORBIDDEN}.get(response.status_code, ErrorCode.INVALID_REQUEST)
        response.data = error_body(code, str(exc.detail))
    return response


def _printable(detail: Any) -> Any:
    """Field errors may echo the value sent ("\ud800" is not a valid choice): a lone surrogate there
    cannot be encoded as UTF-8 and turned the 400 into a text/plain 500. Replace them."""
    if isinstance(detail, dict):
        return {_printable(k): _printable(v) for k, v in detail.items()}
    if isinstance(detail, list):
        return [_printable(v) for v in detail]
    if isinstance(detail, str):
        return detail.encode("utf-8", "replace").decode("utf-8")
    return detail


class SafeJSONParser(JSONParser):
    """JSON bodies nested deeper than MAX_JSON_DEPTH are refused with a clear 400: Python's parser
    raised RecursionError on deeply nested input, a 500 on every JSON endpoint."""

    MAX_JSON_DEPTH = 64

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        raw = stream.read() if stream is not None else b""
        if _depth_exceeds(raw, self.MAX_JSON_DEPTH):
            raise exceptions.ParseError(f"JSON nested deeper than {self.MAX_JSON_DEPTH} levels.")
        try:
            return super().parse(io.BytesIO(raw), media_type, parser_context)
        except RecursionError as exc:
            raise exceptions.ParseError("JSON nested too deeply.") from exc


def _depth_exceeds(raw: bytes, limit: int) -> bool:
    """Bracket depth outside strings, without parsing (so it cannot recurse)."""
    if raw.count(b"[") + raw.count(b"{") <= limit:  # most bodies: decided at C speed
        return False
    depth = 0
    in_string = escaped = False
    for byte in raw:
        if in_string:
            if escaped:
                escaped = False
            elif byte == 0x5C:  # backslash
                escaped = True
            elif byte == 0x22:  # quote
                in_string = False
        elif byte == 0x22:
            in_string = True
        elif byte in (0x5B, 0x7B):  # [ {
            depth += 1
            if depth > limit:
                return True
        elif byte in (0x5D, 0x7D):
            depth -= 1
    return False


def not_found(request: Any, exception: Exception | None = None) -> Any:
    """Unrouted paths under /ai/ answer in the API's JSON shape; pages elsewhere keep Django's."""
    if request.path.startswith("/ai/"):
        return error_json(ErrorCode.NOT_FOUND, f"No API route {request.path!r}.")
    from django.views.defaults import page_not_found

    return page_not_found(request, exception)


def server_error(request: Any) -> Any:
    if request.path.startswith("/ai/"):
        return error_json(ErrorCode.INTERNAL_ERROR, "Something went wrong on our side.")
    from django.views.defaults import server_error as django_server_error

    return django_server_error(request)
