#!/usr/bin/env bash
# End-to-end test of the real desktop binary: it runs under a virtual X
# server on a copy of the seed plan, is driven with real key events
# (xdotool), and is checked through the files it writes. Each failing step
# leaves a screenshot in e2e-failures/. Needs bin/scaleplan (make build) and
# scripts/deps.sh screenshots. Run by `make e2e`.
#
#   scripts/e2e.sh
set -uo pipefail
cd "$(dirname "$0")/.."
export LANG=en_US.UTF-8
bin=$PWD/bin/scaleplan
[ -x "$bin" ] || { echo "e2e: build the binary first (make build)" >&2; exit 2; }
out=$PWD/e2e-failures
rm -rf "$out"
mkdir -p "$out"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The script that runs inside the virtual X server.
cat > "$work/inside.sh" <<'INSIDE'
set -uo pipefail
bin=$1 work=$2 out=$3
fails=0 passes=0
export HOME=$work/home XDG_CONFIG_HOME=$work/home/.config
mkdir -p "$HOME"
plan=$work/plan.json
store=$XDG_CONFIG_HOME/fyne/io.scaleplan.app
recovered() { cat "$store"/recovery-*.json 2>/dev/null | grep -Eq "\"calls_per_day\": ?$1"; }
norecovery() { ! ls "$store"/recovery-*.json >/dev/null 2>&1; }
pid=

