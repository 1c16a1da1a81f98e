"""Render the SVG icon into what packages want: PNGs for Linux desktops, an .ico for Windows.

    python installers/render_icons.py OUT_DIR     (QT_QPA_PLATFORM=offscreen on a machine without a display)
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

SVG = Path(__file__).resolve().parents[1] / "resources" / "icons" / "planet-uploader.svg"
SIZES = (16, 32, 48, 64, 128, 256)


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    renderer = QSvgRenderer(str(SVG))
    if not renderer.isValid():
        raise SystemExit(f"cannot read {SVG}")
    for size in SIZES:
        image = QImage(size, size, QImage.Format.Format_ARGB32)
        image.fill(0)
        painter = QPainter(image)
        renderer.render(painter)
        painter.end()
        image.save(str(out / f"planet-uploader-{size}.png"))
        if size == 256 and not image.save(str(out / "planet-uploader.ico")):
            raise SystemExit("Qt could not write the .ico (its imageformats plugin is missing)")


if __name__ == "__main__":
    app = QGuiApplication(sys.argv[:1])
    main(Path(sys.argv[1]))
