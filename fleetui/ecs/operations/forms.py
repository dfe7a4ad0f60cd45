"""Parameter forms of the ECS kinds (the page and the API validate with the same form, so a bad count is refused
with the same words in both, before any Action row is written)."""

from __future__ import annotations

from django import forms

from fleetui.actions.registry import NoParams

MAX_TASKS = 5000  # ECS's quota of tasks per service ("Tasks per service", not adjustable)
REASON_LIMIT = 255  # StopTask's reason: at most 255 characters


class ScaleForm(NoParams):
    desired_count = forms.IntegerField(
        label="Desired count",
        min_value=0,
        max_value=MAX_TASKS,
        help_text=f"How many tasks the service should run: 0 (stop them all) to {MAX_TASKS}.",
        error_messages={
            "required": "Say how many tasks the service should run (0 to 5000).",
            "invalid": f"The desired count is a whole number of tasks, 0 to {MAX_TASKS}.",
            "min_value": "The desired count cannot be negative: 0 stops every task of the service.",
            "max_value": f"ECS runs at most {MAX_TASKS} tasks per service (its quota); ask for {MAX_TASKS} or fewer.",
        },
    )


class StopTaskForm(NoParams):
    reason = forms.CharField(
        required=False,
        max_length=REASON_LIMIT,
        label="Stop reason",
        help_text=(
            "Passed to AWS as the task's stopped reason (shown in the console and DescribeTasks). Empty: the "
            "action's reason, with who asked."
        ),
        error_messages={"max_length": f"AWS keeps at most {REASON_LIMIT} characters of a stop reason."},
    )
