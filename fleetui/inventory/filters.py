"""FilterSets of the sync engine's own rows: sync runs and accounts."""

import django_filters as df

from fleetui.core.filters import CSVChoiceFilter, FilterSet, InventoryChoiceFilter, StrictBooleanFilter

from .models import Account, SyncRun


class SyncRunFilterSet(FilterSet):
    """Sync runs by scope and outcome: `?status=failed&region=eu-west-1`."""

    # Account by name (a loose scan of its indexed key); region stays a text box: sync runs pile up, and their region
    # has no index of its own to walk.
    account = InventoryChoiceFilter(field_name="account__account_id", label_field="account__name", label="Account")
    region = CSVChoiceFilter(field_name="region", label="Region")
    resource_type = CSVChoiceFilter(field_name="resource_type", label="Resource type")
    status = df.ChoiceFilter(field_name="status", choices=SyncRun.Status.choices)

    class Meta:
        model = SyncRun
        fields: list[str] = []


class AccountFilterSet(df.FilterSet):
    enabled = StrictBooleanFilter(field_name="enabled")

    class Meta:
        model = Account
        fields: list[str] = []
