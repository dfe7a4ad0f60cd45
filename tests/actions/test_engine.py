"""The engine's promises: exactly once under redelivery, locks per target, cancel between steps, a cap on
redeliveries, one action per form submission, and an audit log that cannot be edited."""

from datetime import timedelta

import pytest
from django import forms
from django.utils import timezone

from fleetui.actions import engine
from fleetui.actions.context import ActionCancelled, ActionContext
from fleetui.actions.models import Action, ActionLock, AuditProtected
from fleetui.actions.registry import OPERATIONS, ActionInvalid, Confirmation, NoParams, Operation
from fleetui.actions.services import action_cancel, action_request

pytestmark = pytest.mark.django_db


class Steps(Operation):
    """A test kind with three steps; `calls` records which ran, `on_step` lets a test act in between."""

    kind, label, target_type, min_targets = "test.steps", "Test steps", "", 0
    calls: list[str] = []
    on_step = None

    def run(self, ctx: ActionContext) -> None:
        for name in ("one", "two", "three"):
            ctx.step(f"step {name}")
            Steps.calls.append(name)
            if Steps.on_step:
                Steps.on_step(name, ctx)
        ctx.note(done=True)


@pytest.fixture
def steps():
    OPERATIONS[Steps.kind] = Steps()
    Steps.calls, Steps.on_step = [], None
    yield Steps
    del OPERATIONS[Steps.kind]


@pytest.fixture
def request_steps(steps, operator, account):
    def make(**extra):
        return action_request(
            user=operator, kind=steps.kind, account=account, region="us-east-1", reason="test", **extra
        )

    return make


def test_a_pending_action_is_claimed_once(request_steps):
    action = request_steps()
    assert engine.action_claim(action.pk, owner="w1") is not None
    with pytest.raises(engine.Busy):  # w1 is alive: its heartbeat is fresh
        engine.action_claim(action.pk, owner="w2")
    action.refresh_from_db()
    assert (action.status, action.owner, action.deliveries) == ("running", "w1", 1)


def test_a_redelivery_after_a_lost_worker_takes_over_and_resumes(request_steps, steps, settings):
    action = request_steps()
    engine.action_claim(action.pk, owner="w1")
    Action.objects.filter(pk=action.pk).update(
        heartbeat_at=timezone.now() - timedelta(seconds=settings.FLEETUI_ACTION_STALE_AFTER + 1)
    )

    ctx = engine.action_execute(action.pk, owner="w2")
    action.refresh_from_db()
    assert (action.status, action.owner, action.deliveries, action.result) == ("succeeded", "w2", 2, {"done": True})
    messages = [e.message for e in action.log.all()]
    assert "The worker running this action was lost; resuming (delivery 2)." in messages
    assert ctx is not None and steps.calls == ["one", "two", "three"]
    assert engine.action_execute(action.pk, owner="w3") is None  # finished: a late duplicate does nothing


def test_the_old_owner_stops_when_another_delivery_took_over(request_steps, steps):
    action = request_steps()

    def taken_over(name, ctx):
        if name == "one":
            Action.objects.filter(pk=ctx.action.pk).update(owner="someone-else")

    steps.on_step = taken_over
    assert engine.action_execute(action.pk, owner="w1") is None
    assert steps.calls == ["one"]
    action.refresh_from_db()
    assert action.status == "running" and action.owner == "someone-else"


def test_redeliveries_are_capped(request_steps, settings):
    action = request_steps()
    stale = timezone.now() - timedelta(seconds=settings.FLEETUI_ACTION_STALE_AFTER + 1)
    for attempt in range(settings.FLEETUI_ACTION_MAX_DELIVERIES):
        assert engine.action_claim(action.pk, owner=f"w{attempt}") is not None
        Action.objects.filter(pk=action.pk).update(heartbeat_at=stale)
    assert engine.action_claim(action.pk, owner="last") is None
    action.refresh_from_db()
    assert action.status == "failed"
    assert f"lost {settings.FLEETUI_ACTION_MAX_DELIVERIES} times" in action.error
    assert not ActionLock.objects.filter(action=action).exists()


def test_cancel_stops_a_running_action_between_steps(request_steps, steps, operator):
    action = request_steps()
    steps.on_step = lambda name, ctx: name == "one" and action_cancel(action=ctx.action, user=operator)
    engine.action_execute(action.pk, owner="w1")
    action.refresh_from_db()
    assert steps.calls == ["one"]
    assert (action.status, action.error) == ("cancelled", "Cancelled by otto between steps.")


