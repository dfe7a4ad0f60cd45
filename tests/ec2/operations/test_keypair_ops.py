"""Key pair kinds end to end: page or API -> sandbox EC2 -> inventory row -> action; the private key is never stored."""

import base64

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519, rsa
from django.urls import reverse

from fleetui.actions.engine import action_execute
from fleetui.actions.models import Action, ActionLock, ActionLogEntry
from fleetui.ec2.models import KeyPair
from fleetui.ec2.operations.keypairs import public_key_problem
from fleetui.inventory.sync import sync_scope
from tests.actions.conftest import REGION

pytestmark = pytest.mark.django_db(transaction=True)


def _api(client, kind: str, targets: list[str], **params):
    payload = {"kind": kind, "targets": targets, "params": params, "reason": "CHG-9", "region": REGION}
    if "confirm" in params:
        payload["confirm"] = params.pop("confirm")
    return client.post("/api/v1/actions/", payload, content_type="application/json")


def _stored_text() -> str:
    """Every column of every Action, ActionLogEntry, ActionLock and KeyPair row, as text."""
    text = []
    for model in (Action, ActionLogEntry, ActionLock, KeyPair):
        fields = [f.attname for f in model._meta.concrete_fields]
        for row in model.objects.values_list(*fields):
            text.extend(str(value) for value in row)
    return "\n".join(text)


def _key_body(material: str) -> str:
    """A line of the private key's base64 body (64 random characters): found only where the key itself is."""
    lines = [line for line in material.splitlines() if line and not line.startswith("-----")]
    return lines[3]


def _ed25519_public() -> str:
    key = ed25519.Ed25519PrivateKey.generate().public_key()
    return key.public_bytes(serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH).decode() + " me@host"


def test_create_from_the_page_shows_the_private_key_once_and_stores_it_nowhere(ec2, account, operator_client):
    url = reverse("actions:new", args=["ec2.keypair_create"])
    assert operator_client.get(url).status_code == 200
    page = operator_client.post(
        url,
        {
            "account": account.account_id,
            "region": REGION,
            "targets": "",
            "p-name": "deploy-2026",
            "p-key_type": "rsa",
            "p-key_format": "pem",
            "reason": "CHG-9 new deploy key",
            "idempotency_key": "kp-1",
            "submit": "1",
        },
    )
    assert page.status_code == 200, page.content
    html = page.content.decode()
    assert "Private key for deploy-2026" in html and 'download="deploy-2026.pem"' in html
    material = html.split('<pre class="json secret" id="secret">')[1].split("</pre>")[0]
    assert "BEGIN RSA PRIVATE KEY" in material
    body = _key_body(material)
    assert len(body) >= 60 and body in html

    action = Action.objects.get()
    assert action.status == "succeeded", action.error
    assert ec2.describe_key_pairs(KeyNames=["deploy-2026"])["KeyPairs"][0]["KeyPairId"] == action.result["key_pair_id"]
    row = KeyPair.objects.get(key_name="deploy-2026")
    assert (row.key_pair_id, row.key_type) == (action.result["key_pair_id"], "rsa")
    assert body not in _stored_text()
    # The action page (and its API) never shows it again.
    assert body not in operator_client.get(reverse("actions:detail", args=[action.pk])).content.decode()
    assert body not in operator_client.get(f"/api/v1/actions/{action.pk}/").content.decode()


def test_create_by_api_returns_the_secret_once_and_a_redelivery_fails_clearly(ec2, account, operator_client):
    response = _api(operator_client, "ec2.keypair_create", [], name="ops-ed", key_type="ed25519", key_format="ppk")
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["status"] == "succeeded"
    assert created["secret"]["title"] == "Private key for ops-ed" and created["secret"]["filename"] == "ops-ed.ppk"
    body = _key_body(created["secret"]["value"])
    assert body and body not in _stored_text()
    assert "secret" not in operator_client.get(f"/api/v1/actions/{created['id']}/").json()
    assert ec2.describe_key_pairs(KeyNames=["ops-ed"])["KeyPairs"][0]["KeyType"] == "ed25519"

    # A second delivery (recovery re-sent it after the key was made): the key cannot be shown again.
    Action.objects.filter(pk=created["id"]).update(status="running", finished_at=None, heartbeat_at=None)
    ctx = action_execute(created["id"], owner="test/redelivery")
    action = Action.objects.get(pk=created["id"])
    assert action.status == "failed" and ctx is not None and ctx.secret == {}
    assert action.error == (
        "The key pair ops-ed exists; its private key cannot be shown again - delete it and create a new one."
    )
    assert len(ec2.describe_key_pairs()["KeyPairs"]) == 1


