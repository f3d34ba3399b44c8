#!/usr/bin/env bash
# Installs the Debian packages scaleplan needs for a task, and only those
# that are missing. Safe to run again: when everything is there it changes
# nothing and says so.
#
#   scripts/deps.sh test         LibreOffice Calc, to recalculate exported workbooks in tests
#   scripts/deps.sh gui          a C compiler and the OpenGL/X11 headers the desktop app builds against
#   scripts/deps.sh screenshots  gui, plus a virtual X server and ImageMagick to capture the window
#   scripts/deps.sh browser      headless Chromium, for the HTML report's browser test (axe-core comes from npm)
#
# Run as root (CI is), or with sudo; as another user it prints the command to run.
set -euo pipefail

want=()
for task in "${@:-test}"; do
  case "$task" in
    test) want+=(libreoffice-calc-nogui) ;;
    gui) want+=(gcc pkg-config libgl1-mesa-dev xorg-dev) ;;
    screenshots) want+=(gcc pkg-config libgl1-mesa-dev xorg-dev xvfb xauth imagemagick fonts-dejavu-core xdotool poppler-utils) ;;
    browser) want+=(chromium-headless-shell fonts-dejavu-core) ;; # npm comes with the machine's Node.js
    *) echo "deps.sh: unknown task '$task' (use test, gui, screenshots or browser)" >&2; exit 2 ;;
  esac
done

missing=()
for pkg in "${want[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$pkg")
  fi
done
# De-duplicate while keeping order.
readarray -t missing < <(printf '%s\n' "${missing[@]}" | awk 'NF && !seen[$0]++')

if [ ${#missing[@]} -eq 0 ]; then
  echo "deps.sh: all system packages for '${*:-test}' are installed."
  exit 0
fi

cmd="apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
  echo "deps.sh: these Debian packages are missing: ${missing[*]}" >&2
  echo "deps.sh: install them with:  sudo sh -c '$cmd'" >&2
  exit 1
fi
echo "deps.sh: installing ${missing[*]} (apt-get, as root)"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
echo "deps.sh: done."
