"""The Textual study app: home, study, summary, browse and help screens."""
