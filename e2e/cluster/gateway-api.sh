# Istio's Getting Started with the Kubernetes Gateway API (the "current variant", bookinfo-spec §5.0) and the
# Gateway API tabs of request routing and traffic shifting, as a user types them; sourced by walkthrough.sh
# (lib.sh helpers) once Bookinfo runs and before any VirtualService routes reviews. The gateway is Istio's
# automated deployment: Deployment + Service bookinfo-gateway-istio in default, made by the control plane.
GWAPI=samples/bookinfo/gateway-api

step "Gateway API: the CRDs trellis install put on Kubernetes 1.20 (no CEL)"
must "kubectl get crd gateways.gateway.networking.k8s.io -o jsonpath='{.metadata.annotations.gateway\\.networking\\.k8s\\.io/bundle-version}'"
expect '^v1\.6\.1$' 'the vendored standard channel v1.6.1 is installed'
must "kubectl get crd gateways.gateway.networking.k8s.io -o yaml | grep -c x-kubernetes-validations || true"
expect '^0$' 'installed without CEL rules (Kubernetes 1.20 has no CEL)'
deadline=$(($(date +%s) + 30))
until run "kubectl get gatewayclass istio" && [ "$RC" = 0 ] && grep -Eq 'istio +istio.io/gateway-controller +True' <<<"$OUT"; do
  [ "$(date +%s)" -lt $deadline ] || fail "GatewayClass istio not Accepted within 30 s"
  sleep 1
done
ok 'GatewayClass istio (controller istio.io/gateway-controller) Accepted'
must "kubectl get lease istio-gateway-deployment-default -n istio-system -o jsonpath='{.spec.holderIdentity}'"
expect '^istiod-[a-z0-9]+-[a-z0-9]+$' 'the controller runs on the istiod pod holding the Lease istio-gateway-deployment-default (leader election)'

step "Gateway API: deploy the Bookinfo gateway (kubectl apply -f $GWAPI/bookinfo-gateway.yaml)"
must "kubectl apply -f samples/bookinfo/platform/kube/bookinfo-versions.yaml"
expect 'service/reviews-v1 created' 'per-version Services created'
must "kubectl apply -f $GWAPI/bookinfo-gateway.yaml"
expect 'gateway.gateway.networking.k8s.io/bookinfo-gateway created'
expect 'httproute.gateway.networking.k8s.io/bookinfo created'
must "kubectl annotate gateway bookinfo-gateway networking.istio.io/service-type=ClusterIP --namespace=default"
expect 'gateway.gateway.networking.k8s.io/bookinfo-gateway annotated'
must "kubectl wait --for=condition=programmed gtw/bookinfo-gateway --timeout=$WAIT"
expect 'gateway.gateway.networking.k8s.io/bookinfo-gateway condition met'
must "kubectl get gateway"
expect '^bookinfo-gateway +istio +bookinfo-gateway-istio\.default\.svc\.cluster\.local +True ' 'NAME CLASS ADDRESS PROGRAMMED as in Istio'"'"'s docs'
must "kubectl get deploy,svc -l gateway.networking.k8s.io/gateway-name=bookinfo-gateway"
expect 'deployment.apps/bookinfo-gateway-istio' 'the automated deployment bookinfo-gateway-istio'
expect 'service/bookinfo-gateway-istio +ClusterIP' 'its Service, ClusterIP as annotated'
must "kubectl wait --for=condition=Available deployment/bookinfo-gateway-istio --timeout=$WAIT"
must "kubectl get httproute bookinfo -o jsonpath='{.status.parents[0].conditions[?(@.type==\"Accepted\")].status} {.status.parents[0].conditions[?(@.type==\"ResolvedRefs\")].status}'"
expect '^True True$' 'HTTPRoute bookinfo Accepted and ResolvedRefs'

step "Gateway API: productpage through bookinfo-gateway-istio"
# Istio's doc tests curl the gateway's Service from inside the cluster; the docs port-forward to it.
deadline=$(($(date +%s) + 60))
until run "kubectl exec deploy/ratings-v1 -c ratings -- curl -s http://bookinfo-gateway-istio.default/productpage | grep -o \"<title>.*</title>\"" && [ "$RC" = 0 ]; do
  [ "$(date +%s)" -lt $deadline ] || fail "bookinfo-gateway-istio not serving /productpage within 60 s"
  sleep 1
