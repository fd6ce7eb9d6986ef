"""Who may call the API: the backend service with `Authorization: Bearer <AI_SERVICE_TOKEN>`, or a
logged-in Django staff member (session cookie + CSRF token: the browser console at /console/)."""

from __future__ import annotations

import hmac
from typing import Any

from django.conf import settings
from django.http import HttpResponse
from rest_framework import authentication, exceptions, permissions
from rest_framework.request import Request

from aiserver.errors import DomainError, ErrorCode


class ServiceCaller:
    """The authenticated backend service. Not a Django user: there are no end-user accounts here."""

    is_authenticated = True
    pk = None

    def __str__(self) -> str:
        return "service"


def token_is_valid(header_value: str | None) -> bool:
    if not header_value:
        return False
    scheme, _, token = header_value.partition(" ")
    if scheme.lower() != "bearer" or not token:
        return False
    expected = settings.AI_SERVICE_TOKEN
    return bool(expected) and hmac.compare_digest(token.strip().encode(), expected.encode())


class ServiceTokenAuthentication(authentication.BaseAuthentication):
    def authenticate(self, request: Request) -> tuple[ServiceCaller, None] | None:
        header = request.META.get("HTTP_AUTHORIZATION")
        if header is None:
            return None
        if not token_is_valid(header):
            raise exceptions.AuthenticationFailed("Invalid service token.")
        return ServiceCaller(), None

    def authenticate_header(self, request: Request) -> str:
        return 'Bearer realm="aiserver"'


def is_staff_user(user: Any) -> bool:
    """An active, logged-in Django staff member (the session side of the API)."""
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "is_staff", False) and user.is_active)


class IsService(permissions.BasePermission):
    """The service token, or a staff session. A logged-in non-staff user gets 403 `forbidden`."""

    def has_permission(self, request: Request, view: object) -> bool:
        user = request.user
        if isinstance(user, ServiceCaller) or is_staff_user(user):
            return True
        if getattr(user, "is_authenticated", False):
            raise DomainError(ErrorCode.FORBIDDEN, "Only staff members may use the API from a session.")
        return False


def locked_out(request: Any, credentials: Any = None, *args: Any, **kwargs: Any) -> HttpResponse:
    """django-axes: a staff login locked out after too many failures (429, with when to retry)."""
    hours = settings.AXES_COOLOFF_TIME
    response = HttpResponse(
        f"Too many failed logins for this account from this address; try again in {hours:g} hour(s).",
        status=429,
        content_type="text/plain; charset=utf-8",
    )
    response["Retry-After"] = str(int(hours * 3600))
    return response
