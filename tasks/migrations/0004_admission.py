"""Tasks get `admitted_at` (tasks.admission). Every task that exists already was enqueued when it
was created, so it counts as admitted from then."""

from django.db import migrations, models

ADMIT_EXISTING = "UPDATE tasks_task SET admitted_at = COALESCE(enqueued_at, created_at)"


class Migration(migrations.Migration):
    dependencies = [("tasks", "0003_generic_subject")]

    operations = [
        migrations.AddField(
            model_name="task",
            name="admitted_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.RunSQL(ADMIT_EXISTING, migrations.RunSQL.noop),
    ]
