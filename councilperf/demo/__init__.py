"""Synthetic demonstration casework, calibrated to published national figures."""
