# Istio's mutual TLS migration task (tasks/security/authentication/mtls-migration, bookinfo-spec §5.8) as a user
# types it: httpbin + sleep with sidecars in foo and bar (`kube-inject`, as the task), sleep without one in legacy;
# PERMISSIVE by default (everyone reaches everyone), STRICT in foo (legacy → foo refused), then mesh-wide STRICT
# (legacy → bar refused too). Sourced by walkthrough.sh (lib.sh helpers, WAIT) right after mtls-default.sh, before
# the traffic-management tasks apply DestinationRules, so the task's "no DestinationRules" check holds.

# The task's probe loop, exactly as Istio prints it.
MTLS_PROBE='for from in foo bar legacy; do for to in foo bar; do kubectl exec "$(kubectl get pod -l app=sleep -n ${from} -o jsonpath={.items..metadata.name})" -c sleep -n ${from} -- curl http://httpbin.${to}:8000/ip -s -o /dev/null -w "sleep.${from} to httpbin.${to}: %{http_code}\n"; done; done'

# probe_code FROM TO: one request of the loop, quietly; prints the HTTP code (000 when refused).
probe_code() {
  kubectl exec -n "$1" deploy/sleep -c sleep -- curl -s -o /dev/null -w '%{http_code}' --max-time 5 "http://httpbin.$2:8000/ip" 2>/dev/null || true
}
# await_probe SECONDS FROM TO CODE: the mesh takes a moment after a policy or a pod appears (API server → istiod →
# every proxy); wait until FROM → TO answers CODE, and say how long that took.
await_probe() {
  local start deadline code
  start=$(date +%s.%N)
  deadline=$(($(date +%s) + $1))
  until code=$(probe_code "$2" "$3") && [ "$code" = "$4" ]; do
    if [ "$(date +%s)" -ge "$deadline" ]; then
      run "$MTLS_PROBE"
      fail "sleep.$2 to httpbin.$3 still answers ${code:-nothing}, not $4, after $1 s"
    fi
    sleep 0.5
  done
  printf '  sleep.%s to httpbin.%s: %s after %ss\n' "$2" "$3" "$4" "$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN{printf "%.1f", b-a}')"
}
# expect_probe_table CODE…: the loop's six lines, in its order (foo→foo foo→bar bar→foo bar→bar legacy→foo
# legacy→bar), must show these codes; a refused request (000) is followed by kubectl's exit code 56 line.
expect_probe_table() {
  local i=0 from to want line codes=("$@")
  for from in foo bar legacy; do
    for to in foo bar; do
      want=${codes[$i]}
      line="sleep.$from to httpbin.$to: $want"
      grep -qx -- "$line" <<<"$OUT" || fail "expected '$line'"
      if [ "$want" = 000 ]; then
        grep -A1 -x -- "$line" <<<"$OUT" | grep -qx 'command terminated with exit code 56' ||
          fail "expected 'command terminated with exit code 56' after '$line'"
      fi
      i=$((i + 1))
    done
  done
  ok "foo→foo $1, foo→bar $2, bar→foo $3, bar→bar $4, legacy→foo $5, legacy→bar $6"
}