done
expect '^<title>Simple Bookstore App</title>$' 'productpage through the deployed gateway, from a pod'
PF_LOG=$(mktemp)
kubectl port-forward svc/bookinfo-gateway-istio 18080:80 >"$PF_LOG" 2>&1 &
PF_PID=$!
here "export GWAPI_URL=127.0.0.1:18080"
deadline=$(($(date +%s) + 20))
until curl -fs -o /dev/null "http://$GWAPI_URL/productpage"; do
  [ "$(date +%s)" -lt $deadline ] || { cat "$PF_LOG"; fail "kubectl port-forward svc/bookinfo-gateway-istio 18080:80 not serving within 20 s"; }
  sleep 0.5
done
must "curl -s \"http://\${GWAPI_URL}/productpage\" | grep -o \"<title>.*</title>\""
expect '^<title>Simple Bookstore App</title>$' 'productpage through kubectl port-forward svc/bookinfo-gateway-istio 8080:80 (port 18080 here)'
SAVED_GATEWAY_URL=$GATEWAY_URL
GATEWAY_URL=$GWAPI_URL

step "Gateway API: request routing — HTTPRoute reviews → reviews-v1 ($GWAPI/route-reviews-v1.yaml)"
must "kubectl apply -f $GWAPI/route-reviews-v1.yaml"
expect 'httproute.gateway.networking.k8s.io/reviews created'
converge 30 none
tally 20
[ "$N_NONE" = 20 ] || fail "route-reviews-v1: expected 20 pages without stars ($COUNTS)"
ok "20/20 pages without stars (reviews-v1)"
must "kubectl get httproute reviews -o jsonpath='{.status.parents[0].parentRef.kind}/{.status.parents[0].parentRef.name} {.status.parents[0].conditions[?(@.type==\"Accepted\")].message}'"
expect '^Service/reviews Route was valid$' 'the mesh route attached to Service reviews: "Route was valid"'

step "Gateway API: traffic shifting — 50 % to reviews-v3 ($GWAPI/route-reviews-50-v3.yaml)"
must "kubectl apply -f $GWAPI/route-reviews-50-v3.yaml"
expect 'httproute.gateway.networking.k8s.io/reviews configured'
appears 30 red
sleep 1
tally 100
[ "$N_BLACK" = 0 ] && [ "$N_NONE" -ge 30 ] && [ "$N_RED" -ge 30 ] || fail "50/50 between reviews-v1 and reviews-v3 expected ($COUNTS)"
ok "reviews-v1/reviews-v3 split $N_NONE/$N_RED, no v2"
must "kubectl apply -f $GWAPI/route-reviews-v3.yaml"
expect 'httproute.gateway.networking.k8s.io/reviews configured'
converge 30 red
ok 'route-reviews-v3: every page has red stars'

step "Gateway API: clean up (kubectl delete httproute reviews; the Gateway and its deployment)"
must "kubectl delete httproute reviews"
kill "$PF_PID" 2>/dev/null || true
rm -f "$PF_LOG"
GATEWAY_URL=$SAVED_GATEWAY_URL
# Kubernetes' garbage collector removes what the Gateway owns (istiod's controller also deletes deployments it
# no longer wants; either one suffices): check the owner references point at this Gateway, then that all goes.
GW_UID=$(kubectl get gtw bookinfo-gateway -o jsonpath='{.metadata.uid}')
for o in deploy svc sa; do
  must "kubectl get $o bookinfo-gateway-istio -o jsonpath='{.metadata.ownerReferences[0].kind}/{.metadata.ownerReferences[0].name}/{.metadata.ownerReferences[0].uid}'"
  expect "^Gateway/bookinfo-gateway/$GW_UID\$" "$o/bookinfo-gateway-istio owned by Gateway bookinfo-gateway (uid $GW_UID)"
done
must "kubectl delete -f $GWAPI/bookinfo-gateway.yaml"
expect 'gateway.gateway.networking.k8s.io "bookinfo-gateway" deleted'
deadline=$(($(date +%s) + 60))
until run "kubectl get deploy,svc,sa -l gateway.networking.k8s.io/gateway-name=bookinfo-gateway -o name 2>/dev/null" && [ "$RC" = 0 ] && [ -z "$OUT" ]; do
  [ "$(date +%s)" -lt $deadline ] || fail "bookinfo-gateway-istio not removed within 60 s of deleting its Gateway"
  sleep 1
done
ok 'bookinfo-gateway-istio (Deployment, Service, ServiceAccount) removed with its Gateway'
must "kubectl delete -f samples/bookinfo/platform/kube/bookinfo-versions.yaml"
