# Helpers for the cluster walkthrough: print every command like a user's terminal, then check what it
# printed. Sourced by walkthrough.sh.
T0=${T0:-$(date +%s.%N)}
elapsed() { awk -v a="$T0" -v b="$(date +%s.%N)" 'BEGIN{printf "%.1f", b-a}'; }
step() { printf '\n\033[1m== [%6ss] %s\033[0m\n' "$(elapsed)" "$*"; }
ok() { printf '\033[32m✔ %s\033[0m\n' "$*"; }
fail() { printf '\033[31m✘ %s\033[0m\n' "$*"; exit 1; }

# run CMD: print "$ CMD", run it through the shell, show its output; OUT holds stdout+stderr, RC its code.
run() {
  printf '\033[36m$ %s\033[0m\n' "$*"
  set +e
  OUT=$(eval "$*" 2>&1)
  RC=$?
  set -e
  [ -z "$OUT" ] || printf '%s\n' "$OUT"
}
# here CMD: print and run CMD in this shell (for `export X=$(…)`), failing the walkthrough on error.
here() { printf '\033[36m$ %s\033[0m\n' "$*"; eval "$*" || fail "exit code $?: $*"; }
# must CMD: run, and fail the walkthrough unless it exits 0.
must() { run "$@"; [ "$RC" = 0 ] || fail "exit code $RC: $*"; }
# expect REGEX [WHAT]: the last command's output matches.
expect() { grep -Eq -- "$1" <<<"$OUT" || fail "${2:-output} does not match /$1/"; ok "${2:-output matches /$1/}"; }

# page [COOKIE]: one GET /productpage through the gateway, quietly; sets STATUS, SECS, STARS (none|black|red)
# and BODY. Classified like Istio's tests: the star container's colour class, else no stars.
page() {
  local f
  f=$(mktemp)
  read -r STATUS SECS < <(curl -s -o "$f" -w '%{http_code} %{time_total}\n' --max-time 30 \
    ${1:+-H "Cookie: $1"} "http://$GATEWAY_URL/productpage")
  BODY=$(cat "$f")
  rm -f "$f"
  if grep -q 'gap-x-1 text-red-500' <<<"$BODY"; then STARS=red
  elif grep -q 'gap-x-1 text-black-500' <<<"$BODY"; then STARS=black
  else STARS=none; fi
}

# tally N [COOKIE]: N page loads; prints and sets COUNTS like "none=34 black=33 red=33" and NON200.
tally() {
  local n=$1 i none=0 black=0 red=0
  NON200=0
  for ((i = 0; i < n; i++)); do
    page "${2:-}"
    [ "$STATUS" = 200 ] || NON200=$((NON200 + 1))
    case $STARS in none) none=$((none + 1)) ;; black) black=$((black + 1)) ;; red) red=$((red + 1)) ;; esac
  done
  COUNTS="none=$none black=$black red=$red"
  N_NONE=$none N_BLACK=$black N_RED=$red
  printf '  %d loads of /productpage: %s (non-200: %d)\n' "$n" "$COUNTS" "$NON200"
}

# converge SECONDS STARS [COOKIE]: routing changes propagate asynchronously (kubectl → API server → istiod →
# every proxy); wait until 10 pages in a row show STARS, and say how long that took.
converge() {
  local start deadline run=0
  start=$(date +%s.%N)
  deadline=$(($(date +%s) + $1))
  while [ $run -lt 10 ]; do
    page "${3:-}"
    if [ "$STATUS" = 200 ] && [ "$STARS" = "$2" ]; then run=$((run + 1)); else run=0; fi
    [ "$(date +%s)" -lt "$deadline" ] || fail "no 10 pages in a row with stars=$2 within $1 s (last: $STATUS, $STARS)"
  done
  printf '  routing converged: 10 pages in a row with stars=%s after %ss\n' "$2" "$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN{printf "%.1f", b-a}')"
}

# appears SECONDS STARS: wait until one page shows STARS (a split's new side).
appears() {
  local deadline=$(($(date +%s) + $1))
  until page && [ "$STATUS" = 200 ] && [ "$STARS" = "$2" ]; do
    [ "$(date +%s)" -lt "$deadline" ] || fail "no page with stars=$2 within $1 s (last: $STATUS, $STARS)"
  done
}

# login USER: POST /login through the gateway like the page's form; sets COOKIE (session=…).
login() {
  local headers
  headers=$(curl -s -o /dev/null -D - --max-time 10 -H "Referer: http://$GATEWAY_URL/productpage" \
    --data-urlencode "username=$1" --data-urlencode "passwd=" "http://$GATEWAY_URL/login")
  COOKIE=$(grep -i '^set-cookie: session=' <<<"$headers" | head -1 | sed -E 's/^[^:]*: *//; s/;.*//' | tr -d '\r')
  [ -n "$COOKIE" ] || fail "login as $1 returned no session cookie"
}

# tcp_line HOST PORT: one TCP connection as Istio's task makes it with `date | nc`: send one line, print the
# one-line answer (exit 1 when the connection fails or nothing comes back within 5 s).
tcp_line() {
  timeout 5 bash -c 'exec 3<>"/dev/tcp/$0/$1" && date >&3 && IFS= read -r l <&3 && printf "%s\n" "$l"' "$1" "$2" 2>/dev/null
}

# tcp_tally N HOST PORT: N connections; prints and sets TCP_ONE, TCP_TWO (answers prefixed "one"/"two"),
# TCP_OTHER and TCP_FAILED.
tcp_tally() {
  local n=$1 i line
  TCP_ONE=0 TCP_TWO=0 TCP_OTHER=0 TCP_FAILED=0
  for ((i = 0; i < n; i++)); do
    if ! line=$(tcp_line "$2" "$3"); then TCP_FAILED=$((TCP_FAILED + 1)); continue; fi
    case $line in "one "*) TCP_ONE=$((TCP_ONE + 1)) ;; "two "*) TCP_TWO=$((TCP_TWO + 1)) ;; *) TCP_OTHER=$((TCP_OTHER + 1)) ;; esac
  done
  printf '  %d TCP connections to %s:%s: one=%d two=%d other=%d failed=%d\n' "$n" "$2" "$3" "$TCP_ONE" "$TCP_TWO" "$TCP_OTHER" "$TCP_FAILED"
}

# full_stars: the full-star markers on the last page (Istio's test string; empty stars excluded).
full_stars() { grep -o 'glyphicon glyphicon-star"' <<<"$BODY" | wc -l | tr -d ' '; }

# stars_until SECONDS COLOUR N: wait until a page shows N full stars of COLOUR; say how long that took.
stars_until() {
  local start deadline
  start=$(date +%s.%N)
  deadline=$(($(date +%s) + $1))
  until page && [ "$STATUS" = 200 ] && [ "$STARS" = "$2" ] && [ "$(full_stars)" = "$3" ]; do
    [ "$(date +%s)" -lt "$deadline" ] || fail "no page with $3 $2 stars within $1 s (last: $STATUS, $STARS, $(full_stars) stars)"
    sleep 0.5
  done
  printf '  %s %s stars after %ss\n' "$3" "$2" "$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN{printf "%.1f", b-a}')"
}

# stat_value TEXT NAME: the value of one counter line `NAME: N` in an admin /stats dump (0 when absent).
stat_value() { awk -v n="$2" -F': ' '$1 == n {v = $2} END {print v + 0}' <<<"$1"; }
