"""quiz: spaced-repetition study from reports, in the terminal."""

__version__ = "0.1.0"
