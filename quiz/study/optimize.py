"""Fitting a learner's FSRS parameters to their review log, with ``fsrs-rs-python``.

fsrs's own optimizer needs torch; fsrs-rs-python is the Rust optimizer Anki uses, as a
wheel with no dependencies. The log is turned into fsrs-rs "items" as Anki does: per
card, its study reviews with the time since the previous one in *study days* (the same
count the scheduler uses, :mod:`quiz.study.scheduling`); one item per review on a later
day than the one before, holding the card's history up to it. Both the current and the
fitted parameters are scored on the same items (fsrs-rs ``evaluate``: log loss and
RMSE over bins); the fitted ones are kept only if their log loss is lower.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from quiz.errors import QuizError
from quiz.study.scheduling import DEFAULT_PARAMETERS, check_parameters

MIN_REVIEWS = 400
"""Fewer study reviews than this (on different days from the card's previous one): no fit."""


class NotEnoughReviews(QuizError):
    """Too few reviews to fit parameters (a polite refusal, not a failure)."""


@dataclass(frozen=True)
class Evaluation:
    log_loss: float
    rmse: float


@dataclass(frozen=True)
class FitResult:
    """Parameters before and after, their scores on the same reviews, and the verdict."""

    reviews: int  # reviews scored (one per item)
    before: tuple[float, ...]
    after: tuple[float, ...]
    before_eval: Evaluation
    after_eval: Evaluation

    @property
    def better(self) -> bool:
        return self.after_eval.log_loss < self.before_eval.log_loss


def items_from_histories(histories: Iterable[Sequence[tuple[date, int]]]) -> list:  # type: ignore[type-arg]
    """fsrs-rs items from per-card histories of ``(study day, rating)``, oldest first."""
    from fsrs_rs_python import FSRSItem, FSRSReview

    out: list[tuple[date, FSRSItem]] = []
    for history in histories:
        if not history:
            continue
        reviews: list[FSRSReview] = []
        last = history[0][0]
        for day, rating in history:
            delta = (day - last).days
            reviews.append(FSRSReview(int(rating), delta))
            if delta > 0:
                item = FSRSItem(list(reviews))
                if item.long_term_review_cnt() > 0:
                    out.append((day, item))
            last = day
    out.sort(key=lambda pair: pair[0])
    return [item for _day, item in out]


def evaluate(parameters: Sequence[float], items: list) -> Evaluation:  # type: ignore[type-arg]
    from fsrs_rs_python import FSRS

    result = FSRS(list(parameters)).evaluate(items)
    return Evaluation(float(result.log_loss), float(result.rmse_bins))


def fit(
    histories: Iterable[Sequence[tuple[date, int]]],
    current: Sequence[float] | None = None,
    *,
    min_reviews: int = MIN_REVIEWS,
) -> FitResult:
    """Fit parameters to ``histories``; raises :class:`NotEnoughReviews` below ``min_reviews``."""
    from fsrs_rs_python import FSRS

    items = items_from_histories(histories)
    if len(items) < min_reviews:
        raise NotEnoughReviews(
            f"not enough reviews to fit parameters yet: {len(items)} of the {min_reviews} needed "
            "(reviews of a card on a later day than its previous one); keep studying",
            label=None,  # advice rather than a failure: printed without "error:"
        )
    before = tuple(float(x) for x in (current or DEFAULT_PARAMETERS))
    fitted = FSRS(list(before)).compute_parameters(items)
    after = tuple(float(x) for x in fitted)
    check_parameters(after)  # fsrs's bounds: py-fsrs must accept what we store
    return FitResult(len(items), before, after, evaluate(before, items), evaluate(after, items))


def histories_by_day(
    reviews: Iterable[tuple[str, date, int]],
) -> list[list[tuple[date, int]]]:
    """Group ``(card key, study day, rating)`` rows (oldest first) into per-card histories."""
    cards: dict[str, list[tuple[date, int]]] = {}
    for key, day, rating in reviews:
        cards.setdefault(key, []).append((day, rating))
    return list(cards.values())


def learner_histories(
    store: object, learner: str, deck: str | None = None
) -> list[list[tuple[date, int]]]:
    """The learner's study reviews as per-card ``(study day, rating)`` histories."""
    rows = store.review_log(learner, deck)  # type: ignore[attr-defined]
    out = []
    study_days: dict[str, object] = {}
    for dk, card, at, rating in rows:
        if dk not in study_days:
            study_days[dk] = store.study_day(learner, dk)  # type: ignore[attr-defined]
        out.append((f"{dk}\x1f{card}", study_days[dk].day_of(at), int(rating)))  # type: ignore[attr-defined]
    return histories_by_day(out)


def optimize_learner(
    store: object,
    learner: str,
    deck: str | None = None,
    *,
    save: bool = True,
    min_reviews: int = MIN_REVIEWS,
) -> FitResult:
    """Fit the learner's parameters (from one deck's log, or all) and, if they are better
    than the ones in use, store them (for ``deck``, or for all the learner's decks)."""
    current = store.options(learner, deck).fsrs_parameters  # type: ignore[attr-defined]
    result = fit(learner_histories(store, learner, deck), current, min_reviews=min_reviews)
    if save and result.better:
        store.set_options(learner, deck, fsrs_parameters=list(result.after))  # type: ignore[attr-defined]
    return result
