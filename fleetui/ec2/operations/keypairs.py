"""ec2.keypair_create, ec2.keypair_import, ec2.keypair_delete.

A created key pair's private key is returned once, in the web response that requested it (the kind is
`inline`), through `ctx.secret`; it never goes into the action's params, result, log or any other row. Because
it cannot be shown twice, a create that finds the key pair already there (a repeated delivery) fails instead
of pretending to succeed. Import and delete are repeat-safe: an import tagged with this action's id counts as
done, and deleting a key that is gone is what AWS answers success to anyway.
"""

from __future__ import annotations

import base64
import binascii
import re

from django import forms

from fleetui.actions.context import ActionContext
from fleetui.actions.models import Action
from fleetui.actions.registry import ActionFailed, NoParams, Operation, operation
from fleetui.aws import ec2_resources as aws
from fleetui.core.roles import Role
from fleetui.ec2.models import KeyPair

from .common import instances_using

KEY_NAME = re.compile(r"[\x20-\x7e]{1,255}")  # AWS: up to 255 ASCII characters
SSH_PREFIXES = ("ssh-rsa", "ssh-ed25519", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521")
RFC4716_HEADER = "---- BEGIN SSH2 PUBLIC KEY ----"
MAX_PUBLIC_KEY = 16384  # bytes; far above a 4096-bit RSA key
RSA_BITS = (1024, 4096)  # the RSA sizes AWS imports
EXISTS_MESSAGE = "The key pair {name} exists; its private key cannot be shown again - delete it and create a new one."


class KeyNameForm(NoParams):
    name = forms.CharField(max_length=255, label="Key pair name")

    def clean_name(self) -> str:
        """ASCII, at most 255 characters, and not already a key pair of this account and region."""
        name = self.cleaned_data["name"].strip()
        if not KEY_NAME.fullmatch(name):
            raise forms.ValidationError("A key pair name is 1-255 printable ASCII characters.")
        taken = KeyPair.objects.filter(account=self.account, region=self.region, key_name=name, gone_at__isnull=True)
        if taken.exists():
            raise forms.ValidationError(f"A key pair named {name} already exists in this account and region.")
        return name


class CreateForm(KeyNameForm):
    key_type = forms.ChoiceField(choices=[("rsa", "RSA 2048"), ("ed25519", "ED25519")], initial="rsa", label="Type")
    key_format = forms.ChoiceField(
        choices=[("pem", "pem (OpenSSH)"), ("ppk", "ppk (PuTTY)")], initial="pem", label="Private key format"
    )


class NamedCreate(Operation):
    """A kind that creates one key pair by name: no targets, the name is locked, the new key is re-synced."""

    target_type, min_targets, max_targets = "key_pairs", 0, 0

    def lock_keys(self, action: Action) -> list[str]:
        return [action.params["name"]]  # the same key as a delete of that name locks

    def touched(self, action: Action) -> dict[str, list[str]]:
        return {"key_pairs": [action.params["name"]]}


@operation
class Create(NamedCreate):
    kind, label, verb = "ec2.keypair_create", "Create key pair", "Create"
    form_class = CreateForm
    inline = True  # the private key is handed back in the request's response, never stored

    def run(self, ctx: ActionContext) -> None:
        name = ctx.params["name"]
        ctx.step(f"Checking that no key pair {name} exists", progress=10)
        if aws.key_pairs_describe(account=ctx.account, region=ctx.region, names=[name]):
            raise ActionFailed(EXISTS_MESSAGE.format(name=name))
        ctx.step(f"Creating key pair {name} ({ctx.params['key_type']})", progress=50)
        created = aws.key_pair_create(
            account=ctx.account,
            region=ctx.region,
            name=name,
            key_type=ctx.params["key_type"],
            key_format=ctx.params["key_format"],
            tags={aws.ACTION_TAG: str(ctx.action.pk)},
        )
        extension = "ppk" if ctx.params["key_format"] == "ppk" else "pem"
        ctx.secret = {
            "title": f"Private key for {name}",
            "value": created["KeyMaterial"],
            "filename": f"{name}.{extension}",
        }
        ctx.note(key_name=name, key_pair_id=created["KeyPairId"], fingerprint=created["KeyFingerprint"])


def _ssh_fields(blob: bytes) -> list[bytes]:
    """The length-prefixed fields of an OpenSSH public key blob (RFC 4253 6.6); ValueError when malformed."""
    fields, at = [], 0
    while at < len(blob):
        if at + 4 > len(blob):
            raise ValueError("truncated")
        size = int.from_bytes(blob[at : at + 4], "big")
        if at + 4 + size > len(blob):
            raise ValueError("truncated")
        fields.append(blob[at + 4 : at + 4 + size])
        at += 4 + size
    return fields


def public_key_problem(text: str) -> str:
    """Why AWS would not import `text` as a public key ("" when it looks right): an OpenSSH line (ssh-rsa,
    ssh-ed25519, ecdsa-sha2-nistp*) whose body decodes to its own type, an RSA key of 1024-4096 bits, or an
    RFC 4716 (SSH2) block. A private key is called out, since pasting one by mistake is the usual slip."""
    if len(text.encode()) > MAX_PUBLIC_KEY:
        return f"A public key is at most {MAX_PUBLIC_KEY} bytes; this is {len(text.encode())}."
    if "PRIVATE KEY" in text:
        return "This is a private key. Paste the public key (the .pub file), and keep the private key to yourself."
    if text.startswith(RFC4716_HEADER):
        return "" if "---- END SSH2 PUBLIC KEY ----" in text else "The SSH2 public key block has no END line."
    kind, _, rest = text.partition(" ")
    if kind not in SSH_PREFIXES:
        return f"A public key starts with one of {', '.join(SSH_PREFIXES)} (OpenSSH) or {RFC4716_HEADER}."
    try:
        fields = _ssh_fields(base64.b64decode(rest.split(" ")[0], validate=True))
    except (binascii.Error, ValueError):
        return f"The {kind} key's body is not valid base64 of an OpenSSH key."
    if not fields or fields[0] != kind.encode():
        return f"The key's body is not a {kind} key."
    if kind == "ssh-rsa":
        bits = len(fields[2].lstrip(b"\0")) * 8 if len(fields) >= 3 else 0
        if not RSA_BITS[0] <= bits <= RSA_BITS[1]:
            return f"AWS imports RSA keys of {RSA_BITS[0]} to {RSA_BITS[1]} bits; this one has {bits}."
    return ""


class ImportForm(KeyNameForm):
    public_key = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4, "placeholder": "ssh-ed25519 AAAA... user@host"}),
        label="Public key",
        help_text="OpenSSH (ssh-rsa, ssh-ed25519, ecdsa-sha2-nistp256/384/521) or an SSH2 (RFC 4716) block.",
    )

    def clean_public_key(self) -> str:
        text = self.cleaned_data["public_key"].strip()
        problem = public_key_problem(text)
        if problem:
            raise forms.ValidationError(problem)
        return text


