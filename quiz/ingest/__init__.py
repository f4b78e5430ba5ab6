"""Reading reports: formats (PDF, Markdown, HTML, text), front and back matter, debris."""
