from __future__ import annotations

from rest_framework import serializers

from aiserver.api import ID_FIELD
from chat.models import Role, RoomKind


class RoomCreateSerializer(serializers.Serializer):
    user_id = serializers.CharField(**ID_FIELD)
    title = serializers.CharField(required=False, allow_blank=True, max_length=200, default="")
    kind = serializers.ChoiceField(choices=RoomKind.choices, default=RoomKind.GENERAL)
    document_ids = serializers.ListField(
        child=serializers.CharField(**ID_FIELD), required=False, default=list, max_length=20
    )


class TokenSerializer(serializers.Serializer):
    user_id = serializers.CharField(**ID_FIELD)


class PostMessageSerializer(serializers.Serializer):
    user_id = serializers.CharField(**ID_FIELD)
    content = serializers.CharField(trim_whitespace=False)
    client_id = serializers.CharField(
        max_length=128, required=False, help_text="your id for this message: a retry with it gets the same answer"
    )

    def validate_content(self, value: str) -> str:
        return value  # length is checked by chat.answering.check_message, with its own code


class PageSerializer(serializers.Serializer):
    user_id = serializers.CharField(**ID_FIELD)
    offset = serializers.IntegerField(min_value=0, max_value=10**9, default=0)  # Postgres OFFSET is a bigint
    limit = serializers.IntegerField(min_value=1, max_value=200, default=50)


class UserQuerySerializer(serializers.Serializer):
    user_id = serializers.CharField(**ID_FIELD)


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


# What the endpoints answer (/ai/schema; the contract test holds every response to these).


class RoomSerializer(serializers.Serializer):
    room_id = serializers.UUIDField()
    user_id = serializers.CharField()
    title = serializers.CharField(allow_blank=True)
    kind = serializers.ChoiceField(choices=RoomKind.choices)
    document_ids = serializers.ListField(child=serializers.CharField(), help_text="empty: all the user's documents")
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


class RoomListSerializer(serializers.Serializer):
    rooms = RoomSerializer(many=True)


class ChatCitationSerializer(serializers.Serializer):
    document_id = serializers.CharField()
    chunk_index = serializers.IntegerField()
    page = serializers.IntegerField(allow_null=True)
    score = serializers.FloatField(allow_null=True, help_text="null when every chunk was given and none ranked")
    snippet = serializers.CharField(allow_blank=True)
    cited = serializers.BooleanField(required=False, help_text="the answer refers to this excerpt as [n]")


class MessageSerializer(serializers.Serializer):
    message_id = serializers.CharField()
    room_id = serializers.CharField()
    user_id = serializers.CharField()
    role = serializers.ChoiceField(choices=Role.choices)
    content = serializers.CharField(allow_blank=True)
    citations = ChatCitationSerializer(many=True)
    usage = serializers.DictField(help_text="the model's token counts and timings (assistant messages)")
    client_id = serializers.CharField(allow_blank=True)
    created_at = serializers.DateTimeField()


class MessagePageSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    offset = serializers.IntegerField()
    messages = MessageSerializer(many=True, help_text="oldest first")


class ChatAnswerSerializer(serializers.Serializer):
    message_id = serializers.CharField()
    content = serializers.CharField(allow_blank=True)
    citations = ChatCitationSerializer(many=True)
    usage = serializers.DictField()
    replayed = serializers.BooleanField(required=False, help_text="true: the answer recorded for this client_id")


class ChatTokenSerializer(serializers.Serializer):
    token = serializers.CharField()
    expires_in = serializers.IntegerField(help_text="seconds")


class UserContextSerializer(serializers.Serializer):
    user_id = serializers.CharField()
    preferences = PreferencesSerializer()
    summary = serializers.CharField(allow_blank=True, help_text="the rolling summary of older conversations")
    summarized_messages = serializers.IntegerField()
    updated_at = serializers.DateTimeField(allow_null=True)
    last_room_id = serializers.CharField(allow_null=True)
    language = serializers.CharField(allow_null=True)
