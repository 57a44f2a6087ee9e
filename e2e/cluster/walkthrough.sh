#!/usr/bin/env bash
# Istio's Getting Started, traffic-management tasks and secure ingress task, as a user types them (docs/kind.md §2c–3), against
# the cluster KUBECONFIG names, with the project images already in the node's image store. Every command is
# printed like a terminal, then its output is checked. Exit 0 only when every step behaved as Istio's docs say.
#
#   KUBECONFIG=… bash e2e/cluster/walkthrough.sh       (e2e/cluster/run.sh brings a cluster up around it)
#
# GATEWAY_URL defaults to <EXTERNAL-IP>:<http2 port> of istio-ingressgateway, as Istio's docs derive it with a load balancer.
set -euo pipefail
cd "$(dirname "$0")/../.."
source e2e/cluster/lib.sh
# The repository may hold a local-mode state dir (.trellis) from `npm start`: talk to the cluster.
export TRELLIS_TARGET=kube
NET=samples/bookinfo/networking
WAIT=${WALKTHROUGH_WAIT:-300s}

step "Install the mesh (istioctl install)"
must "npx trellis install -y --timeout $WAIT"
expect 'Installation complete' 'trellis install completed'
must "kubectl -n istio-system get deploy"
expect 'istiod +1/1' 'istiod available'
expect 'istio-ingressgateway +1/1' 'ingress gateway available'
deadline=$(($(date +%s) + 30))
until run "npx trellis verify-install" && [ "$RC" = 0 ]; do
  [ "$(date +%s)" -lt $deadline ] || fail "trellis verify-install still failing after 30 s"
  sleep 1
done
expect '✔ Deployment: istiod.istio-system checked successfully' 'verify-install checked istiod'
expect '✔ MutatingWebhookConfiguration: trellis-sidecar-injector.istio-system checked successfully' 'and the injector webhook istiod created'
expect '^✔ Trellis is installed and verified successfully$' 'trellis verify-install passed'

step "Deploy Bookinfo with automatic sidecar injection"
must "kubectl label namespace default istio-injection=enabled --overwrite"
APPLY_AT=$(date +%s.%N)
must "kubectl apply -f samples/bookinfo/platform/kube/bookinfo.yaml"
expect 'deployment.apps/reviews-v3 created' 'bookinfo created'
must "kubectl wait --for=condition=Available deployment --all --timeout=$WAIT"
deadline=$(($(date +%s) + 120))
until [ "$(kubectl get pods --no-headers | grep -cE ' 2/2 +Running ')" = 6 ]; do
  [ "$(date +%s)" -lt $deadline ] || fail "6 pods 2/2 Running not reached within 120 s of the Deployments being Available"
  sleep 0.5
done
READY_SECS=$(awk -v a="$APPLY_AT" -v b="$(date +%s.%N)" 'BEGIN{printf "%.1f", b-a}')
must "kubectl get services"
for s in details kubernetes productpage ratings reviews; do expect "^$s " "service $s"; done
must "kubectl get pods"
[ "$(grep -cE ' 2/2 +Running ' <<<"$OUT")" = 6 ] || fail "expected 6 pods 2/2 Running"
ok "6 pods 2/2 Running, $READY_SECS s after kubectl apply"
echo "$READY_SECS" >"${WALKTHROUGH_METRICS:-/dev/null}"

step "The proxies read SO_ORIGINAL_DST (the native addon is in the proxy image)"
must "kubectl logs deploy/productpage-v1 -c istio-proxy | grep 'original destination reader chosen'"
expect '"originalDst":"SO_ORIGINAL_DST"' 'the productpage sidecar reads original destinations'
must "kubectl -n istio-system logs deploy/istio-ingressgateway | grep 'original destination reader chosen'"
expect '"originalDst":"SO_ORIGINAL_DST"' 'the ingress gateway loaded the addon too'

