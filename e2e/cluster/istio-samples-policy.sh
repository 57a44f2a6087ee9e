# The policy half of istio-samples.sh (sourced by it, after the samples are up): Istio's rate-limit task on Bookinfo
# (bookinfo-spec §5.15: the local token bucket on productpage's sidecar) and egress-control's HTTP part
# (meshConfig.outboundTrafficPolicy REGISTRY_ONLY through `trellis install --set`, a ServiceEntry opening one host).
# Leaves no EnvoyFilter or ServiceEntry behind and the mesh back on ALLOW_ANY.
# The global limit (samples/bookinfo/policy/productpage_envoy_ratelimit.yaml, the gateway asking the ratelimit service
# over plaintext gRPC) needs the sidecar to see an h2c request's SO_ORIGINAL_DST (libs/mesh/proxy/src/listener/
# capture-route.ts): before that, the call landed on the ratelimit sidecar's passthrough chain and every /productpage
# was 500 (failure_mode_deny). This cluster's API server (the v1.20.2 build here) stores "" in a custom resource as
# null and rejects it, so the file's `vhost: {name: ""}` line (match any vhost, as no name does) is left out here.

# rl_code: one in-mesh GET productpage:9080/productpage from the ratings pod (the local rate-limit task's client).
rl_code() { kubectl exec deploy/ratings-v1 -c ratings -- curl -s -o /dev/null -w '%{http_code}' productpage:9080/productpage; }
# The "internet" for egress control: cluster DNS answers only cluster names, and nothing outside is reachable, so
# the external host is go-httpbin on the host's end of the node's veth (tools/cluster: HOST_IP), outside every pod
# and Service CIDR and in no registry; `curl --resolve httpbin.org:80:<it>` stands in for public DNS.
EXT_IP=$(sed -n 's/^HOST_IP=//p' tools/cluster/lib.sh)
# ext_code URL: the egress task's client (sleep in mirror) with httpbin.org resolved to the external host (below).
ext_code() { kubectl exec -n mirror deploy/sleep -c sleep -- curl -s -o /dev/null -w '%{http_code}' --max-time 5 --resolve "httpbin.org:80:$EXT_IP" "$1"; }

step "Local rate limit: filter-local-ratelimit-svc on productpage (10 a minute)"
must "kubectl apply -f - <<'EOF'
apiVersion: networking.istio.io/v1alpha3
kind: EnvoyFilter
metadata:
  name: filter-local-ratelimit-svc
  namespace: istio-system
spec:
  workloadSelector:
    labels:
      app: productpage
  configPatches:
    - applyTo: HTTP_FILTER
      match:
        context: SIDECAR_INBOUND
        listener:
          filterChain:
            filter:
              name: \"envoy.filters.network.http_connection_manager\"
      patch:
        operation: INSERT_BEFORE
        value:
          name: envoy.filters.http.local_ratelimit
          typed_config:
            \"@type\": type.googleapis.com/udpa.type.v1.TypedStruct
            type_url: type.googleapis.com/envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit
            value:
              stat_prefix: http_local_rate_limiter
              token_bucket:
                max_tokens: 10
                tokens_per_fill: 10
                fill_interval: 60s
              filter_enabled:
                runtime_key: local_rate_limit_enabled
                default_value:
                  numerator: 100
                  denominator: HUNDRED
              filter_enforced:
                runtime_key: local_rate_limit_enforced
                default_value:
                  numerator: 100
                  denominator: HUNDRED
              response_headers_to_add:
                - append: false
                  header:
                    key: x-local-rate-limit
                    value: 'true'
EOF"
expect 'envoyfilter.networking.istio.io/filter-local-ratelimit-svc created'
# In force once a 429 comes back; the bucket holds 10 when the filter arrives, so ≥ 10 requests pass before it.
start=$(date +%s.%N) deadline=$(($(date +%s) + 30)) passed=0
until code=$(rl_code) && [ "$code" = 429 ]; do
  [ "$(date +%s)" -lt $deadline ] || fail "no 429 from productpage within 30 s (last ${code:-nothing}, $passed passed)"
  [ "$code" = 200 ] && passed=$((passed + 1))
done
[ "$passed" -ge 10 ] || fail "only $passed requests passed before the first 429 (the bucket holds 10)"
printf '  first 429 after %s requests passed, %ss after the apply\n' "$passed" "$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN{printf "%.1f", b-a}')"
must "kubectl exec deploy/ratings-v1 -c ratings -- sh -c 'for i in \$(seq 5); do curl -s -o /dev/null -w \"%{http_code} \" productpage:9080/productpage; done; echo'"
expect '^429 429 429 429 429 $' 'the bucket stays empty: 429 ×5'
must "kubectl exec deploy/ratings-v1 -c ratings -- curl -sS -D - -o /dev/null productpage:9080/productpage"
expect '^HTTP/1\.1 429 Too Many Requests' '429 Too Many Requests'
expect '^x-local-rate-limit: true' '… with x-local-rate-limit: true'
must "kubectl exec deploy/productpage-v1 -c istio-proxy -- pilot-agent request GET stats | grep http_local_rate_limit"
[ "$(stat_value "$OUT" "$(grep -oE '^[^:]*http_local_rate_limit\.rate_limited' <<<"$OUT" | head -1)")" -ge 6 ] ||
  fail "productpage's sidecar should count ≥ 6 rate_limited"
