"""The study engine: plain Python, no UI.

- ``session``: the study session the TUI and plain mode drive;
- ``queue``: where the next card is chosen, and today's counts;
- ``grading`` / ``answers``: where a typed or chosen answer is graded;
- ``scheduling``: our card state around ``fsrs.Scheduler``;
- ``studyday``: the study day and its rollover hour;
- ``clock``: the injectable clock and the stored timestamp format;
- ``catalog``: read-only views of a learner's cards for Browse and Home.

Reviews are written by ``quiz.store`` only.
"""
