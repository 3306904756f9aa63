#!/usr/bin/env bash
# Opens `nncc explain --html` of the example CNN in headless Chromium (Debian's package): the
# rendered page must show every kernel, the module names, the graph and the hook boundary, fetch
# nothing from the network, and leave a screenshot (report.png) next to it.
# usage: check_report.sh NNCC MODEL OUTDIR
set -euo pipefail
nncc=$1 model=$2 out=$3
mkdir -p "$out"
rm -f "$out/report.html" "$out/report.png" "$out/dom.html"
"$nncc" explain "$model" --hook-points=features.1 --html="$out/report.html" > "$out/explain.txt"
kernels=$(grep -c '^kernel [0-9]*:' "$out/explain.txt")

browser=$(command -v chromium || true)
if [ -z "$browser" ]; then
  echo "error: chromium is not installed (scripts/setup.sh installs it)"
  exit 1
fi
flags=(--headless --no-sandbox --disable-gpu --disable-dev-shm-usage --allow-file-access-from-files)
"$browser" "${flags[@]}" --dump-dom "file://$out/report.html" > "$out/dom.html" 2>/dev/null
"$browser" "${flags[@]}" --window-size=1400,2400 --screenshot="$out/report.png" \
  "file://$out/report.html" > /dev/null 2>&1

status=0
check() { # check DESCRIPTION COMMAND...
  local what=$1; shift
  if ! "$@"; then
    echo "error: the rendered report $what"
    status=1
  fi
}
check "has a row per kernel ($kernels)" test "$(grep -o '<tr id="kernel[0-9]*"' "$out/dom.html" | wc -l)" -eq "$kernels"
check "names the modules" grep -q 'features.0 (Conv2d), features.1 (BatchNorm2d)' "$out/dom.html"
check "shows the module tree" grep -q '<code>classifier</code> Linear' "$out/dom.html"
check "draws the fused groups" grep -q '<svg' "$out/dom.html"
check "names the hook boundary" grep -q "a hook point at 'features.1' (forward) materialises it" "$out/dom.html"
check "links each kernel to its IR" grep -q 'id="ir1"' "$out/dom.html"
check "fetches nothing" bash -c "! grep -Eq '(src|href)=\"(https?:)?//' '$out/report.html'"
check "has a screenshot" bash -c "head -c 8 '$out/report.png' | od -An -tx1 | grep -q '89 50 4e 47'"
exit $status
