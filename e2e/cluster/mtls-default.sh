# Mutual TLS by default, as Istio: the CA (istiod's 15012) gave every sidecar and the gateway a SPIFFE
# certificate, the root is published in each namespace, and the sidecars already speak mTLS to each other
# (PERMISSIVE + auto mTLS) with no config applied. Sourced by walkthrough.sh (lib.sh helpers).

step "Mutual TLS by default: workload certificates, the root in every namespace, mTLS between sidecars"
must "kubectl get configmap istio-ca-root-cert -o jsonpath='{.data.root-cert\\.pem}'"
expect '^-----BEGIN CERTIFICATE-----' 'istio-ca-root-cert is published in default'
here "export PRODUCTPAGE_POD=\$(kubectl get pod -l app=productpage -o jsonpath='{.items[0].metadata.name}')"
must "npx trellis proxy-config secret \$PRODUCTPAGE_POD"
expect '^default +Cert Chain +ACTIVE +true' 'the productpage sidecar holds its workload certificate (default)'
expect '^ROOTCA +CA +ACTIVE +true' '… and the root (ROOTCA)'
must "kubectl exec deploy/productpage-v1 -c istio-proxy -- curl -s localhost:15000/certs"
expect 'spiffe://cluster.local/ns/default/sa/bookinfo-productpage' 'its SAN is the ServiceAccount SPIFFE identity'
must "kubectl -n istio-system exec deploy/istio-ingressgateway -- curl -s localhost:15000/certs"
expect 'spiffe://cluster.local/ns/istio-system/sa/istio-ingressgateway-service-account' 'the gateway has its own identity'
must "kubectl exec deploy/productpage-v1 -c istio-proxy -- curl -sg 'localhost:15000/stats?filter=^cluster\\.outbound\\|9080\\|\\|reviews\\..*ssl\\.handshake'"
[ "$(stat_value "$OUT" "cluster.outbound|9080||reviews.default.svc.cluster.local.ssl.handshake")" -ge 1 ] ||
  fail "productpage → reviews made no TLS handshake"
ok "productpage → reviews is mTLS ($(stat_value "$OUT" "cluster.outbound|9080||reviews.default.svc.cluster.local.ssl.handshake") handshakes)"
must "kubectl exec deploy/reviews-v1 -c istio-proxy -- curl -sg 'localhost:15000/stats?filter=^listener\\..*ssl\\.handshake'"
expect 'ssl\.handshake: [1-9]' 'the reviews sidecar terminated mTLS inbound'
