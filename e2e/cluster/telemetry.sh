# Istio's observability tasks on Bookinfo (querying metrics, TCP metrics, access logs, distributed tracing), as a
# user types them; sourced by walkthrough.sh (lib.sh helpers, GATEWAY_URL set, Bookinfo running with
# destination-rule-all applied). The addons: samples/addons/prometheus.yaml (Debian's prometheus 2.42, which has no
# Kubernetes discovery: the pod's prometheus-sd renders Istio's kubernetes_sd_configs as file_sd_configs and keeps
# the target files current) and samples/addons/zipkin.yaml (the trace store), images from tools/cluster/images.sh.
TELEMETRY_N=${TELEMETRY_N:-20}
PROM_LOCAL=19090 ZIPKIN_LOCAL=19411

# promq QUERY: the sum of an instant query's values through the port-forward (0 when no series); sets PROM_JSON.
promq() {
  PROM_JSON=$(curl -sG --max-time 10 "http://127.0.0.1:$PROM_LOCAL/api/v1/query" --data-urlencode "query=$1")
  node -e 'const r=JSON.parse(process.argv[1]);if(r.status!=="success")process.exit(2);console.log(r.data.result.reduce((s,x)=>s+Number(x.value[1]),0))' "$PROM_JSON"
}
# prom_fresh SECONDS QUERY SINCE: wait until every series of QUERY was scraped after SINCE (epoch seconds), so
# its value counts everything sent before SINCE (one scrape interval at most, instead of sleeping two).
prom_fresh() {
  local deadline=$(($(date +%s) + $1)) v
  until v=$(promq "min(timestamp($2))") && [ "$(awk -v a="$v" -v b="$3" 'BEGIN{print (a > b)}')" = 1 ]; do
    [ "$(date +%s)" -lt "$deadline" ] || fail "Prometheus: no scrape of $2 after $3 within $1 s (last at ${v:-?})"
    sleep 1
  done
}
# prom_until SECONDS QUERY MIN: wait until the query's sum reaches MIN (scrapes are every 15 s in Istio's addon).
prom_until() {
  local deadline=$(($(date +%s) + $1)) v
  until v=$(promq "$2") && [ "$(awk -v a="$v" -v b="$3" 'BEGIN{print (a >= b)}')" = 1 ]; do
    [ "$(date +%s)" -lt "$deadline" ] || fail "Prometheus: $2 = ${v:-?} after $1 s (wanted ≥ $3)"
    sleep 2
  done
  PROM_VALUE=$v
}

step "Observability addons: Prometheus and Zipkin (kubectl apply -f samples/addons)"
must "kubectl apply -f samples/addons"
expect 'deployment.apps/prometheus (created|configured|unchanged)' 'prometheus deployed'
expect 'deployment.apps/zipkin (created|configured|unchanged)' 'zipkin deployed'
must "kubectl -n istio-system rollout status deploy/prometheus --timeout=$WAIT"
must "kubectl -n istio-system rollout status deploy/zipkin --timeout=$WAIT"
must "kubectl -n istio-system get svc prometheus zipkin tracing"
expect '^prometheus .*9090/TCP' 'Service prometheus 9090/TCP'
expect '^zipkin .*9411/TCP' 'Service zipkin 9411/TCP'

# Istio's Zipkin task: the zipkin extension provider in the mesh config (istioctl install --set …), then a
# Telemetry naming it. A Telemetry whose tracing names no provider, with no defaultProviders.tracing, turns
# tracing off (istiod's Telemetries.Tracing: no provider → disabled): no span would leave the proxies.
step "The zipkin tracing provider in the mesh config (istioctl install --set meshConfig.extensionProviders…)"
must "npx trellis install -y --timeout $WAIT --set 'meshConfig.extensionProviders[0].name=zipkin' \
  --set 'meshConfig.extensionProviders[0].zipkin.service=zipkin.istio-system.svc.cluster.local' \
  --set 'meshConfig.extensionProviders[0].zipkin.port=9411'"
expect 'Installation complete' 'trellis install --set meshConfig.extensionProviders… completed'
must "kubectl -n istio-system get configmap istio -o jsonpath='{.data.mesh}'"
expect 'service: zipkin.istio-system.svc.cluster.local' 'the istio ConfigMap names the zipkin provider'

step "Access logs and 100 % tracing to zipkin for the mesh (Telemetry mesh-default)"
must "kubectl apply -f - <<'EOF'
apiVersion: telemetry.istio.io/v1
kind: Telemetry
metadata:
  name: mesh-default
  namespace: istio-system
