"""Reads for the public site (queries only; nothing here writes or formats a figure).

``figures`` is the one doorway to the published statistics; ``authorities``, ``cases``,
``review_letters`` and ``years`` read councils, decisions, letters and published years.
"""
