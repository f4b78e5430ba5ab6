"""A one-line footer listing the keys that work now (cheap to update on every card).

Textual's ``Footer`` rebuilds a widget per key whenever focus or bindings
change; on the study screen that happens twice a card. This footer draws the
same keys as one line of text instead: several binding changes in a row are drawn
once, an unchanged line is not redrawn, and a new line is a repaint of this line
only (its size is fixed, so no layout of the screen).
"""

from __future__ import annotations

from textual.content import Content
from textual.screen import Screen
from textual.widgets import Static


class KeyBar(Static):
    """The active bindings of the screen (those with ``show=True``), then ``^p palette``."""

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
        self.screen.bindings_updated_signal.subscribe(
            self, self._bindings_changed, immediate=True
        )
        self.call_after_refresh(self._draw)

    def _bindings_changed(self, screen: Screen) -> None:
        """Draw once for a burst of binding changes (focus moves publish several)."""
        if self._draw_pending or not self.is_attached or screen is not self.screen:
            return
        self._draw_pending = True
        self.call_next(self._draw)

    def _draw(self) -> None:
        self._draw_pending = False
        if not self.is_attached:
            return
        app = self.app
        parts: list[tuple[str, str] | str] = []
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
            parts += [
                (f" {app.get_key_display(binding)} ", style),
                (binding.description, text_style),
                " ",
            ]
        if palette is not None and app.ENABLE_COMMAND_PALETTE:
            parts += [
                "  ",
                (f"{app.get_key_display(palette.binding)}", "bold $footer-key-foreground"),
                " palette",
            ]
        key = tuple(parts)
        if key == self._drawn:
            return
        self._drawn = key
        self.update(Content.assemble(*parts), layout=False)
