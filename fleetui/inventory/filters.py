"""FilterSets of the sync engine's own rows: sync runs and accounts."""

import django_filters as df

from fleetui.core.filters import CSVChoiceFilter, StrictBooleanFilter

from .models import Account, SyncRun


class SyncRunFilterSet(df.FilterSet):
    """Sync runs by scope and outcome: `?status=failed&region=eu-west-1`."""

    account = CSVChoiceFilter(field_name="account__account_id", label="Account id")
    region = CSVChoiceFilter(field_name="region")
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
