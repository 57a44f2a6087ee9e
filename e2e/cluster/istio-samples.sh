# Istio's tasks that use its other samples (bookinfo-spec §5.5–5.7, §5.15, egress-control's HTTP part), typed as a
# user types them on the cluster: ingress with httpbin, circuit breaking with fortio, mirroring with httpbin v1/v2,
# local and global rate limiting on Bookinfo, and REGISTRY_ONLY egress with a ServiceEntry. One apply of every
# sample and one wait; mirroring runs in namespace `mirror` (its Service httpbin targets port 80, the circuit-breaking
# one in default 8080 — both named httpbin, as in the two tasks). Sourced by walkthrough.sh (lib.sh helpers, WAIT,
# GATEWAY_URL, INGRESS_HOST/PORT); leaves no sample, rule or filter behind and the mesh back on ALLOW_ANY.
SAMPLES_T0=$(date +%s.%N)

# within SECONDS WHAT CMD: run CMD (quietly) until it succeeds; say how long that took, fail after SECONDS.
within() {
  local secs=$1 what=$2 start deadline
  shift 2
  start=$(date +%s.%N)
  deadline=$(($(date +%s) + secs))
  until eval "$*" >/dev/null 2>&1; do
    [ "$(date +%s)" -lt "$deadline" ] || fail "$what: not within $secs s"
    sleep 0.5
  done
  printf '  %s after %ss\n' "$what" "$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN{printf "%.1f", b-a}')"
}
# admin_has SECONDS NS DEPLOY PATH NEEDLE: the pod's sidecar admin PATH (pilot-agent request GET …) shows NEEDLE.
admin_has() {
  within "$1" "$3's sidecar has $5" "kubectl exec -n $2 deploy/$3 -c istio-proxy -- pilot-agent request GET $4 | grep -F -- '$5'"
}
# fortio_codes: the `Code NNN : N (x %)` lines of the last output as "200=N 503=M".
fortio_codes() { sed -nE 's/^Code ([0-9]+) : ([0-9]+) .*/\1=\2/p' <<<"$OUT" | tr '\n' ' '; }
# headers_gets NS DEPLOY: GET /headers lines in the httpbin container's log (go-httpbin: uri="/headers").
headers_gets() { kubectl logs -n "$1" "deploy/$2" -c httpbin | grep -c 'uri="/headers"' || true; }

step "Istio's samples: httpbin, fortio, the rate limit service + Redis (default); httpbin v1/v2 + sleep (mirror)"
must "kubectl apply -f samples/httpbin/httpbin.yaml"
expect 'deployment.apps/httpbin created'
must "kubectl apply -f samples/httpbin/sample-client/fortio-deploy.yaml"
expect 'deployment.apps/fortio-deploy created'
must "kubectl apply -f samples/ratelimit/ratelimit-config.yaml"
must "kubectl apply -f samples/ratelimit/rate-limit-service.yaml"
expect 'deployment.apps/ratelimit created'
must "kubectl create ns mirror && kubectl label namespace mirror istio-injection=enabled"
must "kubectl apply -f samples/httpbin/httpbin-v1-v2.yaml -n mirror"
expect 'deployment.apps/httpbin-v2 created'
must "kubectl apply -f samples/sleep/sleep.yaml -n mirror"
must "kubectl wait --for=condition=Available deployment/httpbin deployment/fortio-deploy deployment/redis deployment/ratelimit --timeout=$WAIT"
must "kubectl wait --for=condition=Available deployment --all -n mirror --timeout=$WAIT"
must "kubectl get pods -l 'app in (httpbin,fortio,redis,ratelimit)'; kubectl get pods -n mirror"
[ "$(grep -cE '^(httpbin|fortio-deploy|redis|ratelimit|httpbin-v[12]|sleep)-.* 2/2 +Running ' <<<"$OUT")" = 7 ] ||
  fail "expected 7 sample pods 2/2 Running"
ok "7 sample pods 2/2 Running ($(awk -v a="$SAMPLES_T0" -v b="$(date +%s.%N)" 'BEGIN{printf "%.1f", b-a}') s after the first apply)"
must "kubectl exec deploy/ratelimit -c ratelimit -- curl -s localhost:6070/rlconfig"
expect '^productpage-ratelimit\.PATH_/productpage: unit=MINUTE requests_per_unit=1$' "the rate limit service loaded the task's ConfigMap"
must "kubectl exec deploy/redis -c redis -- redis-cli ping"
expect '^PONG$' 'Redis (Debian redis-server) answers'

