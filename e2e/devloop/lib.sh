# Helpers for e2e/devloop/run.sh (sourced after e2e/cluster/lib.sh, whose step/ok/fail/run/must/expect/page
# it uses). Everything a kind user has and this machine lacks is set up here, never in the Tiltfile or
# skaffold.yaml: a kubeconfig context named as kind names it, Tilt's extension repo from a local git repo, and
# Tilt/Skaffold state in $WORK instead of the user's home.

# kind_kubeconfig FILE: the cluster's admin kubeconfig under kind's names (cluster, user and context
# kind-trellis), which the Tiltfile's allow_k8s_contexts and both tools' "local cluster" detection key on.
kind_kubeconfig() {
  local file=$1 src=$K/kubeconfig token
  token=$(KUBECONFIG=$src kubectl config view --raw -o jsonpath='{.users[0].user.token}')
  KUBECONFIG=$file kubectl config set-cluster kind-trellis --server="https://$NODE_IP:6443" \
    --certificate-authority="$K/pki/ca.crt" --embed-certs=true >/dev/null
  KUBECONFIG=$file kubectl config set-credentials kind-trellis --token="$token" >/dev/null
  KUBECONFIG=$file kubectl config set-context kind-trellis --cluster=kind-trellis --user=kind-trellis >/dev/null
  KUBECONFIG=$file kubectl config use-context kind-trellis >/dev/null
}

# user_checkout DIR: the repository as a user has it — a git clone of this one plus the working tree's
# uncommitted files (so an unpushed Tiltfile change is what runs), node_modules hard-linked. Edits go here.
user_checkout() {
  local dir=$1
  git clone -q "$REPO" "$dir"
  (cd "$REPO" && git ls-files -z --cached --others --exclude-standard | rsync -a --from0 --files-from=- ./ "$dir/")
  cp -al "$REPO/node_modules" "$dir/node_modules"
}

# tilt_extensions DIR: tools/devloop/tilt-extensions as a git repository, served to Tilt in place of
# https://github.com/tilt-dev/tilt-extensions by git's url.<base>.insteadOf (Tilt fetches `ext://` with git).
tilt_extensions() {
  local dir=$1
  mkdir -p "$dir" && cp -r "$REPO/tools/devloop/tilt-extensions/." "$dir/"
  git -C "$dir" init -q -b master
  git -C "$dir" -c user.name=e2e -c user.email=e2e@localhost add -A
  git -C "$dir" -c user.name=e2e -c user.email=e2e@localhost commit -qm "offline tilt-extensions"
}

# npm_layers DIR: the one thing a kind user's `docker build` has and this machine's lacks is network for the
# Dockerfiles' `npm ci` (Tilt's and Skaffold's builds run their RUN steps in containers with no network here).
# Build those layers once, from DIR, exactly as the tools will ask for them — no build args, so the classic
# builder's cache key is theirs (a proxy build arg would put "|0" in it) — with the node's network and
# registry.npmjs.org pointed at a TCP relay on the host end of the veth that reaches nothing but the npm
# registry (TLS stays end to end). The tools' builds then find `npm ci` in the layer cache.
npm_layers() {
  local dir=$1 relay rc=0
  socat "TCP-LISTEN:443,bind=$HOST_IP,fork,reuseaddr" TCP:registry.npmjs.org:443 &
  relay=$!
  sleep 0.3
  docker build --network host --add-host "registry.npmjs.org:$HOST_IP" -f "$dir/tools/docker/dev.Dockerfile" \
    --target deps -q "$dir" >/dev/null && \
  docker build --network host --add-host "registry.npmjs.org:$HOST_IP" --target build -q "$dir" >/dev/null || rc=$?
  kill "$relay" 2>/dev/null; wait "$relay" 2>/dev/null || true
  return $rc
}

# free_port: an unused loopback port for Tilt's web/API server.
free_port() {
  node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"
}