spec:
  accessLogging:
    - providers:
        - name: envoy
  tracing:
    - providers:
        - name: zipkin
      randomSamplingPercentage: 100
EOF"
sleep 5

kubectl -n istio-system port-forward svc/prometheus $PROM_LOCAL:9090 >/dev/null 2>&1 &
PF_PROM=$!
kubectl -n istio-system port-forward svc/zipkin $ZIPKIN_LOCAL:9411 >/dev/null 2>&1 &
PF_ZIPKIN=$!
trap 'kill $PF_PROM $PF_ZIPKIN 2>/dev/null || true' EXIT
waitfor_http() { local d=$(($(date +%s) + 30)); until curl -sf -o /dev/null "$1"; do [ "$(date +%s)" -lt $d ] || fail "no answer at $1"; sleep 0.5; done; }
waitfor_http "http://127.0.0.1:$PROM_LOCAL/-/ready"
waitfor_http "http://127.0.0.1:$ZIPKIN_LOCAL/health"

step "Prometheus discovers the mesh's pods (kubernetes-pods, through prometheus-sd's file_sd targets)"
must "kubectl -n istio-system logs deploy/prometheus -c prometheus-sd | grep '\"file\":\"/etc/prometheus-sd/targets/pod_0.json\"' | tail -1"
expect '"jobs":\["kubernetes-pods","kubernetes-pods-slow"\],"targets":[1-9]' 'prometheus-sd keeps the pod targets of kubernetes-pods in pod_0.json'
deadline=$(($(date +%s) + 30))
until TARGETS=$(curl -s --max-time 10 "http://127.0.0.1:$PROM_LOCAL/api/v1/targets?state=active") &&
  SEEN=$(node -e '
    const t=JSON.parse(process.argv[1]).data.activeTargets.filter(x=>x.scrapePool==="kubernetes-pods"&&x.labels.namespace==="default"&&x.health==="up");
    const apps=[...new Set(t.filter(x=>/:15020\/stats\/prometheus$/.test(x.scrapeUrl)&&x.labels.pod).map(x=>x.labels.app))].sort();
    if(!["details","productpage","ratings","reviews"].every(a=>apps.includes(a)))process.exit(1);console.log(apps.join(" "))' "$TARGETS"); do
  [ "$(date +%s)" -lt $deadline ] || fail "kubernetes-pods has no up target at :15020/stats/prometheus for every Bookinfo app within 30 s"
  sleep 1
done
ok "kubernetes-pods scrapes <podIP>:15020/stats/prometheus of $SEEN (labels app, namespace, pod), all up"

step "trellis dashboard prometheus (istioctl dashboard prometheus --browser=false)"
# In its own process group (setsid): a background job of this script ignores SIGINT, so Ctrl-C is played by
# SIGTERM to the group (npx and the CLI), and the port-forward does not outlive the step.
setsid npx trellis dashboard prometheus --browser=false >"${TMPDIR:-/tmp}/dash.out" 2>&1 &
DASH=$!
deadline=$(($(date +%s) + 10))
until grep -q '^http://' "${TMPDIR:-/tmp}/dash.out" || [ "$(date +%s)" -ge $deadline ]; do sleep 0.2; done
kill -TERM -- -$DASH 2>/dev/null || true
for _ in $(seq 1 25); do kill -0 $DASH 2>/dev/null || break; sleep 0.2; done
kill -KILL -- -$DASH 2>/dev/null || true
wait $DASH 2>/dev/null || true
OUT=$(cat "${TMPDIR:-/tmp}/dash.out")
printf '%s\n' "$OUT"
expect '^http://localhost:[0-9]+$' 'dashboard prints the port-forwarded URL'

step "Querying metrics: $TELEMETRY_N requests to reviews v3, counted by Prometheus"
must "kubectl apply -f $NET/virtual-service-reviews-v3.yaml"
converge 60 red
V3='istio_requests_total{reporter="destination",destination_service="reviews.default.svc.cluster.local",destination_version="v3"}'
sleep 1 # the last convergence requests' destination-side reports
prom_fresh 40 "$V3" "$(date +%s)"
BEFORE=$(promq "sum($V3)")
tally "$TELEMETRY_N"
prom_until 60 "sum($V3)" $((BEFORE + TELEMETRY_N))
[ "$PROM_VALUE" = $((BEFORE + TELEMETRY_N)) ] || fail "reviews v3 counted $PROM_VALUE, wanted $((BEFORE + TELEMETRY_N))"
ok "istio_requests_total for reviews v3 grew by exactly $TELEMETRY_N"
for q in 'istio_requests_total' 'istio_requests_total{destination_service="productpage.default.svc.cluster.local"}' \
  'istio_requests_total{destination_service="reviews.default.svc.cluster.local", destination_version="v3"}' \
  'rate(istio_requests_total{destination_service=~"productpage.*", response_code="200"}[5m])'; do
  v=$(promq "$q")
  [ "$(awk -v a="$v" 'BEGIN{print (a > 0)}')" = 1 ] || fail "no series for $q"
  ok "$q → $v"
done
promq "$V3" >/dev/null
grep -q '"source_workload":"productpage-v1"' <<<"$PROM_JSON" || fail "reporter=destination rows lack source_workload=productpage-v1: $PROM_JSON"
grep -q '"connection_security_policy":"mutual_tls"' <<<"$PROM_JSON" || fail "reporter=destination rows lack connection_security_policy=mutual_tls: $PROM_JSON"
ok 'reporter="destination" rows: source_workload="productpage-v1", connection_security_policy="mutual_tls"'

step "Access logs: both sides of productpage → details carry the same x-request-id"
page
must "kubectl logs deploy/productpage-v1 -c istio-proxy --tail=200"
# The upstream cluster names the subset the route picked (outbound|9080|v1|details… after destination-rule-all).
CLIENT_IDS=$(grep -E 'outbound\|9080\|[^|]*\|details\.default\.svc\.cluster\.local' <<<"$OUT" | awk -F'"' '{print $10}' | sort -u || true)
must "kubectl logs deploy/details-v1 -c istio-proxy --tail=200"
SERVER_IDS=$(grep 'inbound|9080||' <<<"$OUT" | awk -F'"' '{print $10}' | sort -u || true)
SHARED=$(comm -12 <(printf '%s\n' "$CLIENT_IDS") <(printf '%s\n' "$SERVER_IDS") | grep -v '^-\?$' | head -1 || true)
[ -n "$SHARED" ] || fail "no x-request-id in both productpage's outbound and details' inbound access logs"
ok "x-request-id $SHARED in both sidecars' access logs"

step "Distributed tracing: 100 requests, one trace with gateway, productpage, details, reviews and ratings"
# The traces (100 of ~10 spans, several hundred KB) go to node on stdin: one argv string is capped at 128 KiB (E2BIG).
for i in $(seq 1 100); do curl -s -o /dev/null "http://$GATEWAY_URL/productpage"; done
deadline=$(($(date +%s) + 60))
until TRACES=$(curl -s --max-time 10 "http://127.0.0.1:$ZIPKIN_LOCAL/api/v2/traces?serviceName=productpage.default&limit=100") &&
  node -e '
    const want=["istio-ingressgateway.istio-system","productpage.default","details.default","reviews.default","ratings.default"];
    const ok=JSON.parse(require("fs").readFileSync(0,"utf8")).some(t=>{const ids=new Set(t.map(s=>s.id));const s=new Set(t.map(x=>x.localEndpoint&&x.localEndpoint.serviceName));
      return want.every(w=>s.has(w))&&t.filter(x=>!x.parentId||!ids.has(x.parentId)).length===1;});
    process.exit(ok?0:1)' <<<"$TRACES"; do
  if [ "$(date +%s)" -ge $deadline ]; then
    # What the trace store has: its services, and the newest productpage traces' services and root count.
    curl -s --max-time 10 "http://127.0.0.1:$ZIPKIN_LOCAL/api/v2/services"; echo
    node -e 'for(const t of JSON.parse(require("fs").readFileSync(0,"utf8")).slice(0,5)){const ids=new Set(t.map(s=>s.id));
      console.log(JSON.stringify({services:[...new Set(t.map(s=>s.localEndpoint&&s.localEndpoint.serviceName))],spans:t.length,
        roots:t.filter(x=>!x.parentId||!ids.has(x.parentId)).map(x=>[x.localEndpoint&&x.localEndpoint.serviceName,x.kind,x.name])}))}' <<<"${TRACES:-[]}" || true
    fail "no trace with all five services in one tree within 60 s"
  fi
  sleep 2
done
ok "a trace spans istio-ingressgateway, productpage, details, reviews and ratings in one tree"
kill $PF_PROM $PF_ZIPKIN 2>/dev/null || true
trap - EXIT
