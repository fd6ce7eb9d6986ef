from __future__ import annotations

from django.contrib import admin

from chat.models import ChatMessage, Room, UserContext


@admin.register(Room)
class RoomAdmin(admin.ModelAdmin):
    list_display = ("id", "user_id", "kind", "title", "created_at", "updated_at")
    list_filter = ("kind",)
    search_fields = ("=id", "user_id", "title")


@admin.register(ChatMessage)
class ChatMessageAdmin(admin.ModelAdmin):
    list_display = ("message_id", "room", "user_id", "role", "created_at", "archived_at", "summarized_at")
    list_filter = ("role",)
    search_fields = ("=message_id", "user_id", "=room__id")
    readonly_fields = [f.name for f in ChatMessage._meta.fields]


@admin.register(UserContext)
class UserContextAdmin(admin.ModelAdmin):
    list_display = ("user_id", "summarized_messages", "updated_at")
    search_fields = ("user_id",)
    readonly_fields = ("summarized_messages", "updated_at")