step "Inside the mesh: productpage from the ratings pod"
# Readiness and the endpoints the control plane pushes to the ratings sidecar arrive asynchronously:
# the first exec may race them (seen once on CI), so give the mesh a bounded moment, and say how long.
deadline=$(($(date +%s) + 60))
start=$(date +%s.%N)
until run "kubectl exec \"\$(kubectl get pod -l app=ratings -o jsonpath='{.items[0].metadata.name}')\" -c ratings -- curl -sS productpage:9080/productpage | grep -o \"<title>.*</title>\"" && [ "$RC" = 0 ]; do
  [ "$(date +%s)" -lt $deadline ] || fail "productpage not reached from the ratings pod within 60 s"
  kubectl exec "$(kubectl get pod -l app=ratings -o jsonpath='{.items[0].metadata.name}')" -c ratings -- curl -s -o /dev/null -w '  (not yet: HTTP %{http_code})\n' productpage:9080/productpage || true
  sleep 1
done
expect '^<title>Simple Bookstore App</title>$' "productpage reached by service name from a pod ($(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN{printf "%.1f", b-a}') s)"

step "Open the application to outside traffic"
must "kubectl apply -f $NET/bookinfo-gateway.yaml"
expect 'gateway.networking.istio.io/bookinfo-gateway created'
expect 'virtualservice.networking.istio.io/bookinfo created'
must "npx trellis analyze"
expect 'No validation issues found when analyzing namespace: default' 'trellis analyze clean'
# Istio's "external load balancer" path verbatim: tools/cluster's lb-controller sets EXTERNAL-IP as
# cloud-provider-kind/MetalLB do on kind (without one, docs/kind.md's NodePort commands apply).
deadline=$(($(date +%s) + 30))
until [ -n "$(kubectl -n istio-system get service istio-ingressgateway -o jsonpath='{.status.loadBalancer.ingress[0].ip}')" ]; do
  [ "$(date +%s)" -lt $deadline ] || fail "istio-ingressgateway has no EXTERNAL-IP after 30 s (is tools/cluster's lb-controller running?)"
  sleep 0.5
done
must "kubectl get svc istio-ingressgateway -n istio-system"
expect '^istio-ingressgateway +LoadBalancer +[0-9.]+ +[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+ +15021:' 'istio-ingressgateway is a LoadBalancer with an EXTERNAL-IP'
here "export INGRESS_HOST=\$(kubectl -n istio-system get service istio-ingressgateway -o jsonpath='{.status.loadBalancer.ingress[0].ip}')"
here "export INGRESS_PORT=\$(kubectl -n istio-system get service istio-ingressgateway -o jsonpath='{.spec.ports[?(@.name==\"http2\")].port}')"
export GATEWAY_URL=${GATEWAY_URL:-$INGRESS_HOST:$INGRESS_PORT}
run "echo \"\$GATEWAY_URL\""
[ -n "$INGRESS_PORT" ] && [ -n "$INGRESS_HOST" ] || fail "no ingress host/port from the istio-ingressgateway Service"
deadline=$(($(date +%s) + 30))
until curl -fs -o /dev/null "http://$GATEWAY_URL/productpage"; do
  [ "$(date +%s)" -lt $deadline ] || fail "gateway http://$GATEWAY_URL/productpage not serving after 30 s"
  sleep 0.5
done
must "curl -s \"http://\${GATEWAY_URL}/productpage\" | grep -o \"<title>.*</title>\""
expect '^<title>Simple Bookstore App</title>$' 'productpage through the ingress gateway'

step "Refresh the page: all three reviews versions answer"
tally 30
[ "$NON200" = 0 ] && [ "$N_NONE" -gt 0 ] && [ "$N_BLACK" -gt 0 ] && [ "$N_RED" -gt 0 ] ||
  fail "expected v1, v2 and v3 all to answer ($COUNTS, non-200 $NON200)"
ok "no stars, black stars and red stars all seen"

source e2e/cluster/gateway-api.sh
source e2e/cluster/mtls-default.sh
source e2e/cluster/mtls-migration.sh