def test_create_refuses_a_name_the_inventory_already_holds(ec2, account, operator_client):
    ec2.create_key_pair(KeyName="taken")
    sync_scope(account=account, region=REGION, resource_type="key_pairs")
    response = _api(operator_client, "ec2.keypair_create", [], name="taken", key_type="rsa", key_format="pem")
    assert response.status_code == 400
    assert response.json()["name"] == ["A key pair named taken already exists in this account and region."]
    bad_type = _api(operator_client, "ec2.keypair_create", [], name="new", key_type="dsa", key_format="pem")
    assert "dsa is not one of the available choices" in bad_type.json()["key_type"][0]
    assert not Action.objects.exists()


def test_import_adds_the_public_key_to_aws_and_the_inventory(ec2, account, operator_client):
    public = _ed25519_public()
    response = _api(operator_client, "ec2.keypair_import", [], name="laptop", public_key=public)
    action = Action.objects.get(pk=response.json()["id"])
    assert action.status == "succeeded", action.error
    aws_key = ec2.describe_key_pairs(KeyNames=["laptop"])["KeyPairs"][0]
    assert action.result["fingerprint"] == aws_key["KeyFingerprint"]
    assert KeyPair.objects.get(key_name="laptop").fingerprint == aws_key["KeyFingerprint"]


def test_import_refuses_what_aws_would_not_read(ec2, account, operator_client):
    private = (
        ed25519.Ed25519PrivateKey.generate()
        .private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.OpenSSH, serialization.NoEncryption())
        .decode()
    )
    cases = {
        private: "This is a private key",
        "ssh-dss AAAAB3NzaC1kc3M=": "A public key starts with one of ssh-rsa",
        "ssh-ed25519 not-base64!": "not valid base64",
        _ed25519_public().replace("ssh-ed25519", "ssh-rsa", 1): "not a ssh-rsa key",
    }
    for text, reason in cases.items():
        response = _api(operator_client, "ec2.keypair_import", [], name="laptop", public_key=text)
        assert response.status_code == 400 and reason in response.json()["public_key"][0], (text, response.json())
    assert not Action.objects.exists()


def test_public_key_checks_the_rsa_size_aws_accepts():
    def ssh_rsa(bits: int) -> str:
        numbers = rsa.generate_private_key(public_exponent=65537, key_size=2048).public_key().public_numbers()
        modulus = (numbers.n >> (2048 - bits)) | (1 << (bits - 1))

        def field(data: bytes) -> bytes:
            return len(data).to_bytes(4, "big") + data

        blob = field(b"ssh-rsa") + field(b"\x01\x00\x01") + field(b"\x00" + modulus.to_bytes(bits // 8, "big"))
        return "ssh-rsa " + base64.b64encode(blob).decode()

    assert public_key_problem(ssh_rsa(2048)) == ""
    assert public_key_problem(ssh_rsa(512)) == "AWS imports RSA keys of 1024 to 4096 bits; this one has 512."
    assert "at most 16384 bytes" in public_key_problem("ssh-rsa " + "A" * 17000)


def test_delete_removes_the_keys_and_warns_about_instances_still_using_one(ec2, account, fleet, admin_client_):
    ec2.create_key_pair(KeyName="old")
    ec2.create_key_pair(KeyName="unused")
    fleet(2, KeyName="old")
    sync_scope(account=account, region=REGION, resource_type="key_pairs")
    response = _api(admin_client_, "ec2.keypair_delete", ["old", "unused"], confirm="2")
    action = Action.objects.get(pk=response.json()["id"])
    assert action.status == "succeeded", action.error
    assert action.result["key_pairs"] == {"old": "deleted", "unused": "deleted"}
    assert action.result["warnings"] == [
        "2 instances in the inventory use old; they keep running, but new logins need another key."
    ]
    assert ec2.describe_key_pairs()["KeyPairs"] == []
    assert KeyPair.objects.filter(gone_at__isnull=True).count() == 0


def test_delete_is_admin_only_and_refuses_unknown_names(ec2, account, operator_client, admin_client_):
    assert _api(operator_client, "ec2.keypair_delete", ["x"]).status_code == 403
    response = _api(admin_client_, "ec2.keypair_delete", ["nope"])
    assert response.status_code == 400 and "Not in the inventory of 123456789012/us-east-1: nope" in str(
        response.json()
    )
    assert not Action.objects.exists()
