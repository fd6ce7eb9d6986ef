"""Service-to-service authentication: `Authorization: Bearer <AI_SERVICE_TOKEN>`."""

from __future__ import annotations

import hmac

from django.conf import settings
from rest_framework import authentication, exceptions, permissions
from rest_framework.request import Request


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


class IsService(permissions.BasePermission):
    def has_permission(self, request: Request, view: object) -> bool:
        return isinstance(request.user, ServiceCaller)