# wait_log FILE REGEX SECONDS PID: until FILE has a line matching REGEX; fail if PID exits or time runs out.
wait_log() {
  local deadline=$(($(date +%s) + $3))
  until grep -Eq -- "$2" "$1" 2>/dev/null; do
    kill -0 "$4" 2>/dev/null || { tail -40 "$1"; fail "the process exited before /$2/ appeared in its output"; }
    [ "$(date +%s)" -lt "$deadline" ] || { tail -40 "$1"; fail "/$2/ not in the output within $3 s"; }
    sleep 0.5
  done
}

# wait_tilt_api SECONDS PID: until `tilt up` (PID) serves its API on $TILT_PORT (`tilt wait` fails at once with
# "No tilt apiserver found" before that); fail if PID exits or time runs out.
wait_tilt_api() {
  local deadline=$(($(date +%s) + $1))
  until tilt get session >/dev/null 2>&1; do
    kill -0 "$2" 2>/dev/null || { tail -40 "$WORK/tilt-up.log"; fail "tilt up exited before serving its API"; }
    [ "$(date +%s)" -lt "$deadline" ] || { tail -40 "$WORK/tilt-up.log"; fail "tilt up: no API on port $TILT_PORT within $1 s"; }
    sleep 0.5
  done
}

# wait_tilt_ready SECONDS PID: until every Tilt resource has finished its update and is running (updateStatus and
# runtimeStatus ok or not_applicable), as `tilt ci` decides; `tilt wait --for=condition=Ready --all` returned while
# the Bookinfo resources were still pending behind istiod. Fails if PID exits or time runs out.
wait_tilt_ready() {
  local deadline=$(($(date +%s) + $1)) waiting
  while :; do
    waiting=$(tilt get uiresources -o json 2>/dev/null | node -e '
      let s = ""; process.stdin.on("data", (d) => (s += d)).on("end", () => {
        const items = (s ? JSON.parse(s).items : []) ?? [];
        const done = (v) => v === "ok" || v === "not_applicable";
        const bad = items.filter((r) => !done(r.status?.updateStatus) || !done(r.status?.runtimeStatus));
        console.log(items.length < 2 ? "(no resources yet)" : bad.map((r) => `${r.metadata.name}:${r.status?.updateStatus}/${r.status?.runtimeStatus}`).join(" "));
      });') || waiting="(tilt get failed)"
    [ -n "$waiting" ] || return 0
    kill -0 "$2" 2>/dev/null || { tail -40 "$WORK/tilt-up.log"; fail "tilt up exited while waiting for: $waiting"; }
    [ "$(date +%s)" -lt "$deadline" ] || { tail -40 "$WORK/tilt-up.log"; fail "tilt up: not ready within $1 s: $waiting"; }
    sleep 1
  done
}

# gone_within SECONDS CMD: until CMD (a kubectl get) prints nothing, i.e. what it lists has finished terminating.
gone_within() {
  local deadline=$(($(date +%s) + $1)) out
  while :; do
    out=$(eval "$2" 2>"$WORK/gone.err") || fail "$2: $(cat "$WORK/gone.err")"   # stderr: "No resources found"
    [ -n "$out" ] || return 0
    [ "$(date +%s)" -lt "$deadline" ] || fail "still there $1 s after skaffold delete: $out"
    sleep 1
  done
}

# stop_pid PID: SIGINT (Ctrl-C, as a user stops `tilt up` / `skaffold dev`), SIGKILL after 60 s.
stop_pid() {
  local pid=$1 i
  kill -INT "$pid" 2>/dev/null || return 0
  for ((i = 0; i < 600; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

# gateway_checks WHAT: Getting Started through the ingress gateway — bookinfo-gateway.yaml, the page's title,
# and all three reviews versions answering (no stars, black, red).
gateway_checks() {
  must "kubectl apply -f samples/bookinfo/networking/bookinfo-gateway.yaml"
  expect 'gateway.networking.istio.io/bookinfo-gateway (created|unchanged|configured)'
  here "export INGRESS_PORT=\$(kubectl -n istio-system get service istio-ingressgateway -o jsonpath='{.spec.ports[?(@.name==\"http2\")].nodePort}')"
  here "export INGRESS_HOST=\$(kubectl get po -l istio=ingressgateway -n istio-system -o jsonpath='{.items[0].status.hostIP}')"
  export GATEWAY_URL=$INGRESS_HOST:$INGRESS_PORT
  local deadline=$(($(date +%s) + 120))
  until curl -fs -o /dev/null --max-time 5 "http://$GATEWAY_URL/productpage"; do
    [ "$(date +%s)" -lt $deadline ] || fail "http://$GATEWAY_URL/productpage not serving 120 s after $1"
    sleep 0.5
  done
  must "curl -s \"http://\${GATEWAY_URL}/productpage\" | grep -o \"<title>.*</title>\""
  expect '^<title>Simple Bookstore App</title>$' "productpage through the ingress gateway ($1)"
  tally 30
  [ "$NON200" = 0 ] && [ "$N_NONE" -gt 0 ] && [ "$N_BLACK" -gt 0 ] && [ "$N_RED" -gt 0 ] ||
    fail "expected 30 × 200 with no, black and red stars: $COUNTS, non-200 $NON200"
  ok "reviews v1, v2 and v3 all answer through the gateway ($COUNTS)"
}

# rolled_out: every Deployment in istio-system and default has rolled out (as a user runs `kubectl rollout
# status` after `skaffold run`: Skaffold's own wait can report "stabilized" before the Deployment controller
# has looked at a just-created Deployment), and no pod of theirs is still Terminating (Tilt's, after tilt down).
rolled_out() {
  local ns d deadline=$(($(date +%s) + 180))
  for ns in istio-system default; do
    for d in $(kubectl -n "$ns" get deploy -o name); do
      kubectl -n "$ns" rollout status "$d" --timeout=180s >/dev/null || fail "$ns/$d did not roll out"
    done
  done
  until ! kubectl get pods -n default -o jsonpath='{.items[*].metadata.deletionTimestamp}' | grep -q . &&
    ! kubectl get pods -n istio-system -o jsonpath='{.items[*].metadata.deletionTimestamp}' | grep -q .; do
    [ "$(date +%s)" -lt $deadline ] || fail "pods still terminating 180 s after the rollout"
    sleep 1
  done
}

# images_from_registry PREFIX: every Bookinfo/mesh pod runs an image pushed to the local registry (PREFIX…),
# the injected sidecars included; prints them.
images_from_registry() {
  local images bad
  images=$(kubectl get pods -A -o jsonpath='{range .items[*]}{.metadata.namespace}/{.metadata.name}{range .spec.initContainers[*]} {.name}={.image}{end}{range .spec.containers[*]} {.name}={.image}{end}{"\n"}{end}' |
    grep -E '^(default|istio-system)/')
  sed 's/^/  /' <<<"$images"
  bad=$(tr ' ' '\n' <<<"$images" | grep '=' | grep -v "=$1" || true)
  [ -z "$bad" ] || fail "containers not running a $1… image: $bad"
  grep -q "istio-proxy=$1" <<<"$images" || fail "no injected istio-proxy sidecar"
}

# edit_star_colour DIR: the edit a developer makes — reviews v3 answers blue instead of red.
edit_star_colour() {
  local f=$1/apps/reviews/src/reviews-json.ts
  grep -q 'str(view.starColor)' "$f" || fail "$f: the star colour expression moved; update e2e/devloop/lib.sh"
  sed -i "s/str(view.starColor)/str(view.starColor === 'red' ? 'blue' : view.starColor)/" "$f"
}

# until_blue SECONDS: poll the gateway until a page shows blue stars; sets BLUE_SECS (from EDIT_AT).
until_blue() {
  local deadline=$(($(date +%s) + $1))
  until page && [ "$STATUS" = 200 ] && grep -q 'gap-x-1 text-blue-500' <<<"$BODY"; do
    [ "$(date +%s)" -lt "$deadline" ] || fail "no blue stars through the gateway within $1 s of the edit"
    sleep 0.1
  done
  BLUE_SECS=$(awk -v a="$EDIT_AT" -v b="$(date +%s.%N)" 'BEGIN{printf "%.1f", b-a}')
}
