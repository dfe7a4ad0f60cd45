"""Logging filters (fleetui/settings/base.py's LOGGING names them)."""

import logging


class OneLineRefusals(logging.Filter):
    """A 403 is a refusal the user was shown, not a fault: Django logs it with the PermissionDenied traceback, which
    buries real errors; keep its one line ("Forbidden (Permission denied): /path") and drop the traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", None) == 403:
            record.exc_info = None
            record.exc_text = None
        return True
