#!/usr/bin/env bash
# Package dist/planet-uploader as a .deb: the bundle in /opt/planet-uploader, planet-gui and planet-lake in
# /usr/bin, the desktop entry and icons where desktops look. Usage: installers/deb.sh VERSION
set -euo pipefail
version="$1"
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
pkg="build/deb/planet-uploader_${version}_amd64"
rm -rf "$pkg"
mkdir -p "$pkg/DEBIAN" "$pkg/opt" "$pkg/usr/bin" "$pkg/usr/share/applications" \
  "$pkg/usr/share/icons/hicolor/scalable/apps"
cp -a dist/planet-uploader "$pkg/opt/planet-uploader"
ln -s /opt/planet-uploader/planet-gui "$pkg/usr/bin/planet-gui"
ln -s /opt/planet-uploader/planet-lake "$pkg/usr/bin/planet-lake"
cp resources/desktop/planet-uploader.desktop "$pkg/usr/share/applications/"
cp resources/icons/planet-uploader.svg "$pkg/usr/share/icons/hicolor/scalable/apps/"
for size in 16 32 48 64 128 256; do
  mkdir -p "$pkg/usr/share/icons/hicolor/${size}x${size}/apps"
  cp "build/icons/planet-uploader-$size.png" "$pkg/usr/share/icons/hicolor/${size}x${size}/apps/planet-uploader.png"
done
size_kib="$(du -sk "$pkg" | cut -f1)"
cat >"$pkg/DEBIAN/control" <<CONTROL
Package: planet-uploader
Version: $version
Section: science
Priority: optional
Architecture: amd64
Installed-Size: $size_kib
Depends: libegl1, libgl1, libxkbcommon0, libxkbcommon-x11-0, libfontconfig1, libdbus-1-3, libxcb-cursor0, libxcb-icccm4, libxcb-keysyms1, libxcb-shape0, libxcb-xinerama0, libxcb-randr0, libxcb-render-util0, libxcb-image0
Recommends: gnome-keyring | kwalletmanager
Maintainer: ${DEB_MAINTAINER:-PLANET project, INFN Perugia <planet-uploader@invalid>}
Homepage: https://www.pg.infn.it/
Description: uploader for the PLANET research data lake
 PLANET Uploader puts research data (netCDF, CSV, JSON, PDF, images) into the
 PLANET data lake on MinIO: INDIGO-IAM login, metadata inferred from each file,
 resumable verified uploads, and each file's validation status. planet-lake is
 its command-line twin.
CONTROL
dpkg-deb --build --root-owner-group "$pkg" "dist/planet-uploader_${version}_amd64.deb" >/dev/null
echo "built dist/planet-uploader_${version}_amd64.deb"
