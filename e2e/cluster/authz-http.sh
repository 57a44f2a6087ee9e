# Istio's authz-http task on Bookinfo (bookinfo-spec §5.10), typed as the docs type it: allow-nothing,
# then productpage-, details-, reviews- and ratings-viewer, each checked on the page through the gateway;
# `trellis x authz check` explains a denial. Sourced by walkthrough.sh (lib.sh helpers). As istio.io's test:
# reviews on v3 so ratings is always called, ratings on v1 — ratings-mysql.sh left ratings on v2-mysql, whose
# MySQL connections allow-nothing would close too (it covers every workload in default, mysqldb included).

# page_until SECONDS WHAT TEST: pages until the shell test TEST (on STATUS/BODY/STARS) holds.
page_until() {
  local start deadline
  start=$(date +%s.%N)
  deadline=$(($(date +%s) + $1))
  until page && eval "$3"; do
    [ "$(date +%s)" -lt "$deadline" ] || fail "$2: not within $1 s (last: $STATUS, $(head -c 200 <<<"$BODY"))"
    sleep 0.5
  done
  ok "$2 after $(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN{printf "%.1f", b-a}')s"
}

step "Authorization for HTTP traffic: allow-nothing denies everything in default"
must "kubectl apply -f $NET/virtual-service-all-v1.yaml"
must "kubectl apply -f $NET/virtual-service-reviews-v3.yaml"
stars_until 30 red 9
must "kubectl apply -f - <<EOF
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata:
  name: allow-nothing
  namespace: default
spec:
  {}
EOF"
page_until 30 '/productpage → 403 RBAC: access denied' '[ "$STATUS" = 403 ] && [ "$BODY" = "RBAC: access denied" ]'

step "productpage-viewer: GET on productpage only"
must "kubectl apply -f - <<EOF
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata:
  name: \"productpage-viewer\"
  namespace: default
spec:
  selector:
    matchLabels:
      app: productpage
  action: ALLOW
  rules:
  - to:
    - operation:
        methods: [\"GET\"]
EOF"
page_until 30 'the page, with Error fetching product details/reviews' '[ "$STATUS" = 200 ] && grep -q "Error fetching product details" <<<"$BODY" && grep -q "Error fetching product reviews" <<<"$BODY"'
here "export DETAILS_POD=\$(kubectl get pod -l app=details -o jsonpath='{.items[0].metadata.name}')"
here "export PRODUCTPAGE_POD=\$(kubectl get pod -l app=productpage -o jsonpath='{.items[0].metadata.name}')"
run "npx trellis x authz check \$DETAILS_POD --from \$PRODUCTPAGE_POD --method GET --path /details/0"
expect 'DENIED' 'authz check: productpage → details is denied'
expect 'allow-nothing' '… and names the policy that left nothing allowed'

step "details-viewer and reviews-viewer: productpage's principal may GET"
for app in details reviews; do
  must "kubectl apply -f - <<EOF
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata:
  name: \"$app-viewer\"
  namespace: default
spec:
  selector:
    matchLabels:
      app: $app
  action: ALLOW
  rules:
  - from:
    - source:
        principals: [\"cluster.local/ns/default/sa/bookinfo-productpage\"]
    to:
    - operation:
        methods: [\"GET\"]
EOF"
done
page_until 30 'details and reviews back, Ratings service is currently unavailable' '[ "$STATUS" = 200 ] && grep -q PublisherA <<<"$BODY" && grep -q "Ratings service is currently unavailable" <<<"$BODY"'
run "npx trellis x authz check \$DETAILS_POD --from \$PRODUCTPAGE_POD --method POST --path /details/0"
expect 'DENIED' 'authz check: a POST from productpage is still denied'
expect 'details-viewer.*POST' '… and says details-viewer did not match because of the method'

step "ratings-viewer: reviews' principal may GET ratings"
must "kubectl apply -f - <<EOF
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata:
  name: \"ratings-viewer\"
  namespace: default
spec:
  selector:
    matchLabels:
      app: ratings
  action: ALLOW
  rules:
  - from:
    - source:
        principals: [\"cluster.local/ns/default/sa/bookinfo-reviews\"]
    to:
    - operation:
        methods: [\"GET\"]
EOF"
page_until 30 'stars again' '[ "$STATUS" = 200 ] && [ "$STARS" != none ]'
must "kubectl exec deploy/details-v1 -c istio-proxy -- curl -sg 'localhost:15000/stats?filter=rbac'"
expect 'rbac\.denied: [1-9]' 'the details sidecar counted its denials (rbac.denied)'

step "Authorization cleanup"
must "kubectl delete authorizationpolicy.security.istio.io/allow-nothing authorizationpolicy.security.istio.io/productpage-viewer authorizationpolicy.security.istio.io/details-viewer authorizationpolicy.security.istio.io/reviews-viewer authorizationpolicy.security.istio.io/ratings-viewer"
page_until 30 'the page is whole again' '[ "$STATUS" = 200 ] && [ "$STARS" != none ] && ! grep -q "Error fetching" <<<"$BODY"'
