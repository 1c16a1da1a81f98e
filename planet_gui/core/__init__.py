"""The Qt-free core: everything the GUI, the CLI and the hook share.

Nothing under this package may import Qt; a test enforces it.
"""
