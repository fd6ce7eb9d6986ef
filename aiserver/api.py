"""Maps domain errors and DRF errors to one JSON shape: {"error": {"code", "message"}}."""

from __future__ import annotations

import logging
from typing import Any

from django.http import Http404, JsonResponse
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from aiserver.errors import HTTP_STATUS, DomainError, ErrorCode, outside_failure

logger = logging.getLogger(__name__)


def error_body(code: str, message: str, **extra: Any) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, **extra}}


def error_json(code: ErrorCode, message: str) -> JsonResponse:
    return JsonResponse(error_body(str(code), message), status=HTTP_STATUS[code])


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    exc = outside_failure(exc) or exc
    if isinstance(exc, DomainError):
        return Response(error_body(str(exc.code), exc.message), status=exc.http_status)
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
        response.data = error_body(ErrorCode.INVALID_REQUEST, "The request is invalid.", fields=exc.detail)
    elif isinstance(exc, exceptions.NotAuthenticated | exceptions.AuthenticationFailed):
        response.data = error_body(ErrorCode.UNAUTHORIZED, str(exc.detail))
    elif isinstance(exc, exceptions.APIException):
        code = ErrorCode.NOT_FOUND if response.status_code == 404 else ErrorCode.INVALID_REQUEST
        response.data = error_body(code, str(exc.detail))
    return response
