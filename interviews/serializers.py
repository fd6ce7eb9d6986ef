from __future__ import annotations

from django.conf import settings
from rest_framework import serializers

from aiserver.api import ID_FIELD


class CreateSerializer(serializers.Serializer):
    user_id = serializers.CharField(**ID_FIELD)
    resume_document_id = serializers.CharField(**ID_FIELD)
    job_posting_document_id = serializers.CharField(required=False, allow_null=True, **ID_FIELD)
    question_count = serializers.IntegerField(min_value=1, max_value=20, default=5)
    language = serializers.ChoiceField(choices=["ko", "en"], default="ko")


class AnswerSerializer(serializers.Serializer):
    user_id = serializers.CharField(**ID_FIELD)
    question_id = serializers.CharField(max_length=64)
    answer = serializers.CharField(max_length=settings.INTERVIEW_MAX_ANSWER_CHARS, trim_whitespace=True)


class UserSerializer(serializers.Serializer):
    user_id = serializers.CharField(**ID_FIELD)


class ListSerializer(UserSerializer):
    offset = serializers.IntegerField(min_value=0, max_value=10**9, default=0)
    limit = serializers.IntegerField(min_value=1, max_value=200, default=50)


# --- responses ------------------------------------------------------------------------------------
class CitationSerializer(serializers.Serializer):
    document_id = serializers.CharField()
    doc_type = serializers.ChoiceField(choices=["resume", "job_posting"])
    chunk_index = serializers.IntegerField()
    page = serializers.IntegerField(allow_null=True)
    snippet = serializers.CharField()


class RubricSerializer(serializers.Serializer):
    relevance = serializers.FloatField(help_text="1-5")
    specificity = serializers.FloatField(help_text="1-5: situation, task, action, result and measured figures")
    technical_accuracy = serializers.FloatField(help_text="1-5")
    communication = serializers.FloatField(help_text="1-5")


class FeedbackSerializer(serializers.Serializer):
    scores = RubricSerializer()
    score = serializers.FloatField(help_text="0-100")
    signals = serializers.DictField(child=serializers.CharField(), help_text="what each rubric score rests on")
    strengths = serializers.ListField(child=serializers.CharField())
    improvements = serializers.ListField(child=serializers.CharField())
    model_answer = serializers.ListField(child=serializers.CharField(), help_text="outline of a model answer")
    comment = serializers.CharField(required=False, help_text="the LLM coach's comment, when one is configured")
    notes = serializers.ListField(child=serializers.CharField(), required=False)


class QuestionSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    position = serializers.IntegerField()
    text = serializers.CharField()
    kind = serializers.ChoiceField(choices=["technical", "experience", "behavioural"])
    citations = CitationSerializer(many=True)


class AnsweredQuestionSerializer(QuestionSerializer):
    answer = serializers.CharField(allow_null=True)
    answered_at = serializers.DateTimeField(allow_null=True)
    score = serializers.FloatField(allow_null=True)
    feedback = FeedbackSerializer(allow_null=True)


class InterviewSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    user_id = serializers.CharField()
    resume_document_id = serializers.CharField()
    job_posting_document_id = serializers.CharField(allow_null=True)
    language = serializers.ChoiceField(choices=["ko", "en"])
    status = serializers.ChoiceField(choices=["active", "completed"])
    questions_source = serializers.ChoiceField(choices=["rules", "llm"])
    notes = serializers.ListField(child=serializers.CharField())
    current_question_id = serializers.UUIDField(allow_null=True, help_text="from the live state, session:{id}")
    answered = serializers.IntegerField()
    overall_score = serializers.FloatField(allow_null=True)
    created_at = serializers.DateTimeField()
    completed_at = serializers.DateTimeField(allow_null=True)
    questions = AnsweredQuestionSerializer(many=True)


class InterviewListSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    results = InterviewSerializer(many=True)


class OutcomeSerializer(serializers.Serializer):
    interview_id = serializers.UUIDField()
    question_id = serializers.UUIDField()
    feedback = FeedbackSerializer()
    replayed = serializers.BooleanField(help_text="true: answered before; the stored feedback, unchanged")
    next_question = QuestionSerializer(allow_null=True)
    status = serializers.ChoiceField(choices=["active", "completed"])


class ReportQuestionSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    position = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=["technical", "experience", "behavioural"])
    text = serializers.CharField()
    score = serializers.FloatField(allow_null=True)


class ReportSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    user_id = serializers.CharField()
    status = serializers.ChoiceField(choices=["active", "completed"])
    overall_score = serializers.FloatField(allow_null=True)
    answered = serializers.IntegerField()
    total = serializers.IntegerField()
    rubric = serializers.DictField(child=serializers.FloatField(allow_null=True), help_text="mean per rubric item")
    questions = ReportQuestionSerializer(many=True)
    top_improvements = serializers.ListField(child=serializers.CharField())
