from django.contrib import admin
from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from aiserver.health import healthz, readyz
from aiserver.metrics import metrics_view
from analysis import views as analysis
from chat import views as chat
from chat.console import console
from documents import views as documents
from interviews import views as interviews
from tasks import views as tasks

urlpatterns = [
    path("ai/ocr/extract", documents.ocr_extract, name="ocr-extract"),
    path("ai/file/embed", documents.embed_text, name="file-embed"),
    path("ai/task/<str:task_id>", tasks.task_status, name="task-status"),
    path("ai/documents/<str:document_id>", documents.document_detail, name="document-detail"),
    path("ai/search", documents.search, name="search"),
    path("ai/analysis/match", analysis.match, name="analysis-match"),
    path("ai/analysis/rank", analysis.rank, name="analysis-rank"),
    path("ai/analysis", analysis.analyses, name="analysis-list"),
    path("ai/analysis/<uuid:analysis_id>", analysis.analysis_detail, name="analysis-detail"),
    path("ai/interviews", interviews.interviews, name="interviews"),
    path("ai/interviews/<uuid:interview_id>", interviews.interview_detail, name="interview-detail"),
    path("ai/interviews/<uuid:interview_id>/answers", interviews.answers, name="interview-answers"),
    path("ai/interviews/<uuid:interview_id>/report", interviews.report, name="interview-report"),
    path("ai/chat/rooms", chat.rooms, name="chat-rooms"),
    path("ai/chat/rooms/<uuid:room_id>", chat.room_detail, name="chat-room"),
    path("ai/chat/rooms/<uuid:room_id>/messages", chat.room_messages, name="chat-messages"),
    path("ai/chat/tokens", chat.tokens, name="chat-tokens"),
    path("ai/chat/users/<str:user_id>/context", chat.user_context, name="chat-user-context"),
    path("ai/users/<str:user_id>", tasks.erase_user, name="erase-user"),
    path("ai/schema", SpectacularAPIView.as_view(), name="schema"),
    path("ai/docs", SpectacularSwaggerView.as_view(url_name="schema"), name="docs"),
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    path("metrics", metrics_view, name="metrics"),
    path("console/", console, name="console"),
    path("admin/", admin.site.urls),
]

# Unrouted /ai/ paths and unhandled errors answer in the API's JSON error shape.
handler404 = "aiserver.api.not_found"
handler500 = "aiserver.api.server_error"