step "Request routing: everything to v1"
must "kubectl apply -f $NET/destination-rule-all.yaml"
expect 'destinationrule.networking.istio.io/reviews created'
must "kubectl apply -f $NET/virtual-service-all-v1.yaml"
expect 'virtualservice.networking.istio.io/reviews created'
converge 20 none
tally 20
[ "$N_NONE" = 20 ] || fail "virtual-service-all-v1: expected 20 pages without stars ($COUNTS)"
ok "20/20 pages without stars (reviews v1)"

step "Request routing: jason sees v2"
must "kubectl apply -f $NET/virtual-service-reviews-test-v2.yaml"
expect 'virtualservice.networking.istio.io/reviews configured'
login jason
printf '  logged in as jason (%s…)\n' "${COOKIE:0:24}"
converge 20 black "$COOKIE"
tally 10 "$COOKIE"
[ "$N_BLACK" = 10 ] || fail "jason should always get black stars ($COUNTS)"
grep -q '>jason</p>' <<<"$BODY" && grep -q 'Sign out' <<<"$BODY" || fail "the page does not show jason signed in"
tally 10
[ "$N_NONE" = 10 ] || fail "anonymous users should stay on v1 ($COUNTS)"
ok "jason: black stars; signed out: no stars"

step "Fault injection: 7 s ratings delay for jason"
must "kubectl apply -f $NET/virtual-service-ratings-test-delay.yaml"
expect 'virtualservice.networking.istio.io/ratings configured'
sleep 2
page "$COOKIE"
printf '  GET /productpage as jason: %s in %ss\n' "$STATUS" "$SECS"
awk -v s="$SECS" 'BEGIN{exit !(s >= 5.5 && s <= 9)}' || fail "expected ~6 s (3 s timeout + 1 retry), took $SECS s"
grep -q 'Sorry, product reviews are currently unavailable for this book.' <<<"$BODY" ||
  fail "expected the reviews error block after the delay"
ok "page in ${SECS}s: 'Sorry, product reviews are currently unavailable for this book.'"

step "Fault injection: HTTP abort for jason"
must "kubectl apply -f $NET/virtual-service-ratings-test-abort.yaml"
expect 'virtualservice.networking.istio.io/ratings configured'
deadline=$(($(date +%s) + 20))
until page "$COOKIE"; grep -q 'Ratings service is currently unavailable' <<<"$BODY"; do
  [ "$(date +%s)" -lt $deadline ] || fail "no 'Ratings service is currently unavailable' for jason within 20 s"
  sleep 0.2
done
ok "jason: 'Ratings service is currently unavailable'"
page
grep -q 'Ratings service is currently unavailable' <<<"$BODY" && fail "the abort must only apply to jason"
ok "signed out: ratings unaffected"

step "Traffic shifting: 50 % to v3"
must "kubectl apply -f $NET/virtual-service-all-v1.yaml"
expect 'virtualservice.networking.istio.io/reviews configured'
must "kubectl apply -f $NET/virtual-service-reviews-50-v3.yaml"
expect 'virtualservice.networking.istio.io/reviews configured'
appears 20 red
sleep 1 # every proxy has it once one has (one push), but let the push reach them all
tally 100
[ "$N_BLACK" = 0 ] && [ "$N_NONE" -ge 30 ] && [ "$N_RED" -ge 30 ] ||
  fail "50/50 between v1 and v3 expected ($COUNTS)"
ok "v1/v3 split $N_NONE/$N_RED, no v2"

step "Request timeouts: reviews v2, ratings delayed 2 s"
must "kubectl apply -f $NET/virtual-service-all-v1.yaml"
must "kubectl apply -f - <<EOF
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: reviews
spec:
  hosts:
    - reviews
  http:
  - route:
    - destination:
        host: reviews
        subset: v2
EOF"
# Converge on v2 before the delay: once ratings answers after 2 s, ten pages take more than the 20 s allowed.
converge 20 black
must "kubectl apply -f - <<EOF
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: ratings
spec:
  hosts:
  - ratings
  http:
  - fault:
      delay:
        percentage:
          value: 100
        fixedDelay: 2s
    route:
    - destination:
        host: ratings
        subset: v1
