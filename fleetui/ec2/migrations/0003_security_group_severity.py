"""Security-group findings get a severity (critical, warning, info) instead of the 22/3389 flag.

The stored groups are graded here from the ingress rules they already hold, so the overview and the filters are
right before the next sync rewrites them.
"""

from django.db import migrations, models

from fleetui.ec2.findings import group_severity, rule_severity


def grade_stored_groups(apps, schema_editor):
    SecurityGroup = apps.get_model("ec2", "SecurityGroup")
    for group in SecurityGroup.objects.only("pk", "ingress_rules").iterator(chunk_size=2000):
        rules = [{**rule, "severity": rule_severity(rule)} for rule in group.ingress_rules or []]
        SecurityGroup.objects.filter(pk=group.pk).update(ingress_rules=rules, severity=group_severity(rules))


class Migration(migrations.Migration):
    dependencies = [
        ("ec2", "0002_instance_store"),
    ]

    operations = [
        migrations.AddField(
            model_name="securitygroup",
            name="severity",
            field=models.CharField(
                blank=True,
                choices=[("critical", "critical"), ("warning", "warning"), ("info", "info")],
                db_index=True,
                max_length=8,
            ),
        ),
        migrations.RunPython(grade_stored_groups, migrations.RunPython.noop),
        migrations.RemoveField(model_name="securitygroup", name="world_open_admin"),
    ]
