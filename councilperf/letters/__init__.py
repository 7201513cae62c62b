"""Annual review letters: templates, HTML and PDF rendering, batch generation."""
