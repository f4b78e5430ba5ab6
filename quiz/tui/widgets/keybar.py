"""A one-line footer listing the keys that work now (cheap to update on every card).

Textual's ``Footer`` rebuilds a widget per key whenever focus or bindings
change; on the study screen that happens twice a card. This footer draws the
same keys as one line of text instead: several binding changes in a row are drawn
once, an unchanged line is not redrawn, and a new line is a repaint of this line
only (its size is fixed, so no layout of the screen).
"""

from __future__ import annotations

from rich.cells import cell_len
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Static

Part = tuple[str, str] | str
PALETTE = "command_palette"


class KeyBar(Static):
    """The active bindings of the screen (those with ``show=True``), then ``^p palette``.

    When the line is wider than the bar (e.g. at 80 columns), hints are left out rather
    than cut: the palette's first, then the screen's ``KEY_BAR_SPARE`` actions in order.
    """

    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        width: 100%;
        background: $footer-background;
        color: $footer-foreground;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    """

    _drawn: tuple[object, ...] | None = None
    _draw_pending = False

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed, immediate=True)
        self.call_after_refresh(self._draw)

    def _bindings_changed(self, screen: Screen) -> None:
        """Draw once for a burst of binding changes (focus moves publish several)."""
        if self._draw_pending or not self.is_attached or screen is not self.screen:
            return
        self._draw_pending = True
        self.call_next(self._draw)

    def on_resize(self) -> None:
        self._draw()

    def _draw(self) -> None:
        self._draw_pending = False
        if not self.is_attached:
            return
        app = self.app
        items: list[tuple[str, list[Part]]] = []  # (action, its text), in order
        seen: set[str] = set()
        palette = None
        for key, active in self.screen.active_bindings.items():
            binding = active.binding
            if key == app.COMMAND_PALETTE_BINDING:
                palette = active
                continue
            if not binding.show or binding.action in seen:
                continue
            seen.add(binding.action)
            style = "bold $footer-key-foreground" if active.enabled else "$text-disabled"
            text_style = "" if active.enabled else "$text-disabled"
            items.append(
                (
                    binding.action,
                    [
                        (f" {app.get_key_display(binding)} ", style),
                        (binding.description, text_style),
                        " ",
                    ],
                )
            )
        if palette is not None and app.ENABLE_COMMAND_PALETTE:
            items.append(
                (
                    PALETTE,
                    [
                        "  ",
                        (f"{app.get_key_display(palette.binding)}", "bold $footer-key-foreground"),
                        " palette",
                    ],
                )
            )
        items = fit(items, self.size.width, getattr(self.screen, "KEY_BAR_SPARE", ()))
        parts = [part for _action, item in items for part in item]
        line = tuple(parts)
        if line == self._drawn:
            return
        self._drawn = line
        self.update(Content.assemble(*parts), layout=False)


def fit(
    items: list[tuple[str, list[Part]]], width: int, spare: tuple[str, ...] = ()
) -> list[tuple[str, list[Part]]]:
    """``items`` without the hints that do not fit in ``width`` cells.

    The palette hint goes first (Help names Ctrl+P), then the screen's ``spare`` actions in
    their order; what still does not fit is cut with an ellipsis.
    """

    def cells(kept: list[tuple[str, list[Part]]]) -> int:
        return sum(cell_len(p if isinstance(p, str) else p[0]) for _a, item in kept for p in item)

    for action in (PALETTE, *spare):
        if width <= 0 or cells(items) <= width:
            break
        items = [item for item in items if item[0] != action]
    return items
