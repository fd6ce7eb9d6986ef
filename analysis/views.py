"""Fit analysis endpoints for the backend service (service token). Every call names its user_id."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.decorators import api_view, throttle_classes
from rest_framework.request import Request
from rest_framework.response import Response

from aiserver.api import validated
from aiserver.errors import ErrorCode
from aiserver.schema import errors
from aiserver.throttling import AnalysisRateThrottle
from analysis import services
from analysis.serializers import (
    AnalysisListSerializer,
    AnalysisSerializer,
    ListSerializer,
    MatchAcceptedSerializer,
    MatchSerializer,
    RankResponseSerializer,
    RankSerializer,
    UserSerializer,
)

INVALID, NOT_FOUND = ErrorCode.INVALID_REQUEST, ErrorCode.NOT_FOUND
# Scoring embeds the posting's requirements (e5); a user over RATE_LIMIT_ANALYSIS waits.
SCORING = (ErrorCode.EMBEDDING_UNAVAILABLE, ErrorCode.RATE_LIMITED)


@extend_schema(
    operation_id="analysis_match",
    request=MatchSerializer,
    responses={200: AnalysisSerializer, 202: MatchAcceptedSerializer, **errors(INVALID, NOT_FOUND, *SCORING)},
)
@api_view(["POST"])
@throttle_classes([AnalysisRateThrottle])
def match(request: Request) -> Response:
    """How well the user's resume fits the user's job posting: score, band, requirement table, advice.
    200 with the analysis, or 202 with a task to poll when a judging LLM makes it take seconds."""
    analysis = services.match(**validated(MatchSerializer, request.data))
    task_id = getattr(analysis, "task_id", None)
    if task_id is not None:
        return Response({"task_id": task_id, "analysis_id": str(analysis.id), "status": "queued"}, status=202)
    return Response(services.as_dict(analysis))


@extend_schema(
    operation_id="analysis_list",
    parameters=[ListSerializer],
    responses={200: AnalysisListSerializer, **errors(INVALID)},
)
@api_view(["GET"])
def analyses(request: Request) -> Response:
    fields = validated(ListSerializer, request.query_params)
    total, rows = services.list_for(**fields)
    return Response({"total": total, "results": [services.as_dict(a) for a in rows]})


@extend_schema(parameters=[UserSerializer], responses={200: AnalysisSerializer, **errors(INVALID, NOT_FOUND)})
@api_view(["GET"])
def analysis_detail(request: Request, analysis_id: str) -> Response:
    fields = validated(UserSerializer, request.query_params)
    return Response(services.as_dict(services.get(user_id=fields["user_id"], analysis_id=str(analysis_id))))


@extend_schema(
    operation_id="analysis_rank",
    request=RankSerializer,
    responses={200: RankResponseSerializer, **errors(INVALID, NOT_FOUND, *SCORING)},
)
@api_view(["POST"])
@throttle_classes([AnalysisRateThrottle])
def rank(request: Request) -> Response:
    """The user's postings ranked for a resume, or given resumes ranked for a posting."""
    return Response(services.rank(**validated(RankSerializer, request.data)))
