"""One declaration per resource: the CSV export's columns and the API serializer's fields both come from it."""

from fleetui.core.fields import Field, api_fields, csv_columns, tag
from fleetui.ec2 import serializers as ec2
from fleetui.ec2.views import InstanceListView

INSTANCE_CSV_HEADER = (
    "account_id,region,instance_id,name,state,instance_type,family,category,lifecycle,tenancy,placement_group,"
    "key_name,image_id,launch_time,private_ip,public_ip,vcpus,memory_mib,availability_zone,owner,env,reserved,"
    "cost_per_hour,cost_source,cost_as_of"
)


def test_a_field_goes_to_the_csv_the_api_or_both():
    fields = [
        Field("id", csv=False),
        Field("account_id", "account.account_id"),
        Field("owner", tag("Owner"), api=False),
    ]
    columns = csv_columns(fields)
    assert [name for name, _ in columns] == ["account_id", "owner"]
    assert columns[0][1] == "account.account_id"
    assert columns[1][1](type("Row", (), {"tags": {"Owner": "ops"}})()) == "ops"
    assert api_fields(fields) == ["id", "account_id"]


def test_the_instance_csv_header_is_the_documented_one_and_the_api_shares_its_declaration():
    assert ",".join(name for name, _ in InstanceListView.csv_columns) == INSTANCE_CSV_HEADER
    assert list(ec2.InstanceSerializer().fields) == api_fields(ec2.INSTANCE_FIELDS)