@operation
class Import(NamedCreate):
    kind, label, verb = "ec2.keypair_import", "Import key pair", "Import"
    form_class = ImportForm

    def run(self, ctx: ActionContext) -> None:
        name = ctx.params["name"]
        ctx.step(f"Checking whether key pair {name} exists", progress=10)
        found = aws.key_pairs_describe(account=ctx.account, region=ctx.region, names=[name]).get(name)
        if found is not None:
            if aws.tags_dict(found).get(aws.ACTION_TAG) != str(ctx.action.pk):
                raise ActionFailed(f"A key pair named {name} already exists (not imported by this action).")
            ctx.log(f"{name} was imported by an earlier delivery of this action.")
        else:
            ctx.step(f"Importing key pair {name}", progress=50)
            found = aws.key_pair_import(
                account=ctx.account,
                region=ctx.region,
                name=name,
                public_key=ctx.params["public_key"],
                tags={aws.ACTION_TAG: str(ctx.action.pk)},
            )
        ctx.note(key_name=name, key_pair_id=found.get("KeyPairId", ""), fingerprint=found.get("KeyFingerprint", ""))


@operation
class Delete(Operation):
    """Deletes key pairs by name. Instances launched with a key keep working (the public key is on them), so
    the inventory's count of instances using each key is a warning in the result, not a refusal."""

    kind, label, verb = "ec2.keypair_delete", "Delete key pairs", "Delete"
    target_type, role, destructive = "key_pairs", Role.ADMIN, True

    def run(self, ctx: ActionContext) -> None:
        used = instances_using(account=ctx.action.account, region=ctx.region, field="key_name", values=ctx.targets)
        warnings = [
            f"{count} instance{'s' * (count > 1)} in the inventory use{'s' * (count == 1)} {name}; they keep "
            "running, but new logins need another key."
            for name, count in sorted(used.items())
        ]
        for warning in warnings:
            ctx.log(warning, level="warning")
        ctx.note(warnings=warnings)
        ctx.step(f"Reading {len(ctx.targets)} key pair(s)", progress=10)
        found = aws.key_pairs_describe(account=ctx.account, region=ctx.region, names=ctx.targets)
        outcome: dict[str, str] = {}
        for number, name in enumerate(ctx.targets):
            if name not in found:
                outcome[name] = "already deleted"
            else:
                ctx.step(f"Deleting {name}", progress=20 + 70 * number // len(ctx.targets))
                aws.key_pair_delete(account=ctx.account, region=ctx.region, name=name)
                outcome[name] = "deleted"
            ctx.note(key_pairs=outcome)
