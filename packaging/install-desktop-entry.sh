#!/usr/bin/env bash
# install-desktop-entry.sh - put Offscript in the desktop's application menu.
# Lives in the one-folder build (dist/offscript/); installs the desktop entry (its Exec pointing
# at this folder's `offscript`), the icons and the AppStream metainfo under PREFIX/share
# (default ~/.local, no root needed).  `--uninstall` removes exactly those files again.
#
# Usage: dist/offscript/install-desktop-entry.sh [--uninstall] [PREFIX]
set -euo pipefail

APP_ID=io.github.offscript.Offscript
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
uninstall=0
if [[ ${1:-} == --uninstall ]]; then uninstall=1; shift; fi
PREFIX=${1:-${XDG_DATA_HOME:+$(dirname "$XDG_DATA_HOME")}}
PREFIX=${PREFIX:-$HOME/.local}
SHARE=$PREFIX/share

[[ -x $HERE/offscript && -d $HERE/share ]] || {
  echo "run this from the Offscript build folder (dist/offscript/)" >&2; exit 2; }

mapfile -t icons < <(cd "$HERE/share" && find icons -type f -name "$APP_ID.*" | sort)
files=("applications/$APP_ID.desktop" "metainfo/$APP_ID.metainfo.xml" "${icons[@]}")

if ((uninstall)); then
  for f in "${files[@]}"; do rm -f "$SHARE/$f"; done
  echo "removed Offscript's menu entry and icons from $SHARE"
else
  for f in "${files[@]}"; do install -D -m 644 "$HERE/share/$f" "$SHARE/$f"; done
  # Exec must name this build's executable: the folder is not on PATH.
  sed -i "s|^Exec=.*|Exec=\"$HERE/offscript\"|" "$SHARE/applications/$APP_ID.desktop"
  echo "installed Offscript's menu entry and icons under $SHARE"
fi
# Refresh the menu and icon caches where the tools exist (they are optional).
command -v update-desktop-database >/dev/null && update-desktop-database -q "$SHARE/applications" || true
command -v gtk-update-icon-cache >/dev/null && gtk-update-icon-cache -q -t "$SHARE/icons/hicolor" || true