step "Ingress gateways with httpbin: host httpbin.example.com, /status and /delay exposed"
must "kubectl apply -f - <<EOF
apiVersion: networking.istio.io/v1
kind: Gateway
metadata:
  name: httpbin-gateway
spec:
  selector:
    istio: ingressgateway
  servers:
  - port:
      number: 80
      name: http
      protocol: HTTP
    hosts:
    - \"httpbin.example.com\"
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: httpbin
spec:
  hosts:
  - \"httpbin.example.com\"
  gateways:
  - httpbin-gateway
  http:
  - match:
    - uri:
        prefix: /status
    - uri:
        prefix: /delay
    route:
    - destination:
        port:
          number: 8000
        host: httpbin
EOF"
within 30 'GET /status/200 with Host: httpbin.example.com answers 200' \
  "[ \"\$(curl -s -o /dev/null -w '%{http_code}' -HHost:httpbin.example.com http://\$INGRESS_HOST:\$INGRESS_PORT/status/200)\" = 200 ]"
must "curl -s -I -HHost:httpbin.example.com \"http://\$INGRESS_HOST:\$INGRESS_PORT/status/200\""
expect '^HTTP/1\.1 200 OK' '/status/200 → HTTP/1.1 200 OK'
expect '^server: istio-envoy' '… server: istio-envoy (the gateway, as istiod names it)'
must "curl -s -o /dev/null -w '%{http_code}\n' -HHost:httpbin.example.com \"http://\$INGRESS_HOST:\$INGRESS_PORT/delay/1\""
expect '^200$' '/delay/1 → 200'
must "curl -s -I -HHost:httpbin.example.com \"http://\$INGRESS_HOST:\$INGRESS_PORT/headers\""
expect '^HTTP/1\.1 404 Not Found' '/headers is not exposed → 404'
must "curl -s -o /dev/null -w '%{http_code}\n' -HHost:other.example.com \"http://\$INGRESS_HOST:\$INGRESS_PORT/status/200\""
expect '^404$' 'another Host → 404'
must "kubectl delete gateway.networking.istio.io/httpbin-gateway virtualservice.networking.istio.io/httpbin"

step "Circuit breaking: maxConnections 1, http1MaxPendingRequests 1, maxRequestsPerConnection 1"
must "kubectl apply -f - <<EOF
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: httpbin
spec:
  host: httpbin
  trafficPolicy:
    connectionPool:
      tcp:
        maxConnections: 1
      http:
        http1MaxPendingRequests: 1
        maxRequestsPerConnection: 1
    outlierDetection:
      consecutive5xxErrors: 1
      interval: 1s
      baseEjectionTime: 3m
      maxEjectionPercent: 100
EOF"
here "export FORTIO_POD=\$(kubectl get pods -l app=fortio -o 'jsonpath={.items[0].metadata.name}')"
admin_has 30 default fortio-deploy clusters 'outbound|8000||httpbin.default.svc.cluster.local::default_priority::max_pending_requests::1'
must "kubectl exec \"\$FORTIO_POD\" -c fortio -- /usr/bin/fortio curl -quiet http://httpbin:8000/get"
expect '^HTTP/1\.1 200 OK' 'fortio curl → HTTP/1.1 200 OK'
expect '^server: envoy' '… server: envoy (the sidecar)'
must "kubectl exec \"\$FORTIO_POD\" -c fortio -- /usr/bin/fortio load -c 2 -qps 0 -n 20 -loglevel Warning http://httpbin:8000/get"
expect '^Code 200 : [0-9]+ ' 'fortio -c 2: some Code 200'
expect '^Code 503 : [0-9]+ ' 'fortio -c 2: some Code 503 (the breaker tripped)'
C2=$(fortio_codes)
must "kubectl exec \"\$FORTIO_POD\" -c fortio -- /usr/bin/fortio load -c 3 -qps 0 -n 30 -loglevel Warning http://httpbin:8000/get"
expect '^Code 200 : [0-9]+ ' 'fortio -c 3: some Code 200'
expect '^Code 503 : [0-9]+ ' 'fortio -c 3: some Code 503'
C3=$(fortio_codes)
must "kubectl exec \"\$FORTIO_POD\" -c istio-proxy -- pilot-agent request GET stats | grep httpbin | grep pending"
overflow=$(stat_value "$OUT" 'cluster.outbound|8000||httpbin.default.svc.cluster.local.upstream_rq_pending_overflow')
expect '\.upstream_rq_pending_total: [0-9]+' 'upstream_rq_pending_total'
expect '\.circuit_breakers\.default\.rq_pending_open: 0' 'circuit_breakers.default.rq_pending_open'
n503=$(awk -v a="${C2##*503=}" -v b="${C3##*503=}" 'BEGIN{print a + b}')
[ "$overflow" -gt 0 ] && [ "$overflow" = "$n503" ] || fail "upstream_rq_pending_overflow $overflow, the two runs got $n503 503s"
ok "-c 2 -n 20: ${C2}; -c 3 -n 30: ${C3}; upstream_rq_pending_overflow $overflow = the 503s"
must "kubectl delete destinationrule httpbin"

