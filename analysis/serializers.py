from __future__ import annotations

from rest_framework import serializers

from aiserver.api import ID_FIELD


class MatchSerializer(serializers.Serializer):
    user_id = serializers.CharField(**ID_FIELD)
    resume_document_id = serializers.CharField(**ID_FIELD)
    job_posting_document_id = serializers.CharField(**ID_FIELD)


class ListSerializer(serializers.Serializer):
    user_id = serializers.CharField(**ID_FIELD)
    offset = serializers.IntegerField(min_value=0, max_value=10**9, default=0)
    limit = serializers.IntegerField(min_value=1, max_value=200, default=50)


class UserSerializer(serializers.Serializer):
    user_id = serializers.CharField(**ID_FIELD)


class EvidenceSerializer(serializers.Serializer):
    document_id = serializers.CharField()
    chunk_index = serializers.IntegerField()
    page = serializers.IntegerField(allow_null=True)
    snippet = serializers.CharField()
    score = serializers.FloatField()


class RequirementSerializer(serializers.Serializer):
    text = serializers.CharField()
    kind = serializers.ChoiceField(choices=["required", "preferred", "duty"])
    status = serializers.ChoiceField(choices=["met", "partly_met", "missing"])
    coverage = serializers.FloatField()
    evidence = EvidenceSerializer(many=True)
    matched_terms = serializers.ListField(child=serializers.CharField())
    note = serializers.CharField()
    llm_status = serializers.ChoiceField(
        choices=["met", "partly_met", "missing"], required=False, help_text="the judging LLM's status, when one judged"
    )
    llm_note = serializers.CharField(required=False, allow_blank=True, help_text="the judging LLM's reason")


class AnalysisSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    user_id = serializers.CharField()
    resume_document_id = serializers.CharField()
    job_posting_document_id = serializers.CharField()
    created_at = serializers.DateTimeField()
    score = serializers.FloatField(help_text="0-100")
    band = serializers.ChoiceField(choices=["strong", "possible", "weak"])
    requirements = RequirementSerializer(many=True)
    strengths = serializers.ListField(child=serializers.CharField())
    gaps = serializers.ListField(child=serializers.CharField())
    suggestions = serializers.ListField(child=serializers.CharField())
    signals = serializers.DictField(help_text="each signal: value 0-1, weight, explain")
    signals_used = serializers.ListField(child=serializers.CharField())
    llm = serializers.DictField()
    language = serializers.ChoiceField(
        choices=["ko", "en"],
        required=False,
        help_text="the language of the notes, suggestions and explanations: the resume's (absent on older results)",
    )


class AnalysisListSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    results = AnalysisSerializer(many=True)


class RankSerializer(serializers.Serializer):
    user_id = serializers.CharField(**ID_FIELD)
    resume_document_id = serializers.CharField(required=False, **ID_FIELD)
    job_posting_document_id = serializers.CharField(required=False, **ID_FIELD)
    document_ids = serializers.ListField(
        child=serializers.CharField(**ID_FIELD), required=False, max_length=500,
        help_text="the postings (for a resume; default: all the user's) or the resumes (for a posting) to rank",
    )  # fmt: skip
    limit = serializers.IntegerField(
        min_value=1, max_value=50, default=5, help_text="how many of the first cut's best are analysed in full"
    )

    def validate(self, data: dict) -> dict:
        if ("resume_document_id" in data) == ("job_posting_document_id" in data):
            raise serializers.ValidationError("Give either resume_document_id or job_posting_document_id.")
        return data


class RankedSerializer(serializers.Serializer):
    document_id = serializers.CharField()
    score = serializers.FloatField()
    band = serializers.CharField()
    analysis_id = serializers.UUIDField()
    first_cut = serializers.FloatField(help_text="the whole-document score that chose it for full analysis")


class RankResponseSerializer(serializers.Serializer):
    candidates = serializers.IntegerField()
    analysed = serializers.IntegerField()
    results = RankedSerializer(many=True)


class MatchAcceptedSerializer(serializers.Serializer):
    task_id = serializers.UUIDField(help_text="poll GET /ai/task/{task_id}; its result is the analysis")
    analysis_id = serializers.UUIDField()
    status = serializers.CharField()
