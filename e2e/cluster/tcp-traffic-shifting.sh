# Istio's TCP traffic shifting task (tasks/traffic-management/tcp-traffic-shifting) with samples/tcp-echo, as a
# user types it; sourced by walkthrough.sh (lib.sh helpers, INGRESS_HOST set). Also TCP inside the mesh: the
# tcp-echo pods' sidecars capture TCP and route it by SO_ORIGINAL_DST, sidecar to sidecar.
TNS=istio-io-tcp-traffic-shifting
TCP_N=${WALKTHROUGH_TCP_CONNECTIONS:-200}

step "TCP traffic shifting: deploy tcp-echo v1 and v2 ($TNS)"
must "kubectl create namespace $TNS"
must "kubectl label namespace $TNS istio-injection=enabled"
must "kubectl apply -f samples/tcp-echo/tcp-echo-services.yaml -n $TNS"
expect 'deployment.apps/tcp-echo-v2 created' 'tcp-echo v1 and v2 created'
must "kubectl wait --for=condition=Available deployment --all -n $TNS --timeout=$WAIT"
must "kubectl get pods -n $TNS"
[ "$(grep -cE ' 2/2 +Running ' <<<"$OUT")" = 2 ] || fail "expected 2 tcp-echo pods 2/2 Running"
ok "tcp-echo-v1 and -v2 2/2 Running (app + istio-proxy)"

step "TCP inside the mesh: tcp-echo-v1 → the tcp-echo Service through both sidecars"
# No VirtualService binds the mesh: the sidecar's <VIP>_9000 tcp_proxy balances over v1 and v2.
must "kubectl exec -n $TNS deploy/tcp-echo-v1 -c tcp-echo -- bash -c 'for i in \$(seq 20); do exec 3<>/dev/tcp/tcp-echo/9000; echo world >&3; read -r l <&3; echo \"\$l\"; exec 3>&-; done'"
[ "$(grep -cE '^(one|two) world$' <<<"$OUT")" = 20 ] || fail "expected 20 answers 'one world' or 'two world'"
ok "20/20 answers through the mesh: one=$(grep -c '^one' <<<"$OUT") two=$(grep -c '^two' <<<"$OUT")"
must "kubectl exec -n $TNS deploy/tcp-echo-v1 -c istio-proxy -- curl -sg 'localhost:15000/stats?filter=^tcp\\.outbound\\|9000\\|\\|tcp-echo\\..*downstream_cx_total'"
expect "^tcp\\.outbound\\|9000\\|\\|tcp-echo\\.$TNS\\.svc\\.cluster\\.local\\.downstream_cx_total: ([2-9][0-9]|[1-9][0-9]{2,})$" 'the client sidecar counted ≥ 20 TCP connections on outbound|9000||tcp-echo'

step "Inbound passthrough: a pod port no Service declares (9002) reaches the app through its sidecar"
# The sidecar connects to the app from 127.0.0.6 (InboundPassthroughCluster's upstream_bind_config), which the
# capture rules let through: without it the connection would loop back into 15006.
here "export TCP_ECHO_V2_IP=\$(kubectl get pod -n $TNS -l app=tcp-echo,version=v2 -o jsonpath='{.items[0].status.podIP}')"
must "kubectl exec -n $TNS deploy/tcp-echo-v1 -c tcp-echo -- bash -c 'exec 3<>/dev/tcp/'\$TCP_ECHO_V2_IP'/9002; echo world >&3; read -r l <&3; echo \"\$l\"'"
expect '^two world$' 'tcp-echo-v2 answered on its undeclared port 9002'
must "kubectl exec -n $TNS deploy/tcp-echo-v2 -c istio-proxy -- curl -sg 'localhost:15000/stats?filter=^cluster\\.InboundPassthroughCluster\\.upstream_cx_(total|overflow)'"
[ "$(stat_value "$OUT" cluster.InboundPassthroughCluster.upstream_cx_overflow)" = 0 ] || fail "InboundPassthroughCluster overflowed (a capture loop)"
ok "InboundPassthroughCluster: $(stat_value "$OUT" cluster.InboundPassthroughCluster.upstream_cx_total) connection(s), no overflow"