step "Mirroring: everything to httpbin v1 (namespace mirror)"
must "kubectl apply -n mirror -f - <<EOF
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: httpbin
spec:
  hosts:
  - httpbin
  http:
  - route:
    - destination:
        host: httpbin
        subset: v1
      weight: 100
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: httpbin
spec:
  host: httpbin
  subsets:
  - name: v1
    labels:
      version: v1
  - name: v2
    labels:
      version: v2
EOF"
admin_has 30 mirror sleep config_dump 'outbound|8000|v1|httpbin.mirror.svc.cluster.local'
v1_before=$(headers_gets mirror httpbin-v1) v2_before=$(headers_gets mirror httpbin-v2)
must "kubectl exec -n mirror deploy/sleep -c sleep -- curl -sS http://httpbin:8000/headers"
expect '"Host": \[' 'httpbin answered with the request headers'
within 10 "v1's log shows the GET" "[ \"\$(headers_gets mirror httpbin-v1)\" -gt $v1_before ]"
run "kubectl logs -n mirror deploy/httpbin-v1 -c httpbin | grep 'uri=\"/headers\"' | tail -1"
[ "$(headers_gets mirror httpbin-v2)" = "$v2_before" ] || fail "v2 got the request without a mirror"
ok "v1 logged GET /headers, v2 nothing"

step "Mirroring: 100 % mirrored to v2"
must "kubectl apply -n mirror -f - <<EOF
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: httpbin
spec:
  hosts:
  - httpbin
  http:
  - route:
    - destination:
        host: httpbin
        subset: v1
      weight: 100
    mirror:
      host: httpbin
      subset: v2
    mirrorPercentage:
      value: 100.0
EOF"
admin_has 30 mirror sleep config_dump request_mirror_policies
must "npx trellis x route sleep -n mirror --host httpbin:8000 --path /headers"
expect 'outbound\|8000\|v1\|httpbin\.mirror\.svc\.cluster\.local' 'x route: the route goes to subset v1'
expect 'outbound\|8000\|v2\|httpbin\.mirror\.svc\.cluster\.local' '… and mirrors to subset v2'
v1_before=$(headers_gets mirror httpbin-v1)
must "kubectl exec -n mirror deploy/sleep -c sleep -- curl -sS -o /dev/null -w '%{http_code}\n' http://httpbin:8000/headers"
expect '^200$' 'the caller gets 200'
within 10 "v2's log shows the mirrored GET" "[ \"\$(headers_gets mirror httpbin-v2)\" -gt $v2_before ]"
[ "$(headers_gets mirror httpbin-v1)" = $((v1_before + 1)) ] || fail "v1 should have answered the request once"
run "kubectl logs -n mirror deploy/httpbin-v2 -c httpbin | grep 'uri=\"/headers\"' | tail -1"
ok "v1 answered, v2 got the copy"

source e2e/cluster/istio-samples-policy.sh

step "Istio's samples: clean up"
must "kubectl delete -f samples/httpbin/sample-client/fortio-deploy.yaml -f samples/httpbin/httpbin.yaml -f samples/ratelimit/rate-limit-service.yaml -f samples/ratelimit/ratelimit-config.yaml --wait=false"
must "kubectl delete ns mirror --wait=false"
ok "Istio's samples section: $(awk -v a="$SAMPLES_T0" -v b="$(date +%s.%N)" 'BEGIN{printf "%.1f", b-a}') s"