# start opens the app on a plan and finds its window. A start that fails is
# tried once more (a GL context under Xvfb has been seen to fail to come up
# once in many runs); what the app printed goes first to the output, so the
# cause is in the last lines a CI log shows.
start() { # plan, or a command line that opens the app
  launch "$@" && return
  echo "e2e: the window did not open (windows now: $(xdotool search --name scaleplan 2>/dev/null | tr "\n" " ")); the app printed:"
  head -12 "$work/app.log"; cp "$work/app.log" "$out/app-start-failure.log"
  kill -9 "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
  echo "e2e: trying once more"
  launch "$@" && return
  echo "e2e: the window did not open a second time; the app printed:"; head -12 "$work/app.log"
  echo "e2e: the X server $(xdotool getdisplaygeometry >/dev/null 2>&1 && echo answers || echo does not answer); it printed:"; tail -8 "$work/xvfb.log"
  exit 1
}
launch() { # plan
  local before; before=$(xdotool search --name "scaleplan" 2>/dev/null | sort)
  "$bin" "$@" >"$work/app.log" 2>&1 & pid=$!
  # The new window is the one not seen before (GLFW sets no _NET_WM_PID).
  win=
  for _ in $(seq 1 200); do
    win=$(comm -13 <(echo "$before") <(xdotool search --name "scaleplan" 2>/dev/null | sort) | head -1)
    [ -n "$win" ] && break; sleep 0.1
  done
  # An X window id can be reused: if none is new, take the newest listed.
  [ -n "$win" ] || win=$(xdotool search --name "scaleplan" 2>/dev/null | tail -1)
  [ -n "$win" ] || return 1
  sleep 1.5
  xdotool windowsize "$win" 1280 800 windowmove "$win" 0 0 windowfocus --sync "$win" 2>/dev/null
  sleep 0.5
}
stop() { kill -9 "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; pid=; }
key() { xdotool key --window "$win" --delay 80 "$@"; sleep 0.4; }
typ() { xdotool type --window "$win" --delay 60 "$1"; sleep 0.3; }
check() { # name, command…
  local name=$1; shift
  if "$@"; then passes=$((passes + 1)); echo "  ok    $name"
  else fails=$((fails + 1)); echo "  FAIL  $name"; import -window root "$out/$(echo "$name" | tr ' /' '__').png" 2>/dev/null; fi
}
calls() { grep -c "\"calls_per_day\": $1" "$plan" >/dev/null; }
alive() { kill -0 "$pid" 2>/dev/null; }

cp "$5" "$plan"; cp "$plan" "$work/original.json"
start "$plan"
# The grid starts with the keyboard on Baseline's Days: Down is its calls/day.
key Down; typ 600000; key Return; key ctrl+s; sleep 0.5
check "type a value and Enter, Ctrl+S saves it" calls 600000
key ctrl+z; key ctrl+s; sleep 0.5
check "Ctrl+Z then Ctrl+S is byte-identical to the file opened" cmp -s "$plan" "$work/original.json"
key ctrl+shift+z; key ctrl+s; sleep 0.5
check "Ctrl+Shift+Z redoes" calls 600000
key ctrl+z; key ctrl+y; key ctrl+s; sleep 0.5
check "Ctrl+Y redoes" calls 600000
key Up; typ abc; key Return; key Escape; key ctrl+s; sleep 0.5
check "a bad value is refused and the file keeps the last valid one" calls 600000
check "the app is still running" alive
# (the refused value left the selection on calls/day)
key ctrl+r; sleep 1; key Escape; sleep 0.5
typ 650000; key Return; key ctrl+s; sleep 0.5
check "Ctrl+R then Esc returns to the grid with the keyboard" calls 650000
# Copy Baseline's calls/day, paste it into Phase 1's: one value, one step.
key Up; key ctrl+c; key Right; key ctrl+v; key ctrl+s; sleep 0.5
check "Ctrl+C then Ctrl+V copies a cell" test "$(grep -c '"calls_per_day": 650000' "$plan")" -eq 2
key ctrl+z; key ctrl+s; sleep 0.5
check "one Ctrl+Z takes the paste back" test "$(grep -c '"calls_per_day": 650000' "$plan")" -eq 1
# Shift+Right stretches a block over Baseline and Phase 1; paste it from Phase 1.
key Left; key shift+Right; key ctrl+c; key Left; key Right; key ctrl+v; key ctrl+s; sleep 0.5
check "Shift+arrows select a block that copies and pastes" test "$(grep -c '"calls_per_day": 650000' "$plan")" -eq 2 -a "$(grep -c '"calls_per_day": 5000000' "$plan")" -eq 0
key ctrl+z; key ctrl+s; sleep 0.5
key Left; key Down
# Ctrl+E exports a workbook beside the plan (the dialog opens in the plan's
# folder with the name filled in; Enter saves).
key ctrl+e; sleep 1.5; key Return; sleep 4
check "Ctrl+E exports a workbook that opens" sh -c "head -c 2 '$work/plan.xlsx' | grep -q PK && [ \$(stat -c %s '$work/plan.xlsx') -gt 20000 ]"
xdotool mousemove --window "$win" 640 437 click 1; sleep 0.5 # OK, centred
# Ctrl+Shift+E writes the HTML report beside the plan the same way.
key ctrl+shift+e; sleep 1.5; key Return; sleep 3
check "Ctrl+Shift+E writes the HTML report, with the plan's total" sh -c "grep -q 'data-figure=\"total_cost\">' '$work/plan.html'"
xdotool mousemove --window "$win" 640 437 click 1; sleep 0.5 # OK, centred
# Opening a broken file (File → Open Recent, by keyboard) shows the error and
# keeps the plan in the window: Ctrl+S then writes it back whole.
cp "$plan" "$work/good.json"; printf '{"format": 1, "name": ' > "$plan"
key alt; key Down Down Down Right Return; sleep 1.5
xdotool mousemove --window "$win" 639 549 click 1; sleep 0.3 # Close
# The file on disk is no longer what the window saved: Ctrl+S asks whose
# version stays, and Keep mine writes the window's back.
key ctrl+s; sleep 0.8
check "Ctrl+S over a file changed on disk asks before writing" sh -c "! grep -q calls_per_day '$plan'"
xdotool mousemove --window "$win" 570 473 click 1; sleep 0.8 # Keep mine
check "opening a broken file keeps the plan in the window" calls 650000
# Unsaved work survives a kill.
key Up; typ 700000; key Return; sleep 2
key ctrl+q; sleep 1.5
check "quitting with unsaved changes asks first" alive
stop
check "SIGKILL after an unsaved edit leaves it in the recovery file" recovered 700000
check "the file on disk keeps its last saved value" calls 650000
# Restart: the unsaved work is offered back; Yes (centred in the window)
# restores it, Ctrl+S saves it.
start "$plan"; xdotool mousemove --window "$win" 673 437 click 1; sleep 0.8; key ctrl+s; sleep 0.5
check "restarting offers the unsaved work back, and it restores" calls 700000
check "once answered, the orphaned recovery is gone" norecovery
stop
# Two instances keep separate recoveries: one's unsaved edit survives the other's save.
start "$plan"; first=$pid; firstwin=$win
key Down; typ 710000; key Return; sleep 1.5
start "$plan"; second=$pid
key ctrl+s; sleep 1
kill -9 "$second" 2>/dev/null; wait "$second" 2>/dev/null
check "a second instance saving leaves the first one's unsaved work" recovered 710000
pid=$first; stop
# A clean instance leaves nothing to offer when killed.
rm -rf "$HOME"; mkdir -p "$HOME"
start "$plan"; key ctrl+s; sleep 1; stop
check "a saved instance leaves no recovery when killed" norecovery
# Components, by keys and the mouse: Delete on a component's row removes it
# and Ctrl+Z brings it back; Enter opens its form, where a new price typed
# and applied is saved.
comp=$work/components.json
cp "$6" "$comp"; cp "$comp" "$work/components-original.json"
start "$comp"
for _ in $(seq 1 42); do xdotool key --window "$win" Down; sleep 0.05; done # Days → Vector database
sleep 0.3; key Delete; key ctrl+s; sleep 0.5
check "Delete on a component's row removes it" sh -c "! grep -q 'Vector database' '$comp'"
key ctrl+z; key ctrl+s; sleep 0.5
check "Ctrl+Z brings the component back, byte for byte" cmp -s "$comp" "$work/components-original.json"
key Return; sleep 1
xdotool mousemove --window "$win" 706 289 click 1; sleep 0.3 # the form's Price
key ctrl+a; typ 999; key Escape; sleep 0.5 # Escape closes the form, changing nothing
key ctrl+s; sleep 0.5
check "Escape closes a component's form without applying it" cmp -s "$comp" "$work/components-original.json"
key Return; sleep 1
xdotool mousemove --window "$win" 706 289 click 1; sleep 0.3
key ctrl+a; typ 1500; key Return; sleep 0.8 # Enter applies
key ctrl+s; sleep 0.5
check "Enter opens the component's form and Enter applies its price" grep -q '"price": 1500' "$comp"
stop
# Scenarios, by the mouse: the toolbar's menu shows "Traffic 30 % higher";
# a value typed then is the scenario's override, not the plan's.
scen=$work/scenarios.json
cp "$5" "$scen"
start "$scen"
xdotool mousemove --window "$win" 1127 49 click 1; sleep 0.8   # the Scenario menu
xdotool mousemove --window "$win" 1126 200 click 1; sleep 1     # Traffic 30 % higher
key Down; typ 700000; key Return; key ctrl+s; sleep 0.5
check "a value typed in a scenario is its override" grep -q '"phases\[Baseline\].calls_per_day": 700000' "$scen"
check "and the plan's own value is unchanged" grep -q '"calls_per_day": 500000' "$scen"
stop
# Ranges: typed into a cell, a range makes the input uncertain and is saved
# as one; the Risk tab draws the plan without stopping the window; Ctrl+Z
# makes the input a number again.
rng=$work/ranges.json
cp "$5" "$rng"
start "$rng"
key Down; typ "400000 to 650000"; key Return; key ctrl+s; sleep 0.5
check "a range typed in a cell is saved as a range" grep -q '"calls_per_day": {"low": 400000, "high": 650000}' "$rng"
key ctrl+8; sleep 4
check "the Risk tab draws the plan and the app keeps running" alive
key ctrl+1; key ctrl+z; key ctrl+s; sleep 0.5
check "Ctrl+Z makes the input a number again" sh -c "grep -q '\"calls_per_day\": 500000' '$rng' && ! grep -q '\"low\":' '$rng'"
# The price book: Ctrl+B, type to filter, Enter uses the one match.
key ctrl+b; sleep 0.8; typ "l40s"; key Return; key ctrl+s; sleep 0.5
check "Ctrl+B picks a node from the price book, cited in the saved plan" grep -q '"node_hourly": {"book": "builtin", "instance": "g6e.xlarge"' "$rng"
stop
# A load test, by keys and the mouse: Ctrl+I opens the file dialog in the
# plan's folder; the GuideLLM file (after plan.json) and Open show the runs
# and what they give; Apply sets the plan's defaults with their provenance,
# and Ctrl+Z takes it all back.
mkdir -p "$work/bench"; imp=$work/bench/plan.json
cp "$5" "$imp"; cp "$imp" "$work/bench-original"; cp "$7" "$work/bench/"
start "$imp"
key ctrl+i; sleep 1.5
xdotool mousemove --window "$win" 763 360 click 1; sleep 0.5 # seed-distilled-guidellm.json
xdotool mousemove --window "$win" 860 566 click 1; sleep 1.5 # Open
xdotool mousemove --window "$win" 684 694 click 1; sleep 0.8 # Apply
key ctrl+s; sleep 0.5
# 62.5 calls/s: the distilled variant's already, now the plan default's too.
check "Ctrl+I imports a load test into the plan, with its provenance" sh -c "[ \$(grep -c '\"node_rps\": 62.5,' '$imp') -eq 2 ] && grep -q 'seed-distilled-guidellm.json (SHA-256 ' '$imp'"
key ctrl+z; key ctrl+s; sleep 0.5
check "one Ctrl+Z takes the import back, byte for byte" cmp -s "$imp" "$work/bench-original"
stop
# Another program changes the plan while it is open: Ctrl+S asks (keep
# theirs, keep mine, Save As) instead of writing over the change.
ext=$work/external.json
cp "$5" "$ext"
start "$ext"
key Down; typ 720000; key Return; sleep 0.5
sed -i 's/"notes": "/"notes": "Changed by another program. /' "$ext"
key ctrl+s; sleep 1
check "Ctrl+S over another program's change asks first, writing nothing" sh -c "grep -q 'Changed by another program' '$ext' && ! grep -q '\"calls_per_day\": 720000' '$ext'"
stop
# Two windows on one plan: the first writes a lock file beside it; the
# second is told who has it and, read-only, Ctrl+S writes nothing; a clean
# quit of the first takes its lock away.
mkdir -p "$work/two"; two=$work/two/plan.json
cp "$5" "$two"; cp "$two" "$work/two-original.json"
start "$two"; first=$pid; firstwin=$win
check "an open plan has a lock file beside it naming its window" grep -q ",$first," "$work/two/.~lock.plan.json#"
start "$two"; second=$pid
xdotool mousemove --window "$win" 556 473 click 1; sleep 0.5 # Open read-only
key Down; typ 730000; key Return; sleep 0.5; key ctrl+s; sleep 1.5
check "a second window on the plan, read-only, writes nothing over it" cmp -s "$two" "$work/two-original.json"
check "and the first window keeps the lock" grep -q ",$first," "$work/two/.~lock.plan.json#"
kill -9 "$second" 2>/dev/null; wait "$second" 2>/dev/null
pid=$first; win=$firstwin
key ctrl+q; sleep 1.5
check "a clean quit removes the lock file" test ! -e "$work/two/.~lock.plan.json#"
stop
# Unsaved work of a plan opened by a relative path, restored from another
# folder holding a different plan of that name: it goes back to its own
# file, and the other folder's plan is untouched.
rm -rf "$HOME"; mkdir -p "$HOME" "$work/d1" "$work/d2"
cp "$5" "$work/d1/plan.json"
sed 's/"notes": "/"notes": "Another folder. /' "$5" > "$work/d2/plan.json"; cp "$work/d2/plan.json" "$work/d2-original.json"
pushd "$work/d1" >/dev/null; start plan.json; key Down; typ 740000; key Return; sleep 2; stop; popd >/dev/null
pushd "$work/d2" >/dev/null; start plan.json
xdotool mousemove --window "$win" 673 437 click 1; sleep 0.8; key ctrl+s; sleep 0.8; stop; popd >/dev/null
check "restored work never lands on another folder's plan of the same name" cmp -s "$work/d2/plan.json" "$work/d2-original.json"
check "it goes back to its own file" grep -q '"calls_per_day": 740000' "$work/d1/plan.json"
# Asked to stop by the system (SIGTERM): no question, the unsaved work kept
# for the next start, the lock taken off the plan.
mkdir -p "$work/term"; cp "$5" "$work/term/plan.json"
start "$work/term/plan.json"; key Down; typ 750000; key Return; sleep 2
kill -TERM "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; pid=
check "SIGTERM keeps the unsaved work and takes the lock off the plan" sh -c "test ! -e '$work/term/.~lock.plan.json#' && cat '$store'/recovery-*.json | grep -Eq '\"calls_per_day\": ?750000'"
# A plan that serves tokens: Ctrl+6 opens the Latency tab, Ctrl+L serves
# the first phase's day token by token off the UI goroutine; the simulated
# p99s are drawn in orange (#ED7D31), which nothing else on that tab uses.
orange() { import -window root "$work/llm.png" 2>/dev/null; convert "$work/llm.png" -fill black +opaque "#ED7D31" -fill white -opaque "#ED7D31" -format "%[fx:mean*w*h]" info: 2>/dev/null | cut -d. -f1; }
mkdir -p "$work/llm"; cp "$8" "$work/llm/plan.json"
rm -f "$store"/recovery-*.json # the SIGTERM step's work, checked above: no question over the chart
start "$work/llm/plan.json"; key ctrl+6; sleep 1
before=$(orange)
key ctrl+l; for _ in $(seq 1 60); do [ "$(orange)" -gt 200 ] && break; sleep 0.5; done
check "Ctrl+L on a token phase draws the simulated TTFT and TPOT" test "$(orange)" -gt 200 -a "$before" -lt 50
check "the app is still running after the token simulation" alive
stop
# The cheapest offer: Ctrl+Shift+B ranks Phase 2's offers off the UI
# goroutine; a click on the first row (the L40S) and on Use it set the
# phase's node, cited in the saved plan with the estimate as ranges.
mkdir -p "$work/cheap"; cp "$9" "$work/cheap/plan.json"
start "$work/cheap/plan.json"
key ctrl+shift+b; sleep 3
xdotool mousemove --window "$win" 141 261 click 1; sleep 0.4 # the first row
xdotool mousemove --window "$win" 685 648 click 1; sleep 0.8 # Use it
key ctrl+s; sleep 0.5
check "Ctrl+Shift+B ranks the offers and Use it sets the phase's node, cited, with the estimate as ranges" sh -c "grep -q '\"instance\": \"g6e.xlarge\"' '$work/cheap/plan.json' && grep -q '\"dist\": \"triangular\"' '$work/cheap/plan.json'"
stop

# Actuals: the app opened on the seed's 120-day bill and usage shows the
# Actuals tab; Write as scenario, then Ctrl+S, saves the scenario "As
# observed"; one Ctrl+Z and Ctrl+S take it back out of the file.
mkdir -p "$work/act"; cp "$5" "$work/act/plan.json"
actuals=$(dirname "$5")/actuals
start actuals "$work/act/plan.json" --bill "$actuals/seed-bill-120-days.csv" --usage "$actuals/seed-usage-120-days.csv" --open
sleep 2
xdotool mousemove --window "$win" 243 207 click 1; sleep 0.8 # Write as scenario
key ctrl+s; sleep 0.5
check "the Actuals tab's Write as scenario, then Ctrl+S, saves the scenario As observed" sh -c "grep -q '\"name\": \"As observed\"' '$work/act/plan.json' && grep -q '\"phases\[Phase 1\].calls_per_day\": 2100000' '$work/act/plan.json'"
key ctrl+z; key ctrl+s; sleep 0.5
check "Ctrl+Z takes the scenario back, byte for byte" cmp -s "$work/act/plan.json" "$5"
stop
echo "$passes passed, $fails failed"
[ "$fails" -eq 0 ]
INSIDE

seed=testdata/seed-roadmap.json
start=$(date +%s)
# A virtual X server of our own on a free display (not xvfb-run, whose
# clean-up can fail the run after the tests passed), ready before use: a
# display just given up can take a moment to be free again.
xvfb=
for try in 1 2 3 4 5; do
  n=$((100 + RANDOM % 400))
  while [ -e /tmp/.X$n-lock ] || [ -e /tmp/.X11-unix/X$n ]; do n=$((n + 1)); done
  Xvfb :$n -screen 0 1280x800x24 -nolisten tcp -noreset >"$work/xvfb.log" 2>&1 & xvfb=$!
  for _ in $(seq 1 100); do
    DISPLAY=:$n xdotool getdisplaygeometry >/dev/null 2>&1 && break 2
    kill -0 "$xvfb" 2>/dev/null || break
    sleep 0.1
  done
  kill "$xvfb" 2>/dev/null; wait "$xvfb" 2>/dev/null; xvfb=
done
[ -n "$xvfb" ] || { echo "e2e: no virtual X server would start" >&2; cat "$work/xvfb.log" >&2; exit 1; }
DISPLAY=:$n bash "$work/inside.sh" "$bin" "$work" "$out" "" "$PWD/$seed" "$PWD/testdata/components-roadmap.json" "$PWD/testdata/bench/seed-distilled-guidellm.json" "$PWD/testdata/llm-chat-roadmap.json" "$PWD/testdata/estimate/seed-with-architecture.json"
status=$?
kill "$xvfb" 2>/dev/null; wait "$xvfb" 2>/dev/null
echo "e2e: $(( $(date +%s) - start )) s"
if [ $status -ne 0 ]; then
  echo "e2e: screenshots of the failing steps are in $out" >&2
else
  rmdir "$out" 2>/dev/null
fi
exit $status
