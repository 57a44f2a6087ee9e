#!/usr/bin/env bash
# Debian packages needed to build (tools/kube-env/build.sh) and run (kube-env.mjs) the Kubernetes
# test environment: Go 1.19, etcd, the Debian `kubernetes` source package (needs deb-src lines) and
# the two Go libraries that replace the vendored reflect2/json-iterator.
# Idempotent; a fast no-op (well under a second) when everything is present. Run as root (or with sudo).
# Env: KUBE_ENV_SKIP_DEPS=1 skips it entirely (e.g. on a non-Debian host with prebuilt binaries).
set -euo pipefail
log() { echo "[kube-env] $*"; }
[ "${KUBE_ENV_SKIP_DEPS:-}" = 1 ] && { log "install-deps: skipped (KUBE_ENV_SKIP_DEPS=1)"; exit 0; }

PKGS=(golang-1.19-go etcd-server dpkg-dev make rsync jq openssl util-linux
  golang-github-modern-go-reflect2-dev golang-github-json-iterator-go-dev)
SUITES='bookworm bookworm-updates bookworm-security'
SRC_FILE=/etc/apt/sources.list.d/trellis-kube-env-src.sources

SUDO=
if [ "$(id -u)" != 0 ]; then
  command -v sudo >/dev/null || { echo "[kube-env] install-deps: must run as root (or with sudo)" >&2; exit 1; }
  SUDO=sudo
fi

# --- deb-src twins of the configured Debian `deb` sources (same hosts), for `apt-get source kubernetes`.
# Sources other than our own file, in both formats (deb822 *.sources and one-line *.list).
other_sources() {
  local f
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] && [ "$f" != "$SRC_FILE" ] && echo "$f"
  done
  return 0
}
# Prints a deb822 file with one deb-src stanza per configured `deb` source whose suites include a
# bookworm suite (suites filtered to $SUITES). Prints nothing if deb-src for bookworm already exists.
desired_src() {
  local files; mapfile -t files < <(other_sources)
  [ ${#files[@]} -gt 0 ] || return 0
  awk -v want="$SUITES" '
    BEGIN { n = split(want, w, " "); for (i = 1; i <= n; i++) ok[w[i]] = 1 }
    function flush(   i, k, s, out) {
      if (types != "" && uris != "" && suites != "" && enabled != "no") {
        k = split(suites, s, /[ \t]+/); out = ""
        for (i = 1; i <= k; i++) if (s[i] in ok) out = out (out == "" ? "" : " ") s[i]
        if (out != "") {
          if (types ~ /(^|[ \t])deb-src([ \t]|$)/) have_src = 1
          else if (types ~ /(^|[ \t])deb([ \t]|$)/) {
            stanzas = stanzas "Types: deb-src\nURIs: " uris "\nSuites: " out "\nComponents: " comps "\n" \
              (signed != "" ? "Signed-By: " signed "\n" : "") "\n"
          }
        }
      }
      types = uris = suites = comps = signed = enabled = ""
    }
    FNR == 1 { flush(); deb822 = (FILENAME ~ /\.sources$/) }
    deb822 {
      if ($0 ~ /^[ \t]*$/) { flush(); next }
      if ($0 ~ /^#/) next
      if (match($0, /^[A-Za-z-]+:/)) {
        key = tolower(substr($0, 1, RLENGTH - 1)); val = substr($0, RLENGTH + 1); gsub(/^[ \t]+|[ \t]+$/, "", val)
        if (key == "types") types = val; else if (key == "uris") uris = val; else if (key == "suites") suites = val
        else if (key == "components") comps = val; else if (key == "signed-by") signed = val
        else if (key == "enabled") enabled = tolower(val)
      }
      next
    }
    # one-line format: deb [opts] URI SUITE COMPONENTS...
    /^[ \t]*deb(-src)?[ \t]/ {
      line = $0; sub(/#.*/, "", line); opts = ""
      if (match(line, /\[[^]]*\]/)) { opts = substr(line, RSTART, RLENGTH); line = substr(line, 1, RSTART - 1) substr(line, RSTART + RLENGTH) }
      k = split(line, f, /[ \t]+/); j = (f[1] == "" ? 2 : 1)
      if (!(f[j + 2] in ok)) next
      if (f[j] == "deb-src") { have_src = 1; next }
      c = ""; for (i = j + 3; i <= k; i++) c = c (c == "" ? "" : " ") f[i]
      s = ""; if (match(opts, /signed-by=[^] \t]+/)) s = substr(opts, RSTART + 10, RLENGTH - 10)
      stanzas = stanzas "Types: deb-src\nURIs: " f[j + 1] "\nSuites: " f[j + 2] "\nComponents: " c "\n" (s != "" ? "Signed-By: " s "\n" : "") "\n"
    }
    END { flush(); if (!have_src && stanzas != "") printf "# Written by tools/kube-env/install-deps.sh (deb-src for `apt-get source kubernetes`)\n\n%s", stanzas }
  ' "${files[@]}"
}

need_update=0
want=$(desired_src)
if [ -n "$want" ]; then
  if [ ! -f "$SRC_FILE" ] || [ "$(cat "$SRC_FILE")" != "$want" ]; then
    log "adding deb-src lines for ${SUITES// /, } → $SRC_FILE"
    printf '%s\n' "$want" | $SUDO tee "$SRC_FILE" >/dev/null
    need_update=1
  fi
  # source indexes never fetched (e.g. an earlier update failed)
  compgen -G '/var/lib/apt/lists/*_source_Sources*' >/dev/null || need_update=1
fi

installed=" $(dpkg-query -W -f='${Package}=${db:Status-Status} ' "${PKGS[@]}" 2>/dev/null || true) "
missing=()
for p in "${PKGS[@]}"; do
  [[ "$installed" == *" $p=installed "* ]] || missing+=("$p")
done

if [ "$need_update" = 0 ] && [ ${#missing[@]} = 0 ]; then
  exit 0   # fast path: nothing to do
fi
export DEBIAN_FRONTEND=noninteractive
out=$(mktemp); trap 'rm -f "$out"' EXIT
apt_q() { "$@" >"$out" 2>&1 || { cat "$out" >&2; log "install-deps: FAILED: $*"; exit 1; }; }
log "apt-get update …"
apt_q $SUDO apt-get update -qq
if [ ${#missing[@]} -gt 0 ]; then
  log "installing: ${missing[*]} (~30 s)"
  apt_q $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
log "install-deps: done"
