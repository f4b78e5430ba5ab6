"""Moving decks between quiz, Anki and spreadsheets.

- :func:`quiz.interop.apkg.export_apkg` writes an Anki package (``.apkg``).
- :func:`quiz.interop.anki_csv.export_csv` writes Anki's text import format.
- :func:`quiz.interop.importer.import_file` reads Anki text exports and plain CSV.

Card ids survive every round trip: Anki note GUIDs are derived from card ids
(:func:`quiz.interop.anki_notes.note_guid`), and quiz's own exports also carry the id.
"""
