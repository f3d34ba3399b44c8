#!/usr/bin/env bash
# Builds the real (OpenGL) binary, runs it under a virtual X server and
# writes PNG screenshots of the model grid, the roadmap and the costs view,
# in the light and dark themes, to docs/.
#
#   scripts/screenshot.sh [PLAN]        (needs: scripts/deps.sh screenshots)
set -euo pipefail
cd "$(dirname "$0")/.."
plan=${1:-testdata/seed-roadmap.json}
export LANG=en_US.UTF-8
CGO_ENABLED=1 go build -o bin/scaleplan ./cmd/scaleplan

shoot() { # variant
  local variant=$1 home
  home=$(mktemp -d) # a clean profile: no recent files, no recovery prompt
  HOME=$home FYNE_THEME=$variant DISPLAY_PLAN=$plan xvfb-run -a -s "-screen 0 1280x800x24" bash -c '
    ./bin/scaleplan "$DISPLAY_PLAN" & pid=$!
    for i in $(seq 1 50); do xdotool search --name "scaleplan" >/dev/null 2>&1 && break; sleep 0.2; done
    sleep 2
    win=$(xdotool search --name "scaleplan" | head -1)
    xdotool windowsize "$win" 1280 800 windowmove "$win" 0 0; sleep 1
    import -window root "docs/screenshot-grid-'"$variant"'.png"
    xdotool key --window "$win" ctrl+2; sleep 1
    import -window root "docs/screenshot-roadmap-'"$variant"'.png"
    xdotool key --window "$win" ctrl+3; sleep 1
    import -window root "docs/screenshot-costs-'"$variant"'.png"
    xdotool key --window "$win" ctrl+5; sleep 1.5
    import -window root "docs/screenshot-scale-'"$variant"'.png"
    xdotool key --window "$win" ctrl+4; sleep 1
    import -window root "docs/screenshot-explain-'"$variant"'.png"
    xdotool key --window "$win" ctrl+1; sleep 0.5
    xdotool mousemove --window "$win" 500 300 click 1; sleep 0.5   # Phase 1, with its 08:00 ramp
    xdotool key --window "$win" ctrl+6; sleep 1
    import -window root "docs/screenshot-latency-'"$variant"'.png"
    xdotool key --window "$win" ctrl+l; sleep 4           # check with simulation
    import -window root "docs/screenshot-simulation-'"$variant"'.png"
    xdotool key --window "$win" ctrl+1; sleep 0.5
    if [ '"$variant"' = light ]; then
      xdotool key --window "$win" ctrl+r; sleep 1.5
      import -window root docs/screenshot-rehearse-goal.png
      xdotool key --window "$win" Right Right; sleep 1
      import -window root docs/screenshot-rehearse-phase.png
      xdotool key --window "$win" q; sleep 1
      xdotool type --window "$win" --delay 60 20; xdotool key --window "$win" Return; sleep 1
      import -window root docs/screenshot-rehearse-quiz.png
    fi
    kill $pid'
  rm -rf "$home"
}
# The Risk tab, on the plan with ranges (the seed has none).
shoot_risk() { # variant
  local variant=$1 home
  home=$(mktemp -d)
  HOME=$home FYNE_THEME=$variant xvfb-run -a -s "-screen 0 1280x800x24" bash -c '
    ./bin/scaleplan testdata/uncertain-roadmap.json & pid=$!
    for i in $(seq 1 50); do xdotool search --name "scaleplan" >/dev/null 2>&1 && break; sleep 0.2; done
    sleep 2
    win=$(xdotool search --name "scaleplan" | head -1)
    xdotool windowsize "$win" 1280 800 windowmove "$win" 0 0; sleep 1
    if [ '"$variant"' = light ]; then import -window root docs/screenshot-ranges-grid-light.png; fi
    xdotool key --window "$win" ctrl+8; sleep 5
    import -window root "docs/screenshot-risk-'"$variant"'.png"
    kill $pid'
  rm -rf "$home"
}
shoot light
shoot dark
shoot_risk light
shoot_risk dark
ls -la docs/*.png
