"""Action pages: request (form + confirmation), detail with live progress, Activity log, cancel, indicator."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django import forms
from django.contrib import messages
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseStopPolling

from fleetui.core.csvexport import Column
from fleetui.core.htmx import template_for, vary_on_htmx, wants_partial
from fleetui.core.roles import Role, has_role, role_required
from fleetui.core.tables import BaseTable
from fleetui.core.views import ResourceListView, list_page_for, list_view_for
from fleetui.inventory.models import Account
from fleetui.inventory.sync import spec_get

from . import selectors, tables
from .forms import ActionRequestForm, params_from
from .models import Action
from .registry import OPERATIONS, ActionInvalid, operations_for
from .results import parameter_items, result_sections
from .services import action_cancel, action_request, operation_allowed, regions_for

ACTIVITY_CSV: list[Column] = [
    ("id", "pk"),
    ("requested_at", "created_at"),
    ("requested_by", "requested_by.username"),
    ("kind", "kind"),
    ("what", lambda a: OPERATIONS[a.kind].label if a.kind in OPERATIONS else a.kind),
    ("account_id", "account.account_id"),
    ("region", "region"),
    ("targets", lambda a: " ".join(a.targets)),
    ("reason", "reason"),
    ("status", "status"),
    ("started_at", "started_at"),
    ("finished_at", "finished_at"),
    ("duration_s", lambda a: int(a.duration.total_seconds()) if a.duration else ""),
    ("result", lambda a: OPERATIONS[a.kind].summary(a, {}) if a.kind in OPERATIONS else ""),
    ("error", "error"),
]


class ActionsOffered(ResourceListView):
    """Mixed into a service's list view whose rows actions take (`action_target_type`): the bulk bar offers the kinds
    the user may run on a selection, and the page head the kinds that create one."""

    def actions_offered(self, request: HttpRequest, table: BaseTable) -> tuple[list[Any], list[Any]]:
        """(kinds for the bulk bar, kinds that create one). With no bulk kind for the user, the row checkboxes are
        hidden: a viewer sees no control they cannot use."""
        ops = [op for op in operations_for(self.action_target_type) if has_role(request.user, op.role)]
        bulk = [op for op in ops if op.min_targets > 0]
        if not bulk and "select" in table.columns.names():
            table.columns.hide("select")
        table.selected = _selection_handed_back(request)
        return bulk, [op for op in ops if op.min_targets == 0]


# A refused bulk request hands the rows it had checked back to the list it came from, so they are still checked.
SELECTION_KEY = "fleetui_bulk_selection"


def _selection_hand_back(request: HttpRequest, back: str) -> None:
    targets = request.POST.getlist("target")
    if targets and request.POST.get("scope") != "filtered":
        request.session[SELECTION_KEY] = {"path": urlsplit(back).path, "targets": targets}


def _selection_handed_back(request: HttpRequest) -> set[str]:
    kept = request.session.get(SELECTION_KEY)
    if not kept or kept.get("path") != request.path:
        return set()
    del request.session[SELECTION_KEY]
    return set(kept["targets"])


class ActivityView(ResourceListView):
    title = "Activity"
    intro = "Every action anyone requested, with who, why and what came of it. Audit rows are never edited or deleted."
    selector = staticmethod(selectors.action_list)
    table_class = tables.ActionTable
    csv_columns = ACTIVITY_CSV
    csv_filename = "activity.csv"
    more_filters = ("account", "region", "since", "until")


def _op_or_404(kind: str) -> Any:
    if kind not in OPERATIONS:
        raise Http404(f"No action kind {kind}")
    return OPERATIONS[kind]


def _initial_scope(data: QueryDict, op: Any, targets: list[str]) -> dict[str, str]:
    """Account and region for a new action: from the query (or the form being refreshed), else from the inventory row
    of the first target; a region the account does not sync gives way to its first one."""
    initial = {"account": data.get("account", ""), "region": data.get("region", "")}
    if targets and not initial["account"] and op.target_type:
        spec = spec_get(op.target_type)
        row = spec.model._default_manager.filter(**{spec.key: targets[0]}).select_related("account").first()
        if row is not None:
            initial.update(account=row.account.account_id, region=row.region)  # type: ignore[attr-defined]
    # A kind without targets (a launch, a new group): the first account and its first region until the user picks.
    account = _account(initial["account"]) or Account.objects.filter(enabled=True).order_by("name").first()
    if account is not None:
        regions = regions_for(account)
        initial["account"] = account.account_id
        if initial["region"] not in regions:
            initial["region"] = regions[0] if regions else initial["region"]
    return initial


@role_required(Role.OPERATOR)
def action_new(request: HttpRequest, kind: str) -> HttpResponseBase:
    """GET: the form for `kind` (targets from ?target=...); POST: request the action, then show its page.

    A POST without "submit" (htmx's, when the account or region changes, or the "Update choices" button without
    script) draws the form again for the posted scope, keeping what was entered and recording nothing; a GET's
    `p-<field>` values fill the form in the same way."""
    op = operation_allowed(user=request.user, kind=_op_or_404(kind).kind)
    if request.method == "POST" and "submit" in request.POST:
        return _submit(request, op)
    data = request.POST if request.method == "POST" else request.GET
    targets = [t for value in data.getlist("target") for t in value.replace(",", " ").split()]
    if not targets and data.get("targets"):
        targets = data["targets"].replace(",", " ").split()
    scope = _initial_scope(data, op, targets)
    kept = {name: data[name] for name in ("reason", "idempotency_key") if data.get(name)}
    form = ActionRequestForm(initial={**scope, **kept, "targets": " ".join(targets), "parent": data.get("parent")})
    params = op.form_class(
        prefix="p", initial=_param_initial(op, data), account=_account(scope["account"]), region=scope["region"]
    )
    return _render_form(request, op, form, params, targets)


def _account(account_id: str) -> Any:
    return Account.objects.filter(account_id=account_id, enabled=True).first() if account_id else None


def _param_initial(op: Any, data: QueryDict) -> dict[str, Any]:
    """The kind's fields as entered (prefix "p"), a list for a multiple choice."""
    fields = op.form_class.base_fields
    return {
        key[2:]: data.getlist(key) if isinstance(fields.get(key[2:]), forms.MultipleChoiceField) else data.get(key)
        for key in data
        if key.startswith("p-")
    }


