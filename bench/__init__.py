"""fleetui's benchmark: `python -m bench` measures the Foundation targets and prints one table."""
