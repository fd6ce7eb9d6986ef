"""Schedule the copy of analysis results to MongoDB (a no-op without MONGO_URL)."""

from django.db import migrations


def create_schedule(apps, schema_editor):
    Schedule = apps.get_model("django_q", "Schedule")
    Schedule.objects.update_or_create(
        name="aiserver-analysis-archive",
        defaults={"func": "analysis.services.archive_pending", "schedule_type": "I", "minutes": 1, "repeats": -1},
    )


def delete_schedule(apps, schema_editor):
    apps.get_model("django_q", "Schedule").objects.filter(name="aiserver-analysis-archive").delete()


class Migration(migrations.Migration):
    dependencies = [("analysis", "0001_initial"), ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more")]

    operations = [migrations.RunPython(create_schedule, delete_schedule)]
