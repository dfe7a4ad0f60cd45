"""Inventory history: what every sync added, changed and marked gone, who made it, and the fleet as of a moment.

- `record`: the Recorder the loader writes change records with (one transaction with the rows).
- `attribution`: the hook the action engine answers "which action made this change?" through.
- `asof`: the SQL `?as_of=` reads, the live rows rolled back by the records since (registered with fleetui.core.asof).
- `prune`: retention (FLEETUI_HISTORY_DAYS), run from beat.
- `filters`, `selectors`, `views`, `compare`: the feed, the timeline, the chart (from ChangeCount where it can) and
  the compare page.
"""
