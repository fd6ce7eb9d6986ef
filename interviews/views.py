"""Mock interview endpoints for the backend service (service token). Every call names its user_id."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.decorators import api_view, throttle_classes
from rest_framework.request import Request
from rest_framework.response import Response

from aiserver.api import validated
from aiserver.errors import ErrorCode
from aiserver.schema import errors
from aiserver.throttling import InterviewRateThrottle
from interviews import services
from interviews.serializers import (
    AnswerSerializer,
    CreateSerializer,
    InterviewListSerializer,
    InterviewSerializer,
    ListSerializer,
    OutcomeSerializer,
    ReportSerializer,
    UserSerializer,
)

INVALID, NOT_FOUND, LIMITED = ErrorCode.INVALID_REQUEST, ErrorCode.NOT_FOUND, ErrorCode.RATE_LIMITED
EMBEDDING = ErrorCode.EMBEDDING_UNAVAILABLE  # questions and feedback embed text (e5)


@extend_schema(
    methods=["POST"],
    operation_id="interviews_create",
    request=CreateSerializer,
    responses={201: InterviewSerializer, **errors(INVALID, NOT_FOUND, EMBEDDING, LIMITED)},
)
@extend_schema(
    methods=["GET"],
    operation_id="interviews_list",
    parameters=[ListSerializer],
    responses={200: InterviewListSerializer, **errors(INVALID)},
)
@api_view(["GET", "POST"])
@throttle_classes([InterviewRateThrottle])  # counts the POSTs (new interviews) only
def interviews(request: Request) -> Response:
    """POST: a mock interview on the user's resume (and job posting); GET: the user's interviews."""
    if request.method == "POST":
        session = services.create(**validated(CreateSerializer, request.data))
        return Response(services.as_dict(session), status=201)
    fields = validated(ListSerializer, request.query_params)
    total, rows = services.list_for(**fields)
    return Response({"total": total, "results": [services.as_dict(s) for s in rows]})


@extend_schema(parameters=[UserSerializer], responses={200: InterviewSerializer, **errors(INVALID, NOT_FOUND)})
@api_view(["GET"])
def interview_detail(request: Request, interview_id: str) -> Response:
    fields = validated(UserSerializer, request.query_params)
    return Response(services.as_dict(services.get(user_id=fields["user_id"], interview_id=str(interview_id))))


@extend_schema(
    request=AnswerSerializer,
    responses={200: OutcomeSerializer, **errors(INVALID, NOT_FOUND, EMBEDDING, LIMITED)},
)
@api_view(["POST"])
@throttle_classes([InterviewRateThrottle])
def answers(request: Request, interview_id: str) -> Response:
    """Answer the current question: feedback per rubric item, strengths, improvements, a model
    answer outline, and the next question. A question answered before replays its feedback."""
    fields = validated(AnswerSerializer, request.data)
    return Response(services.answer(interview_id=str(interview_id), **fields))


@extend_schema(parameters=[UserSerializer], responses={200: ReportSerializer, **errors(INVALID, NOT_FOUND)})
@api_view(["GET"])
def report(request: Request, interview_id: str) -> Response:
    fields = validated(UserSerializer, request.query_params)
    return Response(services.report(user_id=fields["user_id"], interview_id=str(interview_id)))
