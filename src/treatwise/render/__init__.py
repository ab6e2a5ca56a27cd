"""Turn domain values into text, Markdown, HTML fragments, PDF, ICS, Atom and sitemaps."""
