"""The PySide6 GUI. Everything here runs core calls through workers so the UI thread never blocks."""