def test_cancel_of_a_pending_action_ends_it_at_once(request_steps, operator):
    action = action_cancel(action=request_steps(), user=operator)
    assert action.status == "cancelled"
    assert engine.action_execute(action.pk, owner="w1") is None
    with pytest.raises(ActionInvalid, match="already cancelled"):
        action_cancel(action=action, user=operator)


def test_the_same_submission_twice_is_one_action(request_steps):
    first = request_steps(idempotency_key="form-123")
    second = request_steps(idempotency_key="form-123")
    assert first.pk == second.pk and Action.objects.count() == 1


def test_a_second_action_on_a_busy_target_is_refused_with_the_holder(fleet, operator, account):
    ids = fleet(1)
    first = action_request(user=operator, kind="ec2.stop", account=account, region="us-east-1", targets=ids, reason="a")
    # Not a transactional test: the first action's task is never sent, so it stays pending and holds its lock.
    with pytest.raises(ActionInvalid) as refused:
        action_request(user=operator, kind="ec2.start", account=account, region="us-east-1", targets=ids, reason="b")
    assert refused.value.busy
    assert f"{ids[0]} is busy: action #{first.pk} (ec2.stop, requested by otto)" in str(refused.value)
    assert Action.objects.count() == 1


def test_a_reason_is_required(steps, operator, account):
    with pytest.raises(ActionInvalid) as refused:
        action_request(user=operator, kind=steps.kind, account=account, region="us-east-1", reason="  ")
    assert "reason" in refused.value.errors


def test_the_request_of_an_action_cannot_be_edited_or_deleted(request_steps):
    action = request_steps()
    action.reason = "rewritten"
    with pytest.raises(AuditProtected):
        action.save()
    with pytest.raises(AuditProtected):
        action.delete()
    with pytest.raises(AuditProtected):
        Action.objects.all().delete()
    with pytest.raises(AuditProtected):
        action.log.first().delete()
    action.refresh_from_db()
    assert action.reason == "test"


def test_unexpected_errors_are_recorded_by_the_task_hook(request_steps, steps):
    from fleetui.actions.tasks import run_action

    action = request_steps()

    def boom(name, ctx):
        raise KeyError("bug")

    steps.on_step = boom
    # As a worker runs it (errors not propagated to the caller): Celery calls the task's failure hook.
    assert run_action.apply(args=[action.pk], throw=False).failed()
    action.refresh_from_db()
    assert action.status == "failed" and action.error == "Internal error: KeyError: 'bug'"


def test_recover_resends_pending_actions_whose_task_was_lost(request_steps, settings):
    from fleetui.actions import tasks

    old = timezone.now() - timedelta(seconds=settings.FLEETUI_ACTION_PENDING_RESEND + 5)
    lost = request_steps()
    Action.objects.filter(pk=lost.pk).update(created_at=old)
    fresh = request_steps()
    assert tasks.recover_actions() == 1
    lost.refresh_from_db()
    fresh.refresh_from_db()
    assert lost.status == "succeeded" and fresh.status == "pending"


def test_checkpoint_raises_cancelled_for_the_owner(request_steps, operator):
    action = request_steps()
    claimed = engine.action_claim(action.pk, owner="w1")
    action_cancel(action=claimed, user=operator)
    with pytest.raises(ActionCancelled):
        ActionContext(claimed, owner="w1").checkpoint()


def test_a_kind_whose_target_type_no_service_syncs_fails_the_system_check(monkeypatch):
    from django.core.checks import run_checks

    from fleetui.actions import registry

    assert not [e for e in run_checks() if e.id == "fleetui.A001"]

    class Typo(registry.Operation):
        kind, label, target_type = "test.typo", "Typo", "instancez"

    monkeypatch.setitem(registry.OPERATIONS, Typo.kind, Typo())
    errors = [e for e in run_checks() if e.id == "fleetui.A001"]
    assert [e.msg for e in errors] == ["Action kind test.typo targets 'instancez', which no service's sync declares."]


def test_an_action_runs_with_the_standard_aws_profile_even_inside_a_web_request(aws, request_steps):
    """A request answers with the quick profile (fleetui.core.middleware); an action it runs inline must not inherit
    its short timeouts, since it may wait on AWS for minutes."""
    from fleetui.aws import QUICK, calls_profile, client_get

    seen = []
    Steps.on_step = lambda name, ctx: seen.append(client_get("ec2", region="us-east-1").meta.config.read_timeout)
    action = request_steps()
    with calls_profile(QUICK):
        engine.action_execute(action.pk, owner="web/1")
    assert seen == [120, 120, 120]


