# End-user authentication at the ingress (authn-policy's JWT half, bookinfo-spec §5.9), typed as the docs type
# it, with the jwt-server sample serving the JWKS (no internet): httpbin behind the gateway, RequestAuthentication
# on the gateway (jwksUri fetched by the control plane, pushed inline), then the DENY policy for requests without
# a principal, restricted to /headers. The task's namespace foo is still terminating (mtls-migration.sh deletes
# it with --wait=false), so httpbin goes to `jwt`. Sourced by walkthrough.sh (lib.sh helpers).

# code_until SECONDS WANT PATH [TOKEN]: curl through the gateway until the status is WANT; sets CODE.
code_until() {
  local deadline=$(($(date +%s) + $1))
  while :; do
    CODE=$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 ${4:+-H "Authorization: Bearer $4"} "http://$GATEWAY_URL$3")
    [ "$CODE" = "$2" ] && return 0
    [ "$(date +%s)" -lt "$deadline" ] || fail "GET $3${4:+ (with a token)}: $CODE, wanted $2 within $1 s"
    sleep 0.5
  done
}

step "JWT at the ingress: httpbin behind the gateway, the jwt-server sample for the keys"
must "kubectl create ns jwt"
must "kubectl label namespace jwt istio-injection=enabled"
must "kubectl apply -f samples/httpbin/httpbin.yaml -n jwt"
must "kubectl apply -f samples/jwt-server/jwt-server.yaml -n istio-system"
must "kubectl wait --for=condition=Available deployment/httpbin -n jwt --timeout=$WAIT"
must "kubectl wait --for=condition=Available deployment/jwt-server -n istio-system --timeout=$WAIT"
must "kubectl apply -f - <<EOF
apiVersion: networking.istio.io/v1
kind: Gateway
metadata:
  name: httpbin-gateway
  namespace: jwt
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
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: httpbin
  namespace: jwt
spec:
  hosts:
  - \"*\"
  gateways:
  - httpbin-gateway
  http:
  - route:
    - destination:
        port:
          number: 8000
        host: httpbin.jwt.svc.cluster.local
EOF"
code_until 60 200 /headers
ok "curl \$GATEWAY_URL/headers → 200"

step "RequestAuthentication jwt-example on the gateway: invalid tokens 401, none or valid 200"
must "kubectl apply -f - <<EOF
apiVersion: security.istio.io/v1
kind: RequestAuthentication
metadata:
  name: jwt-example
  namespace: istio-system
spec:
  selector:
    matchLabels:
      istio: ingressgateway
  jwtRules:
  - issuer: \"testing@secure.istio.io\"
    jwksUri: \"http://jwt-server.istio-system.svc.cluster.local:8000/jwks\"
EOF"
code_until 30 401 /headers deadbeef
ok "Authorization: Bearer deadbeef → 401"
code_until 5 200 /headers
ok "no token → 200 (authorization decides)"
here "export TOKEN=\$(cat samples/jwt-server/demo.jwt)"
code_until 60 200 /headers "$TOKEN"
ok "demo.jwt → 200 (the control plane fetched the jwksUri and pushed the keys)"
here "export EXPIRED=\$(node tools/jwt/gen-jwt.mjs samples/jwt-server/key.pem --expire -120)"
run "curl -s --max-time 10 -H \"Authorization: Bearer \$EXPIRED\" \"http://\$GATEWAY_URL/headers\""
expect '^Jwt is expired$' 'a token expired beyond the 60 s clock skew → Jwt is expired'

step "frontend-ingress: DENY requests without a request principal"
must "kubectl apply -f - <<EOF
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata:
  name: frontend-ingress
  namespace: istio-system
spec:
  selector:
    matchLabels:
      istio: ingressgateway
  action: DENY
  rules:
  - from:
    - source:
        notRequestPrincipals: [\"*\"]
EOF"
code_until 30 403 /headers
ok "no token → 403"
code_until 5 200 /headers "$TOKEN"
ok "demo.jwt → 200"
here "export GW_POD=\$(kubectl -n istio-system get pod -l istio=ingressgateway -o jsonpath='{.items[0].metadata.name}')"
run "npx trellis x authz check \$GW_POD.istio-system --path /headers"
expect 'DENIED: 403 RBAC: access denied' 'authz check on the gateway: no token is denied'
expect 'DENY policy frontend-ingress.istio-system rule\[0\] matched' '… by frontend-ingress'
run "npx trellis x authz check \$GW_POD.istio-system --path /headers --jwt \$TOKEN"
expect '^ALLOWED' 'authz check with the token: allowed'

step "Authorization and authentication cleanup"
must "kubectl delete authorizationpolicy frontend-ingress -n istio-system"
must "kubectl delete requestauthentication jwt-example -n istio-system"
code_until 30 200 /headers deadbeef
ok "without the policies a bad token passes again"
must "kubectl delete gateway.networking.istio.io httpbin-gateway -n jwt"
must "kubectl delete virtualservice httpbin -n jwt"
must "kubectl delete -f samples/jwt-server/jwt-server.yaml -n istio-system"
must "kubectl delete ns jwt --wait=false"
