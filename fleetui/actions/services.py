"""Write side of actions: request (validate, record, lock, enqueue on commit), cancel, retry.

The pages and the REST API both call `action_request`, so they validate the same way. Everything is
checked before the row is written, and the row is written before any AWS call.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction

from fleetui.core.roles import has_role
from fleetui.inventory.models import Account, SyncRun
from fleetui.inventory.sync import spec_get

from .engine import action_execute, action_finish
from .models import Action, ActionLock, ActionLogEntry
from .registry import ActionInvalid, Operation, operation_get

REGION_NAME = re.compile(r"[a-z]{2}(-[a-z]+)+-\d{1,2}")


def lock_key(account: Account, region: str, resource: str) -> str:
    return f"{account.account_id}/{region}/{resource}"


def _holder_message(keys: list[str]) -> str:
    lock = ActionLock.objects.select_related("action__requested_by").filter(resource__in=keys).first()
    if lock is None:
        return "Another action started on the same resources at the same moment; try again."
    held = lock.action
    return (
        f"{lock.resource.rsplit('/', 1)[-1]} is busy: action #{held.pk} ({held.kind}, requested by "
        f"{held.requested_by.get_username()}) is {held.status} on it. Wait for it to finish or cancel it."
    )


def locks_acquire(action: Action, keys: Sequence[str]) -> None:
    """Lock each resource for `action`, or raise ActionInvalid naming the action that holds one."""
    if not keys:
        return
    try:
        with transaction.atomic():
            ActionLock.objects.bulk_create([ActionLock(resource=key, action=action) for key in keys])
    except IntegrityError:
        raise ActionInvalid(_holder_message(list(keys)), field="targets", busy=True) from None


def _clean_common(op: Operation, *, targets: Sequence[str], reason: str) -> list[str]:
    errors: dict[str, list[str]] = {}
    unique = list(dict.fromkeys(str(t).strip() for t in targets if str(t).strip()))
    if len(unique) < op.min_targets:
        errors["targets"] = [f"{op.label} needs at least {op.min_targets} target{'s' * (op.min_targets > 1)}."]
    elif len(unique) > op.max_targets:
        errors["targets"] = [f"{op.label} takes at most {op.max_targets} targets; {len(unique)} were given."]
    if settings.FLEETUI_ACTION_REASON_REQUIRED and not (reason or "").strip():
        errors["reason"] = ["Say why (free text or a ticket id): it is kept in the audit log."]
    if errors:
        raise ActionInvalid(errors)
    return unique


def operation_allowed(*, user: Any, kind: str) -> Operation:
    """The kind's operation if the user's role may run it; raises PermissionDenied (before any other check)."""
    op = operation_get(kind)
    if not has_role(user, op.role):
        raise PermissionDenied(f"{op.label} needs the {op.role.label} role.")
    return op


def action_validate(
    *,
    user: Any,
    kind: str,
    account: Account,
    region: str,
    targets: Sequence[str],
    params: dict[str, Any],
    reason: str,
    confirm: Any = None,
) -> tuple[Operation, list[str], dict[str, Any]]:
    """Everything `action_request` checks, without writing: (operation, targets, cleaned params)."""
    op = operation_allowed(user=user, kind=kind)
    if not account.enabled:
        raise ActionInvalid(f"Account {account} is disabled in fleetui.", field="account")
    if not REGION_NAME.fullmatch(region or ""):
        raise ActionInvalid(f"{region!r} is not an AWS region name (like us-east-1).", field="region")
    if region not in (synced := regions_for(account)):
        where = f"it works in {', '.join(synced)}" if synced else "none has been synced yet: sync the account first"
        raise ActionInvalid(
            f"{region} is not a region fleetui syncs for account {account.account_id}; {where}.", "region"
        )
    unique = _clean_common(op, targets=targets, reason=reason)
    form = op.form_class(data=params or {}, account=account, region=region)
    if not form.is_valid():
        raise ActionInvalid({name: [str(m) for m in msgs] for name, msgs in form.errors.items()})
    cleaned = {k: v for k, v in form.cleaned_data.items() if v not in (None, "", [])}
    needed = op.required_role(cleaned)
    if not has_role(user, needed):
        raise PermissionDenied(f"{op.label} with these settings needs the {needed.label} role.")
    unique = op.clean_targets(account=account, region=region, targets=unique, params=cleaned)
    asked = op.confirmation(account=account, region=region, targets=unique, params=cleaned)
    if asked and str(confirm or "").strip() != asked.text:
        raise ActionInvalid(asked.message, field="confirm")
    return op, unique, cleaned


def action_request(
    *,
    user: Any,
    kind: str,
    account: Account,
    region: str,
    targets: Sequence[str] = (),
    params: dict[str, Any] | None = None,
    reason: str = "",
    confirm: Any = None,
    idempotency_key: str = "",
    parent: Action | None = None,
) -> Action:
    """Validate, record and lock an action, and enqueue it once the transaction commits.

    The same `idempotency_key` from the same user returns the action already recorded (a double click).
    Raises ActionInvalid (bad input, with per-field messages, or a target busy with another action) and
    PermissionDenied (the user's role is too low). An `inline` operation runs before this returns.
    """
    # A repeat of a recorded submission returns its action before anything is checked again: by now the first one
    # may have changed what the checks see (a swap done makes the same swap invalid), and it is still one action.
    key = (idempotency_key or "").strip()[:64]
    if key and (existing := Action.objects.filter(requested_by=user, idempotency_key=key).first()):
        operation_allowed(user=user, kind=existing.kind)
        return existing
    op, unique, cleaned = action_validate(
        user=user,
        kind=kind,
        account=account,
        region=region,
        targets=targets,
        params=params or {},
        reason=reason,
        confirm=confirm,
    )
    try:
        with transaction.atomic():
            action = Action.objects.create(
                kind=op.kind,
                account=account,
                region=region,
                targets=unique,
                params=cleaned,
                reason=(reason or "").strip(),
                requested_by=user,
                idempotency_key=key,
                parent=parent,
                task_id=str(uuid.uuid4()),
            )
            locks_acquire(action, [lock_key(account, region, r) for r in op.lock_keys(action)])
            ActionLogEntry.objects.create(
                action=action, message=f"Requested by {user.get_username()}: {op.describe(action)}."
            )
            if not op.inline:
                transaction.on_commit(lambda: action_enqueue(action))
    except IntegrityError:
        # The same submission raced itself (two requests at once): the first one's row wins.
        existing = Action.objects.filter(requested_by=user, idempotency_key=key).first() if key else None
        if existing is None:
            raise
        return existing
    if op.inline:
        ctx = action_execute(action.pk, owner=f"web/{uuid.uuid4()}")
        action.refresh_from_db()
        # Shown once to the requester and never stored (a created key pair's private key).
        action.secret = ctx.secret if ctx else {}  # type: ignore[attr-defined]
    return action


def action_scope(*, kind: str, targets: Sequence[str], account_id: str = "", region: str = "") -> tuple[Account, str]:
    """The (account, region) of a request: as given, else from the inventory's rows of the targets, else the only
    enabled account. Raises ActionInvalid when it cannot be told."""
    op = operation_get(kind)
    if not (account_id and region) and op.target_type and targets:
        spec = spec_get(op.target_type)
        rows = spec.model._default_manager.filter(**{f"{spec.key}__in": list(targets)}, gone_at__isnull=True)
        scopes = set(rows.values_list("account__account_id", "region"))
        if len(scopes) > 1:
            raise ActionInvalid(
                "The targets span several accounts or regions; send one request per region.", field="targets"
            )
        if scopes:
            found_account, found_region = scopes.pop()
            account_id, region = account_id or found_account, region or found_region
    accounts = Account.objects.filter(enabled=True)
    if not account_id:
        if accounts.count() != 1:
            raise ActionInvalid("Say which account (12-digit id).", field="account")
        account = accounts.get()
    else:
        found = accounts.filter(account_id=account_id).first()
        if found is None:
            raise ActionInvalid(f"No enabled account {account_id} in fleetui.", field="account")
        account = found
    if not region:
        raise ActionInvalid("Say which region.", field="region")
    return account, region


def action_enqueue(action: Action) -> None:
    """Send the action's task (its id is the action's task_id, so re-sends of the same action are traceable)."""
    from .tasks import run_action

    run_action.apply_async(args=[action.pk], task_id=action.task_id)


def action_cancel(*, action: Action, user: Any) -> Action:
    """Cancel a pending action now, or ask a running one to stop at its next step.

    Anyone who may run the kind may cancel it. Raises PermissionDenied or ActionInvalid (already finished).
    """
    op = operation_get(action.kind)
    if not has_role(user, op.role):
        raise PermissionDenied(f"Cancelling {op.label} needs the {op.role.label} role.")
    with transaction.atomic():
        row = Action.objects.select_for_update().get(pk=action.pk)
        if row.is_done:
            raise ActionInvalid(f"Action #{row.pk} already {row.status}; there is nothing to cancel.")
        row.cancel_requested, row.cancelled_by = True, user.get_username()
        row.save(update_fields=["cancel_requested", "cancelled_by"])
        if row.status == Action.Status.PENDING:
            action_finish(
                row, Action.Status.CANCELLED, owner=None, error=f"Cancelled by {row.cancelled_by} before it ran."
            )
        else:
            ActionLogEntry.objects.create(
                action=row, message=f"Cancel requested by {row.cancelled_by}; stopping after the current step."
            )
    return row


def regions_for(account: Account) -> list[str]:
    """Regions an action may target: the configured ones, or those the inventory has synced."""
    if settings.FLEETUI_REGIONS:
        return list(settings.FLEETUI_REGIONS)
    return sorted(set(SyncRun.objects.filter(account=account).exclude(region="*").values_list("region", flat=True)))