class Drain(Steps):
    """A test kind that asks for a typed phrase only when its `to` parameter is zero."""

    kind, label = "test.drain", "Test drain"

    class form_class(NoParams):
        to = forms.IntegerField(min_value=0)

    def confirmation(self, *, account, region, targets, params):
        return Confirmation("DRAIN TO 0", "Nothing will be left running") if params["to"] == 0 else None


@pytest.fixture
def drain():
    OPERATIONS[Drain.kind] = Drain()
    yield Drain
    del OPERATIONS[Drain.kind]


def test_a_kind_asks_for_a_typed_phrase_that_depends_on_its_parameters(drain, operator, account):
    def request(to, confirm=""):
        return action_request(
            user=operator, kind=drain.kind, account=account, region="us-east-1", reason="r",
            params={"to": to}, confirm=confirm,
        )  # fmt: skip

    assert request(3).params == {"to": 3}  # nothing asked
    with pytest.raises(ActionInvalid) as refused:
        request(0, confirm="drain to 0")
    assert refused.value.errors == {"confirm": ["Nothing will be left running: type DRAIN TO 0 to confirm."]}
    assert Action.objects.count() == 1
    assert request(0, confirm=" DRAIN TO 0 ").params == {"to": 0}


def test_an_action_in_a_region_fleetui_does_not_sync_is_refused_before_anything_is_recorded(steps, operator, account):
    with pytest.raises(ActionInvalid) as refused:  # a region's shape is not enough: zz-fake-9 and us-west-2 look right
        action_request(user=operator, kind=steps.kind, account=account, region="us-west-2", reason="r")
    assert refused.value.errors == {
        "region": [
            "us-west-2 is not a region fleetui syncs for account 123456789012; it works in us-east-1, eu-west-1."
        ]
    }
    assert not Action.objects.exists()


def test_a_stale_action_is_handed_off_once_and_the_next_delivery_takes_it_over_at_once(request_steps, steps, settings):
    action = request_steps()
    engine.action_claim(action.pk, owner="w1")
    assert engine.actions_hand_off_stale() == []  # a fresh heartbeat: w1 is alive
    stale = timezone.now() - timedelta(seconds=settings.FLEETUI_ACTION_STALE_AFTER + 1)
    Action.objects.filter(pk=action.pk).update(heartbeat_at=stale)

    assert engine.actions_hand_off_stale() == [action.pk]
    assert engine.actions_hand_off_stale() == []  # the next worker to look finds it handed off: one re-send
    action.refresh_from_db()
    assert action.owner == engine.HANDED_OFF and action.heartbeat_at > stale
    engine.action_execute(action.pk, owner="w2")  # the heartbeat is fresh, but nobody runs it: no Busy
    action.refresh_from_db()
    assert (action.status, action.owner, action.deliveries) == ("succeeded", "w2", 2)
    assert "The worker running this action was lost; resuming (delivery 2)." in [e.message for e in action.log.all()]


def test_the_watch_re_sends_an_action_whose_worker_died(request_steps, steps, settings):
    from fleetui.actions.watch import stale_actions_resend

    action = request_steps()
    engine.action_claim(action.pk, owner="w1")
    Steps.calls = []
    stale = timezone.now() - timedelta(seconds=settings.FLEETUI_ACTION_STALE_AFTER + 1)
    Action.objects.filter(pk=action.pk).update(heartbeat_at=stale)
    assert stale_actions_resend() == 1  # sent (run eagerly here) and resumed
    action.refresh_from_db()
    assert (action.status, action.deliveries) == ("succeeded", 2) and steps.calls == ["one", "two", "three"]
    assert stale_actions_resend() == 0


@pytest.mark.django_db(transaction=True)
def test_workers_looking_at_once_hand_a_stale_action_off_once(request_steps, settings):
    import threading

    from django.db import connection

    action = request_steps()  # committed here, so it runs at once (eagerly): make it a running one again
    stale = timezone.now() - timedelta(seconds=settings.FLEETUI_ACTION_STALE_AFTER + 1)
    Action.objects.filter(pk=action.pk).update(status="running", owner="w1", heartbeat_at=stale, finished_at=None)
    handed: list[list[int]] = []

    def look() -> None:
        try:
            handed.append(engine.actions_hand_off_stale())
        finally:
            connection.close()

    lookers = [threading.Thread(target=look) for _ in range(4)]
    for each in lookers:
        each.start()
    for each in lookers:
        each.join(timeout=30)
    assert sorted(handed) == [[], [], [], [action.pk]]