def _render_form(
    request: HttpRequest, op: Any, form: ActionRequestForm, params: Any, targets: list[str], status: int = 200
) -> HttpResponse:
    account = _account(form["account"].value() or "")
    scope = {"accounts": Account.objects.filter(enabled=True), "regions": regions_for(account) if account else []}
    # The form sits under the list its rows (or what it creates) are shown on: the menu marks that list.
    parent = list_page_for(op.target_type) if op.target_type else None
    if parent is not None:
        request.menu_here = parent.url_name  # type: ignore[attr-defined]
    context = {
        **scope,
        "parent": parent,
        "op": op,
        "form": form,
        "params": params,
        "targets": targets,
        "confirmation": _confirmation(op, account, form["region"].value() or "", targets, params),
        "target_noun": _target_noun(op, len(targets)),
        "notice": op.form_notice(
            account=account,
            region=form["region"].value() or "",
            targets=targets,
            params=_param_initial(op, request.POST if request.method == "POST" else request.GET),
        ),
    }
    return render(request, "actions/action_form.html", context, status=status)


def _confirmation(op: Any, account: Any, region: str, targets: list[str], params: Any) -> Any:
    """What the request will have to confirm, as far as the page knows yet: a confirmation that depends on the
    parameters (a scale to zero) shows once they are valid, and a refusal names it in any case."""
    if account is None:
        return None
    cleaned = params.cleaned_data if params.is_bound and params.is_valid() else {}
    cleaned = {k: v for k, v in cleaned.items() if v not in (None, "", [])}
    return op.confirmation(account=account, region=region, targets=targets, params=cleaned)


def _target_noun(op: Any, count: int) -> str:
    """What the targets are, for the blast-radius line: the target type's model name ("3 instances")."""
    if not op.target_type:
        return ""
    meta = spec_get(op.target_type).model._meta
    return str(meta.verbose_name if count == 1 else meta.verbose_name_plural)


def _submit(request: HttpRequest, op: Any) -> HttpResponseBase:
    form = ActionRequestForm(request.POST)
    targets = form.target_list()
    params = op.form_class(
        request.POST,
        prefix="p",
        account=_account(request.POST.get("account", "")),
        region=request.POST.get("region", ""),
    )
    if not form.is_valid():
        return _render_form(request, op, form, params, targets, status=400)
    data = form.cleaned_data
    try:
        action = action_request(
            user=request.user,
            kind=op.kind,
            account=data["account"],
            region=data["region"],
            targets=targets,
            params=params_from(op, request.POST),
            reason=data["reason"],
            confirm=data["confirm"],
            idempotency_key=data["idempotency_key"],
            parent=data["parent"],
        )
    except ActionInvalid as refused:
        for field, errors in refused.errors.items():
            target_form = form if field in form.fields or field == "__all__" else params
            for error in errors:
                target_form.add_error(field if field in target_form.fields else None, error)
        params.is_valid()  # show the field values back with their errors
        return _render_form(request, op, form, params, targets, status=400)
    secret = getattr(action, "secret", None)
    if secret:
        # Shown once, in this response only; fleetui never stores it.
        return render(request, "actions/secret.html", {"action": action, "secret": secret})
    return redirect("actions:detail", pk=action.pk)


