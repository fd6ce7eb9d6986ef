from __future__ import annotations

from rest_framework import serializers

from chat.models import RoomKind

ID = {"max_length": 128, "allow_blank": False}


class RoomCreateSerializer(serializers.Serializer):
    user_id = serializers.CharField(**ID)
    title = serializers.CharField(required=False, allow_blank=True, max_length=200, default="")
    kind = serializers.ChoiceField(choices=RoomKind.choices, default=RoomKind.GENERAL)
    document_ids = serializers.ListField(child=serializers.CharField(**ID), required=False, default=list, max_length=20)


class TokenSerializer(serializers.Serializer):
    user_id = serializers.CharField(**ID)


class PostMessageSerializer(serializers.Serializer):
    user_id = serializers.CharField(**ID)
    content = serializers.CharField(max_length=None, trim_whitespace=False)
    client_id = serializers.CharField(
        max_length=128, required=False, help_text="your id for this message: a retry with it gets the same answer"
    )

    def validate_content(self, value: str) -> str:
        return value  # length is checked by chat.answering.check_message, with its own code


class PageSerializer(serializers.Serializer):
    user_id = serializers.CharField(**ID)
    offset = serializers.IntegerField(min_value=0, default=0)
    limit = serializers.IntegerField(min_value=1, max_value=200, default=50)


class UserQuerySerializer(serializers.Serializer):
    user_id = serializers.CharField(**ID)


class PreferencesSerializer(serializers.Serializer):
    """What a user asked the assistant to remember; every field optional (PATCH merges)."""

    answer_language = serializers.ChoiceField(choices=["auto", "ko", "en"], required=False)
    answer_style = serializers.ChoiceField(choices=["default", "concise", "detailed"], required=False)
    target_role = serializers.CharField(max_length=200, allow_blank=True, required=False)

    def validate(self, attrs: dict) -> dict:
        unknown = set(self.initial_data) - set(self.fields) if isinstance(self.initial_data, dict) else set()
        if unknown:  # a misspelt preference would otherwise be dropped without a word
            raise serializers.ValidationError({name: "Unknown preference." for name in sorted(unknown)})
        return attrs
