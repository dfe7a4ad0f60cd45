"""Which columns a list shows: `?columns=a,b,c` in the URL, else the user's choice, else the table's defaults.

A table on fleetui.core.tables.BaseTable declares `default_columns` (what fits a 1,440 px window, names first) and
`key_columns` (what a phone shows below 900 px; the rest stays on the row's page). Every other column is optional:
the list's Columns menu (templates/components/_columns.html) shows or hides it, remembered per user and list
(models.ListColumns, by the list's URL name). The CSV export and the API always carry every column.

Account and region are shown whenever the rows on the page span more than one of them, whatever the choice, so a
bulk action never takes rows from two regions unseen. The choices are copied into the session at login, as the
preferences are, so a list page reads them without a query.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest

from .models import ListColumns

PARAM = "columns"  # ?columns=name,state,... : this request's columns, overriding the stored choice
SESSION_KEY = "fleetui_columns"
SCOPE_COLUMNS = ("account", "region")  # in every list's defaults, and shown while the page's rows span several
NEVER_CHOSEN = ("select",)  # the row checkbox follows the role, not the chooser


@dataclass(frozen=True)
class ColumnOption:
    """One column in the chooser."""

    name: str
    label: str
    shown: bool
    default: bool
    key: bool  # shown on a phone too


@dataclass
class ColumnsChosen:
    """What a list page shows and why: `shown` in the table's order; `source` "url", "yours" or "defaults"."""

    list_name: str
    options: list[ColumnOption]
    shown: list[str]
    source: str
    invalid: list[str] = field(default_factory=list)  # names in ?columns= that the list has not
    forced: list[str] = field(default_factory=list)  # scope columns shown although not chosen (rows span several)

    @property
    def param(self) -> str:
        """The shown columns as `?columns=` takes them ("name,state,instance_type"), for a link or a saved view."""
        return ",".join(self.shown)

    @property
    def forced_labels(self) -> str:
        """The scope columns shown although not chosen, as the note says them ("Account and Region")."""
        return " and ".join(option.label for option in self.options if option.name in self.forced)


def choosable(table: Any) -> list[tuple[str, str]]:
    """(name, label) of every column a user may show or hide, in the table's order."""
    return [
        (bound.name, str(bound.header) or bound.name)
        for bound in table.columns.iterall()
        if bound.name not in NEVER_CHOSEN
    ]


def columns_default(table: Any) -> list[str]:
    """The table's `default_columns` (every column when it declares none), plus account and region where it has them."""
    names = [name for name, _ in choosable(table)]
    declared = set(getattr(table, "default_columns", ()) or names) | set(SCOPE_COLUMNS)
    return [name for name in names if name in declared]


def columns_parse(value: str, names: Iterable[str]) -> tuple[list[str], list[str]]:
    """(known, unknown) names in a comma-separated `value`; the row checkbox is neither."""
    known_names = set(names)
    asked = [part.strip() for part in value.split(",") if part.strip() and part.strip() not in NEVER_CHOSEN]
    return [n for n in asked if n in known_names], [n for n in asked if n not in known_names]


def stored_columns(request: HttpRequest) -> Mapping[str, list[str]]:
    """The signed-in user's choices, {list name: columns}, from the session (read from the database once)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    stored = request.session.get(SESSION_KEY)
    if stored is None:  # a session from before the chooser existed
        stored = request.session[SESSION_KEY] = _columns_of(user)
    return stored


def _columns_of(user: Any) -> dict[str, list[str]]:
    return dict(ListColumns.objects.filter(user=user).values_list("list_name", "columns"))


@receiver(user_logged_in)
def _columns_load_at_login(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_KEY] = _columns_of(user)


def columns_save(*, request: HttpRequest, list_name: str, columns: list[str] | None) -> None:
    """Remember `columns` for the user on `list_name`; None (or the defaults) forgets the choice. This session sees it
    at once, the user's other sessions from their next sign-in."""
    user_id = request.user.pk
    assert user_id is not None  # the pages need a login (fleetui.core.middleware.RoleRequiredMiddleware)
    if columns is None:
        ListColumns.objects.filter(user_id=user_id, list_name=list_name).delete()
    else:
        ListColumns.objects.update_or_create(user_id=user_id, list_name=list_name, defaults={"columns": columns})
    stored = dict(stored_columns(request))
    stored.pop(list_name, None)
    if columns is not None:
        stored[list_name] = columns
    request.session[SESSION_KEY] = stored


def columns_choose(table: Any, *, request: HttpRequest, list_name: str) -> ColumnsChosen:
    """Show the columns the request asks for (?columns=), else the user's, else the defaults; hide the others.

    Call it after pagination: account and region are shown if the page's rows span more than one of them."""
    names = [name for name, _ in choosable(table)]
    defaults = columns_default(table)
    shown, source = defaults, "defaults"
    invalid: list[str] = []
    yours = [name for name in stored_columns(request).get(list_name, []) if name in names]
    if yours:
        shown, source = yours, "yours"
    if request.GET.get(PARAM):
        asked, invalid = columns_parse(request.GET[PARAM], names)
        if asked:
            shown, source = asked, "url"
    forced = [name for name in _scope_spanned(table) if name in names and name not in shown]
    visible = set(shown) | set(forced)
    key = set(getattr(table, "key_columns", ()) or defaults[:3]) & visible
    ordered = [name for name in names if name in visible]
    table.phone_columns = (key or set(ordered[:1])) | set(NEVER_CHOSEN)
    for name in names:
        if name not in visible:
            table.columns.hide(name)
    options = [
        ColumnOption(name, label, name in visible, name in defaults, name in key) for name, label in choosable(table)
    ]
    chosen = ColumnsChosen(list_name, options, ordered, source, invalid, forced)
    table.columns_chosen = chosen
    return chosen


def _scope_spanned(table: Any) -> list[str]:
    """The scope columns ("account", "region") whose values differ between the rows on the current page."""
    rows = table.paginated_rows if hasattr(table, "page") else []
    seen: dict[str, set[Any]] = {name: set() for name in SCOPE_COLUMNS}
    for row in rows:
        record = row.record
        seen["account"].add(getattr(record, "account_id", None))
        seen["region"].add(getattr(record, "region", None))
    return [name for name in SCOPE_COLUMNS if len(seen[name]) > 1]