step "TCP traffic shifting: all of tcp-echo to v1 through the ingress gateway"
here "export TCP_INGRESS_PORT=\$(kubectl -n istio-system get service istio-ingressgateway -o jsonpath='{.spec.ports[?(@.name==\"tcp\")].nodePort}')"
must "kubectl apply -f samples/tcp-echo/tcp-echo-all-v1.yaml -n $TNS"
expect 'gateway.networking.istio.io/tcp-echo-gateway created'
expect 'virtualservice.networking.istio.io/tcp-echo created'
deadline=$(($(date +%s) + 30))
until tcp_line "$INGRESS_HOST" "$TCP_INGRESS_PORT" >/dev/null; do
  [ "$(date +%s)" -lt $deadline ] || fail "nothing answers on $INGRESS_HOST:$TCP_INGRESS_PORT within 30 s"
  sleep 0.5
done
run "for i in {1..5}; do date | timeout 5 socat - TCP:\$INGRESS_HOST:\$TCP_INGRESS_PORT; done"
[ "$(grep -c '^one ' <<<"$OUT")" = 5 ] || fail "expected 5 answers from v1 ('one …')"
tcp_tally 20 "$INGRESS_HOST" "$TCP_INGRESS_PORT"
[ "$TCP_ONE" = 20 ] || fail "tcp-echo-all-v1: every connection should reach v1"
ok "20/20 connections answered by v1"

step "TCP traffic shifting: 20 % to v2"
must "kubectl apply -f samples/tcp-echo/tcp-echo-20-v2.yaml -n $TNS"
expect 'virtualservice.networking.istio.io/tcp-echo configured'
must "kubectl get virtualservice tcp-echo -o yaml -n $TNS | grep -A2 'subset: v2'"
expect 'weight: 20' 'the VirtualService weighs v2 at 20'
deadline=$(($(date +%s) + 30))
until [ "$(tcp_line "$INGRESS_HOST" "$TCP_INGRESS_PORT" | cut -d' ' -f1)" = two ]; do
  [ "$(date +%s)" -lt $deadline ] || fail "no connection reached v2 within 30 s"
done
start=$(date +%s.%N)
tcp_tally "$TCP_N" "$INGRESS_HOST" "$TCP_INGRESS_PORT"
secs=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN{printf "%.1f", b-a}')
[ "$TCP_FAILED" = 0 ] && [ "$TCP_OTHER" = 0 ] || fail "every connection should be answered by v1 or v2"
# v2 ~ Binomial(n, 0.2): accept mean ± 4 standard deviations (a correct split fails ~1 run in 15,000).
read -r lo hi < <(awk -v n="$TCP_N" 'BEGIN{m=n*0.2; s=sqrt(n*0.2*0.8); printf "%d %d\n", m-4*s+0.999, m+4*s}')
[ "$TCP_TWO" -ge "$lo" ] && [ "$TCP_TWO" -le "$hi" ] || fail "v2 got $TCP_TWO of $TCP_N connections; 80/20 allows $lo–$hi"
ok "v1/v2 split $TCP_ONE/$TCP_TWO of $TCP_N connections (v2 within $lo–$hi) in ${secs}s"
must "kubectl -n istio-system exec deploy/istio-ingressgateway -- curl -sg 'localhost:15000/stats?filter=^cluster\\.outbound\\|9000\\|v[12]\\|tcp-echo\\..*upstream_cx_total'"
gw_v2=$(sed -nE 's/^cluster\.outbound\|9000\|v2\|tcp-echo\..*upstream_cx_total: ([0-9]+)$/\1/p' <<<"$OUT")
[ "${gw_v2:-0}" -ge "$TCP_TWO" ] || fail "the gateway's outbound|9000|v2 cluster counted ${gw_v2:-0} connections, fewer than the $TCP_TWO answered by v2"
ok "the gateway's tcp_proxy counted them: outbound|9000|v2|tcp-echo upstream_cx_total $gw_v2"
