"""Small list widgets that fit their rows: a dialog listing two files should not open a tall empty box."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QTreeWidget


def fit_to_rows(tree: QTreeWidget, most: int = 10) -> None:
    """Make ``tree`` as tall as its rows (up to ``most``, then it scrolls), read-only and unselectable."""
    tree.setRootIsDecorated(False)
    tree.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
    tree.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    rows = max(1, min(tree.topLevelItemCount(), most))
    row_height = tree.sizeHintForRow(0) if tree.topLevelItemCount() else tree.fontMetrics().height() + 6
    height = tree.header().sizeHint().height() + rows * row_height + 2 * tree.frameWidth() + 4
    tree.setFixedHeight(height)
