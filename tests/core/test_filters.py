"""The shared filters' own rules (every service's FilterSets are built on them)."""

import pytest
from django.core.exceptions import ValidationError

from fleetui.core.filters import CSVChoicesField


def test_a_list_of_choices_names_the_bad_values_and_lists_the_valid_ones():
    field = CSVChoicesField(choices=[("RUNNING", "Running"), ("FAILED", "Failed")], required=False)
    assert field.clean("RUNNING, FAILED") == "RUNNING, FAILED"
    with pytest.raises(ValidationError) as refused:
        field.clean("RUNNING,SLEEPING")
    assert refused.value.messages == ["Not a valid choice: SLEEPING. Valid: RUNNING, FAILED."]
    assert CSVChoicesField(required=False).clean("any,value") == "any,value"  # without choices, any value
