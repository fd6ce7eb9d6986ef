"""Chat REST endpoints for the backend service (service token). Every room call names its user_id:
a room is only ever found for its own user."""

from __future__ import annotations

from asgiref.sync import async_to_sync
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import api_view, throttle_classes
from rest_framework.request import Request
from rest_framework.response import Response

from aiserver.api import validated
from aiserver.errors import ErrorCode
from aiserver.schema import errors
from aiserver.throttling import ChatRateThrottle
from chat import services
from chat.answering import answer_once
from chat.history import read_history
from chat.models import Room
from chat.serializers import (
    ChatAnswerSerializer,
    ChatTokenSerializer,
    MessagePageSerializer,
    PageSerializer,
    PostMessageSerializer,
    PreferencesSerializer,
    RoomCreateSerializer,
    RoomListSerializer,
    RoomSerializer,
    TokenSerializer,
    UserContextSerializer,
    UserQuerySerializer,
)
from chat.tokens import issue_token

INVALID, NOT_FOUND = ErrorCode.INVALID_REQUEST, ErrorCode.NOT_FOUND
# Answering: the message, the user's generation slots, a retried client_id, the models behind it.
ANSWERING = (
    ErrorCode.MESSAGE_TOO_LARGE,
    ErrorCode.TOO_MANY_GENERATIONS,
    ErrorCode.DUPLICATE_MESSAGE,
    ErrorCode.LLM_UNAVAILABLE,
    ErrorCode.EMBEDDING_UNAVAILABLE,
    ErrorCode.VECTORSTORE_UNAVAILABLE,
)


@extend_schema(methods=["POST"], request=RoomCreateSerializer, responses={201: RoomSerializer, **errors(INVALID)})
@extend_schema(
    methods=["GET"],
    operation_id="chat_rooms_list",
    parameters=[UserQuerySerializer],
    responses={200: RoomListSerializer, **errors(INVALID)},
)
@api_view(["GET", "POST"])
def rooms(request: Request) -> Response:
    if request.method == "POST":
        room = services.create_room(**validated(RoomCreateSerializer, request.data))
        return Response(services.room_payload(room), status=status.HTTP_201_CREATED)
    user_id = validated(UserQuerySerializer, request.query_params)["user_id"]
    return Response({"rooms": [services.room_payload(r) for r in Room.objects.filter(user_id=user_id)]})


@extend_schema(
    methods=["GET"], parameters=[UserQuerySerializer], responses={200: RoomSerializer, **errors(INVALID, NOT_FOUND)}
)
@extend_schema(
    methods=["DELETE"], parameters=[UserQuerySerializer], responses={204: None, **errors(INVALID, NOT_FOUND)}
)
@api_view(["GET", "DELETE"])
def room_detail(request: Request, room_id: str) -> Response:
    room = services.get_room(room_id, user_id=validated(UserQuerySerializer, request.query_params)["user_id"])
    if request.method == "DELETE":
        services.delete_room(room)
        return Response(status=status.HTTP_204_NO_CONTENT)
    return Response(services.room_payload(room))


@extend_schema(
    methods=["GET"], parameters=[PageSerializer], responses={200: MessagePageSerializer, **errors(INVALID, NOT_FOUND)}
)
@extend_schema(
    methods=["POST"],
    request=PostMessageSerializer,
    responses={200: ChatAnswerSerializer, **errors(INVALID, NOT_FOUND, ErrorCode.RATE_LIMITED, *ANSWERING)},
)
@api_view(["GET", "POST"])
@throttle_classes([ChatRateThrottle])  # counts the POSTs (messages) only
def room_messages(request: Request, room_id: str) -> Response:
    if request.method == "POST":
        fields = validated(PostMessageSerializer, request.data)
        room = services.get_room(room_id, user_id=fields["user_id"])
        return Response(async_to_sync(answer_once)(room, fields["content"], fields.get("client_id")))
    page = validated(PageSerializer, request.query_params)
    room = services.get_room(room_id, user_id=page["user_id"])
    total, messages = read_history(str(room.id), offset=page["offset"], limit=page["limit"])
    return Response({"total": total, "offset": page["offset"], "messages": messages})


@extend_schema(request=TokenSerializer, responses={200: ChatTokenSerializer, **errors(INVALID)})
@api_view(["POST"])
def tokens(request: Request) -> Response:
    """A short-lived token for one user's websocket: `ws /ws/chat/{room_id}/?token=…`."""
    return Response(issue_token(validated(TokenSerializer, request.data)["user_id"]))


@extend_schema(methods=["GET"], responses={200: UserContextSerializer, **errors(INVALID)})
@extend_schema(
    methods=["PATCH"], request=PreferencesSerializer, responses={200: UserContextSerializer, **errors(INVALID)}
)
@extend_schema(methods=["DELETE"], responses={204: None, **errors(INVALID)})
@api_view(["GET", "PATCH", "DELETE"])
def user_context(request: Request, user_id: str) -> Response:
    """What the assistant remembers of a user: preferences (PATCH merges them) and the rolling summary
    of conversations that have left the window. DELETE forgets both."""
    user_id = validated(UserQuerySerializer, {"user_id": user_id})["user_id"]
    if request.method == "PATCH":
        serializer = PreferencesSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        return Response(services.update_preferences(user_id, dict(serializer.validated_data)))
    if request.method == "DELETE":
        services.forget_user_context(user_id)
        return Response(status=status.HTTP_204_NO_CONTENT)
    return Response(services.user_context(user_id))
