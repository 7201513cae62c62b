"""How the site writes and draws figures: the one formatter, charts, funnel plots, colours."""