EOF"
deadline=$(($(date +%s) + 20))
until page; awk -v s="$SECS" 'BEGIN{exit !(s >= 1.8)}'; do
  [ "$(date +%s)" -lt $deadline ] || fail "the 2 s ratings delay did not show within 20 s (last ${SECS}s)"
done
printf '  GET /productpage: %s in %ss, stars=%s\n' "$STATUS" "$SECS" "$STARS"
[ "$STARS" = black ] || fail "with a 2 s delay the page still shows black stars"
ok "page in ${SECS}s with black stars"

step "Request timeouts: 0.5 s timeout on reviews"
must "kubectl apply -f - <<EOF
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: reviews
spec:
  hosts:
  - reviews
  http:
  - route:
    - destination:
        host: reviews
        subset: v2
    timeout: 0.5s
EOF"
deadline=$(($(date +%s) + 20))
until page; grep -q 'Sorry, product reviews are currently unavailable for this book.' <<<"$BODY"; do
  [ "$(date +%s)" -lt $deadline ] || fail "the 0.5 s timeout did not show within 20 s"
done
page
printf '  GET /productpage: %s in %ss\n' "$STATUS" "$SECS"
awk -v s="$SECS" 'BEGIN{exit !(s >= 0.9 && s <= 2.5)}' || fail "expected ~1 s (0.5 s timeout + 1 retry), took $SECS s"
grep -q 'Sorry, product reviews are currently unavailable for this book.' <<<"$BODY" || fail "expected the reviews error block"
ok "page in ${SECS}s: 'Sorry, product reviews are currently unavailable for this book.'"

step "What the proxies got"
must "npx trellis proxy-status"
rows=$(grep -E '\.(default|istio-system) ' <<<"$OUT" || true)
[ "$(grep -c . <<<"$rows")" = 7 ] || fail "expected 7 proxies (6 sidecars + the gateway)"
[ "$(grep -E '\.default ' <<<"$rows" | grep -cE 'SYNCED +SYNCED +SYNCED +SYNCED')" = 6 ] || fail "every sidecar SYNCED"
ok "7 proxies, every sidecar SYNCED on CDS LDS EDS RDS"
must "npx trellis proxy-config routes \"\$(kubectl get pod -l app=productpage -o jsonpath='{.items[0].metadata.name}')\""
expect 'reviews\.default\.svc\.cluster\.local' 'productpage has a route for reviews'
expect '9080' 'routes on port 9080'

step "A Gateway written with the Service port (80): the gateway pod listens on its targetPort (8080)"
must "kubectl apply -f - <<'EOF'
apiVersion: networking.istio.io/v1
kind: Gateway
metadata:
  name: bookinfo-gateway
spec:
  selector:
    istio: ingressgateway
  servers:
  - port:
      number: 80
      name: http
      protocol: HTTP
    hosts:
    - \"*\"
EOF"
sleep 3 # the change reaches the gateway in well under a second; its config is the same as with 8080
here "export GW_POD=\$(kubectl -n istio-system get pod -l istio=ingressgateway -o jsonpath='{.items[0].metadata.name}')"
must "npx trellis proxy-config listeners \"\$GW_POD.istio-system\""
expect '^0\.0\.0\.0 +8080 ' 'the gateway pod listens on 8080 (the Service port 80 targetPort)'
grep -qE '^0\.0\.0\.0 +80 ' <<<"$OUT" && fail "a listener on port 80: the Gateway port was bound literally"
page
[ "$STATUS" = 200 ] || fail "GET /productpage through the Service's port 80 → 8080: $STATUS"
ok "Gateway port 80 → listener 0.0.0.0_8080; GET /productpage through the Service: $STATUS"
must "kubectl apply -f $NET/bookinfo-gateway.yaml"

source e2e/cluster/secure-ingress.sh
source e2e/cluster/ratings-mysql.sh
source e2e/cluster/tcp-traffic-shifting.sh
source e2e/cluster/authz-http.sh
source e2e/cluster/jwt-ingress.sh
source e2e/cluster/istio-samples.sh
source e2e/cluster/telemetry.sh
source e2e/cluster/kiali.sh

step "Walkthrough passed in $(elapsed) s"
