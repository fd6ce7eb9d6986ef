"""Retry the MongoDB archive of chat messages every minute (a no-op without MONGO_URL)."""

from django.db import migrations


def create_schedule(apps, schema_editor):
    Schedule = apps.get_model("django_q", "Schedule")
    Schedule.objects.update_or_create(
        name="aiserver-chat-archive",
        defaults={"func": "chat.history.archive_pending", "schedule_type": "I", "minutes": 1, "repeats": -1},
    )


def delete_schedule(apps, schema_editor):
    apps.get_model("django_q", "Schedule").objects.filter(name="aiserver-chat-archive").delete()


class Migration(migrations.Migration):
    dependencies = [("chat", "0001_initial"), ("tasks", "0002_sweep_schedule")]
    operations = [migrations.RunPython(create_schedule, delete_schedule)]