step "Mutual TLS migration: httpbin + sleep in foo and bar (sidecars), sleep in legacy (none)"
must "kubectl create ns foo"
must "kubectl apply -f <(npx trellis kube-inject -f samples/httpbin/httpbin.yaml) -n foo"
expect 'deployment.apps/httpbin created' 'httpbin created in foo'
must "kubectl apply -f <(npx trellis kube-inject -f samples/sleep/sleep.yaml) -n foo"
expect 'deployment.apps/sleep created' 'sleep created in foo'
must "kubectl create ns bar"
must "kubectl apply -f <(npx trellis kube-inject -f samples/httpbin/httpbin.yaml) -n bar"
must "kubectl apply -f <(npx trellis kube-inject -f samples/sleep/sleep.yaml) -n bar"
must "kubectl create ns legacy"
must "kubectl apply -f samples/sleep/sleep.yaml -n legacy"
expect 'deployment.apps/sleep created' 'sleep created in legacy'
must "for ns in foo bar legacy; do kubectl wait --for=condition=Available deployment --all -n \$ns --timeout=$WAIT; done"
must "kubectl get pods -n foo; kubectl get pods -n bar; kubectl get pods -n legacy"
[ "$(grep -cE '^(httpbin|sleep)-.* 2/2 +Running ' <<<"$OUT")" = 4 ] || fail "expected httpbin and sleep 2/2 Running in foo and bar"
[ "$(grep -cE '^sleep-.* 1/1 +Running ' <<<"$OUT")" = 1 ] || fail "expected sleep 1/1 Running (no sidecar) in legacy"
ok "foo, bar: httpbin and sleep 2/2 (app + istio-proxy); legacy: sleep 1/1"
must "kubectl get pod -n foo -l app=httpbin -o jsonpath='{.items[0].spec.containers[*].image}'"
expect '(^| )docker\.io/mccutchen/go-httpbin:v2\.15\.0( |$)' "Istio's httpbin image, as the sample names it"
expect '(^| )trellis/proxy:dev( |$)' '… next to the injected sidecar'

step "Mutual TLS migration: PERMISSIVE by default — every client reaches both httpbins"
await_probe 60 legacy bar 200
await_probe 30 bar foo 200
run "$MTLS_PROBE"
expect_probe_table 200 200 200 200 200 200
must "kubectl get peerauthentication --all-namespaces"
expect '^No resources found' 'no PeerAuthentication'
must "kubectl get destinationrule --all-namespaces"
expect '^No resources found' 'no DestinationRule: auto mTLS decides'
must "kubectl exec \"\$(kubectl get pod -l app=sleep -n foo -o jsonpath={.items..metadata.name})\" -c sleep -n foo -- curl http://httpbin.foo:8000/headers -s"
expect '"X-Forwarded-Client-Cert"' 'sleep.foo → httpbin.foo carries X-Forwarded-Client-Cert (the request came over mTLS)'
expect 'By=spiffe://cluster\.local/ns/foo/sa/httpbin;.*URI=spiffe://cluster\.local/ns/foo/sa/sleep' '… By=…/ns/foo/sa/httpbin (the server), URI=…/ns/foo/sa/sleep (the client)'
must "kubectl exec \"\$(kubectl get pod -l app=sleep -n legacy -o jsonpath={.items..metadata.name})\" -c sleep -n legacy -- curl http://httpbin.bar:8000/headers -s"
expect '"Host"' 'sleep.legacy → httpbin.bar answered'
grep -q 'X-Forwarded-Client-Cert' <<<"$OUT" && fail "plaintext from legacy must not carry X-Forwarded-Client-Cert"
ok 'sleep.legacy → httpbin.bar is plaintext: no X-Forwarded-Client-Cert'

step "Mutual TLS migration: STRICT in foo — legacy can no longer reach httpbin.foo"
must "kubectl apply -n foo -f - <<EOF
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata:
  name: \"default\"
spec:
  mtls:
    mode: STRICT
EOF"
expect 'peerauthentication.security.istio.io/default created'
await_probe 30 legacy foo 000
run "$MTLS_PROBE"
expect_probe_table 200 200 200 200 000 200

step "Mutual TLS migration: STRICT mesh-wide (istio-system) — legacy reaches neither"
must "kubectl apply -n istio-system -f - <<EOF
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata:
  name: \"default\"
spec:
  mtls:
    mode: STRICT
EOF"
expect 'peerauthentication.security.istio.io/default created'
await_probe 30 legacy bar 000
run "$MTLS_PROBE"
expect_probe_table 200 200 200 200 000 000

step "Mutual TLS migration: clean up"
must "kubectl delete peerauthentication -n foo default"
must "kubectl delete peerauthentication -n istio-system default"
# The task's `kubectl delete ns foo bar legacy` waits for the namespace controller, whose retries back off while the
# pods terminate (55–85 s here); --wait=false lets the walkthrough go on while they go.
must "kubectl delete ns foo bar legacy --wait=false"
expect 'namespace "legacy" deleted'
