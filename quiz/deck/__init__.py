"""Decks: the model, loading, checking, writing."""
