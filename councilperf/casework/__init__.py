"""Casework: cases, decisions, recommendations and compliance outcomes, and their importer."""
