"""`/console/`: a page for staff to try the service in a browser: upload, task progress, chat, the fit
of a resume to a job posting, and a mock interview with its feedback streamed.

The page calls the same REST API as the backend service, authenticated by the staff member's
session and CSRF token (aiserver/auth.py), so no service token is ever put into the page.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.admin.views.decorators import staff_member_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.csrf import ensure_csrf_cookie

from chat.models import RoomKind
from documents.models import DocumentType


@staff_member_required  # anonymous and non-staff users go to /admin/login/?next=/console/
@ensure_csrf_cookie
def console(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "console.html",
        {
            "default_user_id": f"console-{request.user.get_username()}"[:128],
            "document_types": DocumentType.choices,
            # interview rooms are opened by the page's interview mode, with their interview
            "room_kinds": [(value, label) for value, label in RoomKind.choices if value != RoomKind.INTERVIEW],
            "max_file_bytes": settings.MAX_FILE_BYTES,
            "max_message_chars": settings.CHAT_MAX_MESSAGE_CHARS,
            "max_answer_chars": settings.INTERVIEW_MAX_ANSWER_CHARS,
        },
    )
