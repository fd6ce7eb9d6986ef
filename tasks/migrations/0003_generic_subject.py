"""Tasks name their subject by id instead of a foreign key to documents (tasks knows no feature's
tables); document_ref and doc_type become the generic subject_ref and label."""

from django.db import migrations, models

COPY_SUBJECT = "UPDATE tasks_task SET subject_id = document_id::text WHERE document_id IS NOT NULL"


class Migration(migrations.Migration):
    dependencies = [("tasks", "0002_sweep_schedule"), ("documents", "0002_lexical_index")]

    operations = [
        migrations.AddField(
            model_name="task",
            name="subject_id",
            field=models.CharField(blank=True, db_index=True, help_text="primary key of the subject", max_length=64),
        ),
        migrations.RunSQL(COPY_SUBJECT, migrations.RunSQL.noop),
        migrations.RemoveField(model_name="task", name="document"),
        migrations.RenameField(model_name="task", old_name="document_ref", new_name="subject_ref"),
        migrations.RenameField(model_name="task", old_name="doc_type", new_name="label"),
        migrations.AlterField(
            model_name="task",
            name="label",
            field=models.CharField(blank=True, max_length=16),
        ),
        migrations.AlterField(
            model_name="task",
            name="kind",
            field=models.CharField(help_text="a registered job kind (tasks.registry)", max_length=32),
        ),
        migrations.AlterField(model_name="task", name="stage", field=models.CharField(max_length=32)),
        migrations.AddIndex(
            model_name="task", index=models.Index(fields=["kind", "subject_id"], name="tasks_task_kind_728bcf_idx")
        ),
    ]