def action_detail(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The action's page; htmx polls its progress partial, and the answer 286 stops the polling once it ends."""
    action = get_object_or_404(Action.objects.select_related("account", "requested_by", "parent"), pk=pk)
    op = OPERATIONS.get(action.kind)
    context = {
        "action": action,
        "op": op,
        "log": action.log.all(),
        "can_cancel": op is not None and not action.is_done and has_role(request.user, op.role),
        "children": action.children.all(),
        "rows": selectors.action_rows(action, op),
        "sections": result_sections(action.result),
        "parameters": parameter_items(op, action.params),
        "extra": op.page_extra(action, request.user) if op is not None and hasattr(op, "page_extra") else {},
    }
    response = render(request, template_for(request, "actions/action_detail.html", "progress"), context)
    if wants_partial(request) and action.is_done:
        stop = HttpResponseStopPolling(response.content)
        return vary_on_htmx(stop)
    return vary_on_htmx(response)


@require_POST
@role_required(Role.OPERATOR)
def action_cancel_view(request: HttpRequest, pk: int) -> HttpResponseBase:
    action = get_object_or_404(Action, pk=pk)
    try:
        action_cancel(action=action, user=request.user)
        messages.info(request, f"Cancel requested for action #{action.pk}.")
    except ActionInvalid as refused:
        messages.error(request, str(refused))
    return redirect("actions:detail", pk=pk)


def running_indicator(request: HttpRequest) -> HttpResponse:
    """The "running actions" badge in the top bar (polled by htmx on every page)."""
    unfinished = list(selectors.actions_unfinished()[:6])
    return render(request, "actions/_running.html", {"unfinished": unfinished[:5], "more": len(unfinished) > 5})


def _selected_rows(request: HttpRequest, op: Any) -> list[tuple[str, str, str]] | None:
    """(id, account id, region) of the checked rows, or of every row the list's filters match (None: invalid)."""
    spec = spec_get(op.target_type)
    columns = (spec.key, "account__account_id", "region")
    queryset: QuerySet[Any]
    if request.POST.get("scope") == "filtered":
        view = list_view_for(op.target_type)
        assert view is not None  # bulk() refuses kinds whose rows no list shows
        filterset, queryset = view.selector(filters=QueryDict(request.POST.get("query", "")))
        if not filterset.is_valid():
            return None
    else:
        queryset = spec.model._default_manager.filter(**{f"{spec.key}__in": request.POST.getlist("target")})
    return list(queryset.filter(gone_at__isnull=True).values_list(*columns)[: op.max_targets + 1])


def _count_refusal(op: Any) -> str:
    plural = "s" if op.max_targets != 1 else ""
    return f"{op.label} works on at most {op.max_targets} target{plural} at a time: check fewer rows, or filter more."


def _scope_refusal(op: Any, rows: list[tuple[str, str, str]]) -> str:
    """Which rows are in which account and region, by name, the largest group first."""
    spec = spec_get(op.target_type)
    found = spec.model._default_manager.filter(**{f"{spec.key}__in": [rid for rid, _, _ in rows]})
    labels = {getattr(row, spec.key): _row_label(row, getattr(row, spec.key)) for row in found}
    accounts = dict(Account.objects.filter(account_id__in={a for _, a, _ in rows}).values_list("account_id", "name"))
    groups: dict[tuple[str, str], list[str]] = {}
    for rid, account, region in rows:
        groups.setdefault((account, region), []).append(labels.get(rid, rid))
    parts = []
    for (account, region), names in sorted(groups.items(), key=lambda item: -len(item[1])):
        shown = ", ".join(names[:5]) + (f" and {len(names) - 5} more" if len(names) > 5 else "")
        parts.append(f"{shown} in {accounts.get(account, account)} ({account}) {region}")
    return (
        f"{op.label} works on one account and region at a time, and the checked rows are in {len(groups)}: "
        f"{'; '.join(parts)}. Uncheck the rows in the other account or region, or filter by account and region."
    )


def _row_label(row: Any, key: str) -> str:
    """ "web-1 (i-0abc…)": a row's name (its `name` or Name tag) and its id, or the id alone."""
    name = getattr(row, "name", "") or (getattr(row, "tags", None) or {}).get("Name", "")
    return f"{name} ({key})" if name and name != key else key


@require_POST
@role_required(Role.OPERATOR)
def bulk(request: HttpRequest) -> HttpResponseBase:
    """From a list page: the checked rows, or the whole filtered set, into an action's form."""
    op = operation_allowed(user=request.user, kind=_op_or_404(request.POST.get("kind", "")).kind)
    if list_view_for(op.target_type) is None:
        raise Http404(f"{op.label} is not offered on a list.")
    back = request.META.get("HTTP_REFERER") or reverse("inventory:overview")
    rows = _selected_rows(request, op)
    if rows is None:
        messages.error(request, "The list's filters are invalid; fix them first.")
        return redirect(back)
    scopes = {(account, region) for _, account, region in rows}
    if not rows:
        messages.error(request, "Select at least one row first.")
        return redirect(back)
    if len(scopes) > 1 or len(rows) > op.max_targets:
        messages.error(request, _scope_refusal(op, rows) if len(scopes) > 1 else _count_refusal(op))
        _selection_hand_back(request, back)
        return redirect(back)
    account, region = scopes.pop()
    targets = [rid for rid, _, _ in rows]
    form = ActionRequestForm(initial={"account": account, "region": region, "targets": " ".join(targets)})
    params = op.form_class(prefix="p", account=_account(account), region=region)
    return _render_form(request, op, form, params, targets)