ok "productpage's sidecar counted them (http_local_rate_limit.rate_limited)"
must "kubectl delete envoyfilter filter-local-ratelimit-svc -n istio-system"
within 30 'productpage answers 200 again' '[ "$(rl_code)" = 200 ]'

# gw_rl PATH: status and x-envoy-ratelimited of one GET through the gateway's EXTERNAL-IP.
gw_rl() { curl -s -o /dev/null -D - --max-time 15 "http://$GATEWAY_URL$1" | tr -d '\r' | awk 'NR==1{c=$2} tolower($1)=="x-envoy-ratelimited:"{r=$2} END{print c (r ? " " r : "")}'; }

step "Global rate limit: the gateway asks the ratelimit service (PATH=/productpage once a minute)"
must "sed '/name: \"\"/d' samples/bookinfo/policy/productpage_envoy_ratelimit.yaml | kubectl apply -f -"
expect 'envoyfilter.networking.istio.io/filter-ratelimit-svc created' 'both EnvoyFilters of the task created'
deadline=$(($(date +%s) + 60))
until r=$(gw_rl /productpage) && [ "$r" = "429 true" ]; do
  [ "$(date +%s)" -lt $deadline ] || fail "no 429 with x-envoy-ratelimited from the gateway within 60 s (last: ${r:-nothing}; 500 = the rate limit service call failed)"
done
ok "GET /productpage: 429 with x-envoy-ratelimited: true"
[ "$(gw_rl /productpage)" = "429 true" ] || fail "the second GET /productpage in the minute should be 429 too"
[ "$(gw_rl /static/tailwind/tailwind.css)" = 200 ] || fail "GET /static/tailwind/tailwind.css (100 a minute) should be 200"
ok "still 429 within the minute; /static/tailwind/tailwind.css 200 (its own descriptor)"
must "kubectl -n istio-system exec deploy/istio-ingressgateway -- pilot-agent request GET stats | grep 'productpage.default.svc.cluster.local.ratelimit'"
expect 'ratelimit\.over_limit: [1-9]' "the gateway counts over_limit on productpage's cluster"
must "kubectl delete envoyfilter filter-ratelimit filter-ratelimit-svc -n istio-system"
within 30 'the gateway answers /productpage 200 again' '[ "$(gw_rl /productpage)" = 200 ]'

step "Egress control: ALLOW_ANY passes an external host through (the sleep sidecar's PassthroughCluster)"
bash tools/samples/build-httpbin.sh >/dev/null
"$(bash tools/samples/build-httpbin.sh --print-path)" -host "$EXT_IP" -port 80 >/dev/null 2>&1 &
EXT_PID=$!
trap 'kill $EXT_PID 2>/dev/null || true' EXIT
within 10 "the external host http://$EXT_IP answers" "curl -sf -o /dev/null http://$EXT_IP/status/200"
must "kubectl exec -n mirror deploy/sleep -c sleep -- curl -sS --resolve httpbin.org:80:$EXT_IP http://httpbin.org/headers"
expect '^ +"httpbin\.org"$' 'httpbin.org (outside the cluster) answered, Host: httpbin.org'
must "npx trellis install -y --timeout $WAIT --set meshConfig.outboundTrafficPolicy.mode=REGISTRY_ONLY"
expect 'Installation complete' 'trellis install --set meshConfig.outboundTrafficPolicy.mode=REGISTRY_ONLY'
within 30 'REGISTRY_ONLY in force (502)' '[ "$(ext_code http://httpbin.org/headers)" = 502 ]'
must "kubectl exec -n mirror deploy/sleep -c sleep -- curl -sSI --resolve httpbin.org:80:$EXT_IP http://httpbin.org/headers"
expect '^HTTP/1\.1 502 Bad Gateway' 'REGISTRY_ONLY: httpbin.org → 502 Bad Gateway from the sidecar'
must "kubectl apply -f - <<EOF
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata:
  name: httpbin-ext
spec:
  hosts:
  - httpbin.org
  ports:
  - number: 80
    name: http
    protocol: HTTP
  resolution: STATIC
  location: MESH_EXTERNAL
  endpoints:
  - address: $EXT_IP
EOF"
within 30 'the ServiceEntry opens httpbin.org (200)' '[ "$(ext_code http://httpbin.org/headers)" = 200 ]'
must "kubectl exec -n mirror deploy/sleep -c sleep -- curl -sS --resolve httpbin.org:80:$EXT_IP http://httpbin.org/headers"
expect '^ +"httpbin\.org"$' 'httpbin.org answers through the ServiceEntry'
run "kubectl exec -n mirror deploy/sleep -c sleep -- curl -s -o /dev/null -w '%{http_code}\n' http://$EXT_IP/headers"
expect '^502$' 'the same server by its address is still blocked: only the entry host opens'
must "kubectl delete serviceentry httpbin-ext"
within 30 'httpbin.org blocked again without the entry (502)' '[ "$(ext_code http://httpbin.org/headers)" = 502 ]'
must "npx trellis install -y --timeout $WAIT --set meshConfig.outboundTrafficPolicy.mode=ALLOW_ANY"
within 30 'ALLOW_ANY again (200)' '[ "$(ext_code http://httpbin.org/headers)" = 200 ]'
kill $EXT_PID 2>/dev/null || true
trap - EXIT
