# Bookinfo's ratings v2 on MySQL (Istio's bookinfo-mysql.yaml + bookinfo-ratings-v2-mysql.yaml +
# virtual-service-ratings-mysql.yaml), as a user types it; sourced by walkthrough.sh (lib.sh helpers,
# GATEWAY_URL set, destination-rule-all applied). mysqldb is MariaDB (tools/docker/mysqldb.Dockerfile); the
# ratings sidecar carries the MySQL protocol over TCP to the mysqldb sidecar (SO_ORIGINAL_DST → 10.96.x.x_3306).

step "Bookinfo on MySQL: ratings v2 reads its stars from mysqldb (MariaDB) through the mesh"
must "kubectl apply -f samples/bookinfo/platform/kube/bookinfo-mysql.yaml"
expect 'deployment.apps/mysqldb-v1 created' 'mysqldb created'
must "kubectl apply -f samples/bookinfo/platform/kube/bookinfo-ratings-v2-mysql.yaml"
expect 'deployment.apps/ratings-v2-mysql created' 'ratings-v2-mysql created'
must "kubectl wait --for=condition=Available deployment/mysqldb-v1 deployment/ratings-v2-mysql --timeout=$WAIT"
must "kubectl apply -f $NET/destination-rule-all.yaml"
must "kubectl apply -f $NET/virtual-service-ratings-mysql.yaml"
expect 'virtualservice.networking.istio.io/reviews configured'
expect 'virtualservice.networking.istio.io/ratings configured'
# mysqldb initialises its datadir on first start (a few seconds after the pod is Available).
stars_until 90 red 9
ok "reviews v3 shows 5 + 4 red stars: test.ratings as mysqldb-init.sql wrote it"

step "Bookinfo on MySQL: change a rating in the database, see the page change"
here "export MYSQL_DB_POD=\$(kubectl get pod -l app=mysqldb -o jsonpath='{.items[0].metadata.name}')"
must "kubectl exec \$MYSQL_DB_POD -c mysqldb -- mysql -u root -ppassword test -e 'select * from ratings;'"
expect '^1[[:space:]]+5$' 'ReviewID 1 rated 5'
must "kubectl exec \$MYSQL_DB_POD -c mysqldb -- mysql -u root -ppassword test -e 'update ratings set rating=1 where reviewid=1; update ratings set rating=2 where reviewid=2;'"
stars_until 20 red 3
ok "the page follows the UPDATE: 1 + 2 red stars"

step "Bookinfo on MySQL: the sidecars counted the TCP connections"
must "kubectl exec deploy/ratings-v2-mysql -c istio-proxy -- curl -sg 'localhost:15000/stats?filter=^(cluster|tcp)\\.outbound\\|3306\\|\\|mysqldb\\..*(upstream_cx_total|downstream_cx_total|upstream_cx_rx_bytes_total)'"
out_cx=$(stat_value "$OUT" "cluster.outbound|3306||mysqldb.default.svc.cluster.local.upstream_cx_total")
out_rx=$(stat_value "$OUT" "cluster.outbound|3306||mysqldb.default.svc.cluster.local.upstream_cx_rx_bytes_total")
[ "$out_cx" -ge 2 ] && [ "$out_rx" -gt 0 ] || fail "the ratings sidecar should have opened ≥ 2 connections to mysqldb and read bytes (cx $out_cx, rx $out_rx)"
ok "ratings-v2-mysql sidecar: outbound|3306||mysqldb upstream_cx_total $out_cx, rx $out_rx bytes"
must "kubectl exec \$MYSQL_DB_POD -c istio-proxy -- curl -sg 'localhost:15000/stats?filter=^(cluster|tcp)\\.inbound\\|3306\\|\\|\\.(upstream_cx_total|downstream_cx_total)'"
in_cx=$(stat_value "$OUT" "cluster.inbound|3306||.upstream_cx_total")
[ "$in_cx" -ge 2 ] || fail "the mysqldb sidecar should have passed ≥ 2 connections to MariaDB (inbound|3306|| upstream_cx_total $in_cx)"
ok "mysqldb sidecar: inbound|3306|| upstream_cx_total $in_cx"
