"""Sessions per account and the one client factory: every boto3 client fleetui uses comes from `client_get`.

- One `botocore.config.Config` for every client: retry mode `standard` with more attempts than botocore's
  default (AWS_MAX_ATTEMPTS or the profile's `max_attempts` still win), connect/read timeouts, and
  "fleetui" in the user agent.
- The standard boto3 configuration is honoured as it is (AWS_PROFILE, AWS_DEFAULT_REGION, AWS_ENDPOINT_URL,
  the credential chain); this module never reads endpoint settings itself.
- The ambient credentials are the default account. Other accounts are reached by STS AssumeRole (with an
  optional ExternalId) through refreshable credentials, assumed lazily on the first call and again
  before they expire.
- Two call profiles. `standard` (the sync and the actions): long read timeouts and many retries. `quick`: for
  what a person waits on in a web request (a launch form's checks, a swap's checklist), short timeouts and one
  retry, so a slow or throttling AWS gives a clear error in seconds instead of minutes. `calls_profile("quick")`
  sets it for the calls made inside it (in this thread); clients are cached per profile.
- Clients are cached per (account, region, service, profile) and shared by threads (botocore clients are
  thread-safe; creating them is not, hence the lock). Sharing one client per account and region also
  shares its retry budget between the sync and the actions.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

import boto3
import botocore.session
from botocore.config import Config
from botocore.credentials import CredentialProvider, CredentialResolver, DeferredRefreshableCredentials

from .errors import aws_errors

USER_AGENT_EXTRA = "fleetui"
DEFAULT_MAX_ATTEMPTS = 8
CONNECT_TIMEOUT = 10
# A DescribeInstances page of 1000 reservations can take a while to build on the AWS side.
READ_TIMEOUT = 120
# The quick profile: a person is waiting on the answer.
QUICK_CONNECT_TIMEOUT = 3
QUICK_READ_TIMEOUT = 10
QUICK_MAX_ATTEMPTS = 2
FALLBACK_REGION = "us-east-1"
STANDARD, QUICK = "standard", "quick"
_profile: ContextVar[str] = ContextVar("fleetui_aws_calls_profile", default=STANDARD)
ROLE_SESSION_NAME = "fleetui"


@dataclass(frozen=True)
class AccountRef:
    """What callers pass to reach an account: no role ARN means the ambient credentials."""

    account_id: str = ""
    role_arn: str = ""
    external_id: str = ""

    @property
    def is_ambient(self) -> bool:
        return not self.role_arn


AMBIENT = AccountRef()


def client_config(session: boto3.Session, profile: str = STANDARD) -> Config:
    """fleetui's botocore Config for a calls profile. A max_attempts from the environment or the AWS profile is kept
    for the standard profile; the quick one caps it at QUICK_MAX_ATTEMPTS."""
    attempts = int(session._session.get_config_variable("max_attempts") or DEFAULT_MAX_ATTEMPTS)
    quick = profile == QUICK
    return Config(
        retries={"mode": "standard", "total_max_attempts": min(attempts, QUICK_MAX_ATTEMPTS) if quick else attempts},
        connect_timeout=QUICK_CONNECT_TIMEOUT if quick else CONNECT_TIMEOUT,
        read_timeout=QUICK_READ_TIMEOUT if quick else READ_TIMEOUT,
        user_agent_extra=USER_AGENT_EXTRA,
        max_pool_connections=20,
    )


@contextmanager
def calls_profile(profile: str) -> Iterator[None]:
    """Make the AWS calls inside (in this thread and context) use `profile` ("standard" or "quick")."""
    if profile not in (STANDARD, QUICK):
        raise ValueError(f"Unknown AWS calls profile {profile!r}.")
    token = _profile.set(profile)
    try:
        yield
    finally:
        _profile.reset(token)


def home_region(session: boto3.Session) -> str:
    """The region for account-wide calls (STS, DescribeRegions): the configured one, else us-east-1."""
    # botocore reads AWS_DEFAULT_REGION; AWS_REGION is what the other AWS SDKs and Lambda set.
    return session.region_name or os.environ.get("AWS_REGION") or FALLBACK_REGION


class _AssumeRoleProvider(CredentialProvider):
    """Credentials from STS AssumeRole, fetched on first use and refreshed before they expire."""

    METHOD = "fleetui-assume-role"

    def __init__(self, base: boto3.Session, account: AccountRef) -> None:
        super().__init__()
        self._sts = base.client("sts", region_name=home_region(base), config=client_config(base))
        self._account = account

    def _fetch(self) -> dict[str, str]:
        params = {"RoleArn": self._account.role_arn, "RoleSessionName": ROLE_SESSION_NAME}
        if self._account.external_id:
            params["ExternalId"] = self._account.external_id
        with aws_errors("AssumeRole"):
            creds = self._sts.assume_role(**params)["Credentials"]
        return {
            "access_key": creds["AccessKeyId"],
            "secret_key": creds["SecretAccessKey"],
            "token": creds["SessionToken"],
            "expiry_time": creds["Expiration"].isoformat(),
        }

    def load(self) -> DeferredRefreshableCredentials:
        return DeferredRefreshableCredentials(refresh_using=self._fetch, method=self.METHOD)


class SessionFactory:
    """One boto3 session per account and one client per (account, region, service), created once."""

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._sessions: dict[AccountRef, boto3.Session] = {}
        self._clients: dict[tuple[AccountRef, str, str, str], Any] = {}

    def session(self, account: AccountRef = AMBIENT) -> boto3.Session:
        with self._lock:
            if account not in self._sessions:
                self._sessions[account] = self._new_session(account)
            return self._sessions[account]

    def _new_session(self, account: AccountRef) -> boto3.Session:
        ambient = boto3.Session()
        if ambient.region_name is None and os.environ.get("AWS_REGION"):
            ambient = boto3.Session(region_name=os.environ["AWS_REGION"])
        if account.is_ambient:
            return ambient
        base = self.session(AMBIENT)
        core = botocore.session.get_session()
        core.register_component("credential_provider", CredentialResolver([_AssumeRoleProvider(base, account)]))
        return boto3.Session(botocore_session=core, region_name=home_region(base))

    def client(self, service: str, *, account: AccountRef = AMBIENT, region: str | None = None) -> Any:
        session = self.session(account)
        region = region or home_region(session)
        profile = _profile.get()
        key = (account, region, service, profile)
        with self._lock:
            if key not in self._clients:
                with aws_errors(f"{service} client for {region}"):
                    config = client_config(session, profile)
                    self._clients[key] = session.client(service, region_name=region, config=config)
            return self._clients[key]

    def clear(self) -> None:
        """Forget every session and client (after the credentials or the endpoint changed)."""
        with self._lock:
            self._sessions.clear()
            self._clients.clear()


_factory = SessionFactory()


def session_get(account: AccountRef = AMBIENT) -> boto3.Session:
    """The cached boto3 session for an account."""
    return _factory.session(account)


def client_get(service: str, *, account: AccountRef = AMBIENT, region: str | None = None) -> Any:
    """The cached client for (account, region, service) in the current calls profile (see `calls_profile`); region
    defaults to the account's home region."""
    return _factory.client(service, account=account, region=region)


def clients_clear() -> None:
    """Drop every cached session and client, e.g. when a test resets the sandbox."""
    _factory.clear()


def caller_account_id(*, account: AccountRef = AMBIENT) -> str:
    """The 12-digit id of the account these credentials act in (sts:GetCallerIdentity)."""
    with aws_errors("GetCallerIdentity"):
        return str(client_get("sts", account=account).get_caller_identity()["Account"])


def paginate(client: Any, method: str, result_key: str, **params: Any) -> Iterator[list[dict[str, Any]]]:
    """Yield `result_key` of each page of `method`, through botocore's paginator.

    An operation AWS does not paginate (DescribeKeyPairs, DescribeAddresses, DescribePlacementGroups)
    is one page. Errors come out as fleetui.aws.errors domain errors, raised at the page that failed.
    """
    operation = client.meta.method_to_api_mapping.get(method, method)
    with aws_errors(operation):
        if client.can_paginate(method):
            for page in client.get_paginator(method).paginate(**params):
                yield page.get(result_key, [])
        else:
            params.pop("PaginationConfig", None)
            yield getattr(client, method)(**params).get(result_key, [])
