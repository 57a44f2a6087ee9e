# Shared settings for the single-node cluster "k8s1" (sourced by the other scripts).
# Everything the cluster keeps lives in $K (outside the repo); its addresses live only inside the
# network namespace k8s1 and the veth pair that joins it to the host.
CACHE=${TRELLIS_CACHE:-$HOME/.cache/trellis}
K=${TRELLIS_CLUSTER_DIR:-$CACHE/cluster}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
KBIN=$(bash "$REPO/tools/kube-env/build.sh" --print-bin-dir)
NETNS=k8s1
NS="nsenter --net=/run/netns/$NETNS"
HOST_IP=172.31.255.1
NODE_IP=172.31.255.2
POD_CIDR=10.244.0.0/24
SVC_CIDR=10.96.0.0/24
DNS_IP=10.96.0.10
# LoadBalancer addresses (lb-controller.mjs): routed host → node, owned by the node's lb0 (a port-less bridge)
LB_POOL=172.31.254.0/24
export PATH=$KBIN:$PATH KUBECONFIG=$K/kubeconfig DOCKER_HOST=unix://$K/run/docker.sock DOCKER_BUILDKIT=0

T0=${T0:-$(date +%s.%N)}
ts() { awk -v a="$T0" -v b="$(date +%s.%N)" -v m="$*" 'BEGIN{printf "[cluster %5.1fs] %s\n", b-a, m}' >&2; }
die() { echo "[cluster] error: $*" >&2; exit 1; }
# waitfor SECONDS CMD...: retry CMD every 0.2 s
waitfor() { local n=$1 i; shift; for ((i = 0; i < n * 5; i++)); do "$@" >/dev/null 2>&1 && return 0; sleep 0.2; done; return 1; }
# The exports that point kubectl and docker at this cluster (cluster.sh env, up.sh, status.sh).
env_line() { echo "export KUBECONFIG=$K/kubeconfig DOCKER_HOST=unix://$K/run/docker.sock DOCKER_BUILDKIT=0 PATH=$KBIN:\$PATH"; }
running() { [ -e /run/netns/$NETNS ]; }
pid_alive() { [ -f "$K/run/$1.pid" ] && kill -0 "$(cat "$K/run/$1.pid")" 2>/dev/null; }
