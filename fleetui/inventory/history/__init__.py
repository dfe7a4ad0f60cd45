"""Inventory history: what every sync added, changed and marked gone, who made it, and the fleet as of a moment.

- `record`: the Recorder the loader writes change records with (one transaction with the rows).
- `attribution`: the hook the action engine answers "which action made this change?" through.
- `asof`: the versions `?as_of=` reads (registered with fleetui.core.asof).
- `prune`: retention (FLEETUI_HISTORY_DAYS), run from beat.
- `filters`, `selectors`, `views`, `compare`: the feed, the timeline, the chart and the compare page.
"""
