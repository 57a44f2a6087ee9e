# Istio's Kiali dashboard task on Bookinfo, as a user types it: the addons applied (telemetry.sh already did,
# so kiali.yaml is unchanged or created here), Kiali rolled out, `trellis dashboard kiali --browser=false`
# port-forwarding to the kiali pod, then the versioned-app graph of `default` read from Kiali's own API (what the
# UI's Graph page asks) and the UI's index.html served under /kiali. Sourced by walkthrough.sh after telemetry.sh
# (lib.sh helpers, GATEWAY_URL, Bookinfo behind the gateway, the Prometheus addon running).
KIALI_OUT=${TMPDIR:-/tmp}/kiali-dash.out

step "Kiali (kubectl apply -f samples/addons; istioctl dashboard kiali)"
must "kubectl apply -f samples/addons"
expect 'deployment.apps/kiali (created|configured|unchanged)' 'kiali deployed'
expect 'configmap/kiali (created|configured|unchanged)' 'kiali ConfigMap'
must "kubectl rollout status deployment/kiali -n istio-system --timeout=$WAIT"
must "kubectl -n istio-system get svc kiali"
expect '^kiali .*20001/TCP' 'Service kiali 20001/TCP'

# Its own process group (setsid), as a terminal's foreground job: Ctrl-C signals the group (npm does not pass a
# SIGINT sent to it alone on to the CLI), and whatever happens the group can be ended at the close.
setsid npx trellis dashboard kiali --browser=false >"$KIALI_OUT" 2>&1 &
KIALI_DASH=$!
trap 'kill -KILL -- -$KIALI_DASH 2>/dev/null || true' EXIT
deadline=$(($(date +%s) + 15))
until grep -q '^http://' "$KIALI_OUT" || [ "$(date +%s)" -ge $deadline ]; do sleep 0.2; done
OUT=$(cat "$KIALI_OUT")
printf '\033[36m$ trellis dashboard kiali --browser=false &\033[0m\n%s\n' "$OUT"
expect '^http://localhost:[0-9]+/kiali$' 'dashboard prints the port-forwarded Kiali URL'
KIALI_URL=$(grep -m1 '^http://' <<<"$OUT")

step "Kiali's UI and graph through the port-forward"
must "curl -s --max-time 10 $KIALI_URL/ | grep -o -e '<title>.*</title>' -e '<base href=\"[^\"]*\"'"
expect '<base href="/kiali/"' 'index.html served under /kiali with its base href'
expect '<title>Kiali</title>' 'the Kiali UI'
# All three reviews versions get traffic (the walkthrough left reviews routed to v3): without a reviews
# VirtualService the sidecars balance across every reviews pod.
must "kubectl delete virtualservice reviews --ignore-not-found"
tally 30
GRAPH_Q='duration=120s&graphType=versionedApp&includeIdleEdges=false&injectServiceNodes=true&boxBy=app&appenders=deadNode,sidecarsCheck,serviceEntry,istio,healthConfig&namespaces=default'
WANT='istio-ingressgateway productpage/v1 details/v1 reviews/v1 reviews/v2 reviews/v3 ratings'
deadline=$(($(date +%s) + 60))
until GRAPH=$(curl -s --max-time 10 "$KIALI_URL/api/namespaces/graph?$GRAPH_Q") &&
  SEEN=$(node -e '
    const want=process.argv[2].split(" ");
    const nodes=JSON.parse(process.argv[1]).elements.nodes.map(n=>n.data).filter(d=>d.nodeType==="app");
    const seen=new Set(nodes.flatMap(d=>[d.app,d.app+"/"+d.version]));
    const edges=JSON.parse(process.argv[1]).elements.edges.length;
    if(!want.every(w=>seen.has(w)))process.exit(1);
    console.log(nodes.map(d=>d.app+"/"+d.version).sort().join(" ")+" ("+edges+" edges)")' "$GRAPH" "$WANT"); do
  [ "$(date +%s)" -lt $deadline ] || fail "Kiali's versionedApp graph of default lacks some of: $WANT (last: ${GRAPH:0:400})"
  tally 10 >/dev/null
  sleep 2
done
ok "versionedApp graph of default: $SEEN"
# Kiali's inventory is the control plane's registry (GET /api/v1/registry/workloads, read here through the API
# server's service proxy): in a cluster it holds every pod, the ingress gateway's too, which is what the in-process
# fallback (no PROMETHEUS_URL) would scrape.
must "kubectl get --raw /api/v1/namespaces/istio-system/services/istiod:15014/proxy/api/v1/registry/workloads | node -e 'let b=\"\";process.stdin.on(\"data\",d=>b+=d).on(\"end\",()=>{const w=JSON.parse(b);console.log((Array.isArray(w)?w:w.items||w.workloads).filter(p=>p.namespace===\"istio-system\").map(p=>p.name+\" \"+p.address).join(\"\\n\"))})'"
expect '^istio-ingressgateway-[a-z0-9]+-[a-z0-9]+ [0-9.]+$' "the control plane's registry lists the ingress gateway's pod"
must "curl -s --max-time 10 $KIALI_URL/api/namespaces/istio-system/workloads | node -e 'let b=\"\";process.stdin.on(\"data\",d=>b+=d).on(\"end\",()=>console.log(JSON.parse(b).workloads.map(w=>w.name).sort().join(\" \")))'"
expect '(^| )istio-ingressgateway( |$)' 'the istio-system workloads Kiali lists include the ingress gateway'
# Ctrl-C: one SIGINT to the group must end the forward and the process.
kill -INT -- -$KIALI_DASH 2>/dev/null || true
deadline=$(($(date +%s) + 10))
while kill -0 $KIALI_DASH 2>/dev/null; do
  [ "$(date +%s)" -lt $deadline ] || fail "trellis dashboard kiali still running 10 s after SIGINT"
  sleep 0.2
done
ok "trellis dashboard kiali ended on SIGINT"
trap - EXIT
