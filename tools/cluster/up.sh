#!/usr/bin/env bash
# Start a fresh single-node Kubernetes v1.20.2 cluster "k8s1" inside network namespace k8s1.
# Host ↔ node veth: 172.31.255.1 (host) / 172.31.255.2 (node). Pods 10.244.0.0/24 on cni0, Services 10.96.0.0/24.
# Cluster state (etcd, pods) is reset on every start; binaries, images and PKI are kept.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
P=$K/pki
running && die "k8s1 is already running (netns exists); run 'tools/cluster/cluster.sh down' first"
for b in kube-apiserver kube-controller-manager kube-scheduler kubelet kube-proxy kubectl; do
  [ -x "$KBIN/$b" ] || die "$KBIN/$b missing: run 'tools/cluster/cluster.sh build'"
done
bash "$HERE/pki.sh"
mkdir -p "$K/run" "$K/log" "$K/cni/net.d" "$K/kubelet" "$K/bin"
install -m 0755 "$HERE/runc-clamp" "$K/bin/runc-clamp"
grep -o " $K/[^ ]*" /proc/mounts | sort -r | xargs -r -n1 umount -l 2>/dev/null || true   # leftovers of a crash
rm -rf "$K/run/etcd" "$K/kubelet/root" "$K/kubelet/dockershim" "$K/cni/ipam" "$K/cni/cache"
trap 'echo "[cluster] start-up failed; logs in $K/log; stopping what was started" >&2; bash "$HERE/down.sh" >/dev/null 2>&1' ERR

# 1. the node: a network namespace joined to the host by a veth pair, with no default route
ip netns add $NETNS
ip link add k8s1-host type veth peer name eth0 netns $NETNS
ip addr add $HOST_IP/30 dev k8s1-host && ip link set k8s1-host up
ip -n $NETNS link set lo up
ip -n $NETNS addr add $NODE_IP/30 dev eth0 && ip -n $NETNS link set eth0 up
# Service IPs routed to a port-less bridge, so connect() from node processes (apiserver → webhook
# Services) gets as far as kube-proxy's OUTPUT DNAT instead of "network unreachable".
ip -n $NETNS link add svc0 type bridge && ip -n $NETNS link set svc0 up
ip -n $NETNS route add $SVC_CIDR dev svc0 src $NODE_IP
$NS sh -c 'echo 1 >/proc/sys/net/ipv4/ip_forward; echo 1 >/proc/sys/net/bridge/bridge-nf-call-iptables'
ip route add $POD_CIDR via $NODE_IP
ip route add $SVC_CIDR via $NODE_IP
ts "node network namespace up ($NODE_IP)"

# 2. dockerd (with its own containerd) in the node
start() { # name cmd... : start in the node netns, record the PID
  local n=$1; shift
  $NS "$@" >"$K/log/$n.log" 2>&1 &
  echo $! >"$K/run/$n.pid"
}
start dockerd dockerd --bridge=none --iptables=false --ip6tables=false --ip-masq=false \
  --data-root "$K/docker" --exec-root "$K/docker-exec" --pidfile "$K/docker-exec/docker.pid" \
  -H "unix://$K/run/docker.sock" --exec-opt native.cgroupdriver=cgroupfs --storage-driver overlay2 \
  --log-driver json-file --log-opt max-size=10m \
  --add-runtime "k8s1-runc=$K/bin/runc-clamp" --default-runtime k8s1-runc
waitfor 30 docker info || die "dockerd did not start; see $K/log/dockerd.log"
old=$(docker ps -aq --filter name=k8s_)
[ -z "$old" ] || docker rm -f $old >/dev/null
bash "$HERE/images.sh" import
ts "dockerd up"

# 3. etcd and the API server
start etcd etcd --name k8s1 --data-dir "$K/run/etcd" \
  --listen-client-urls http://127.0.0.1:2379 --advertise-client-urls http://127.0.0.1:2379 \
  --listen-peer-urls http://127.0.0.1:2380 --initial-advertise-peer-urls http://127.0.0.1:2380 \
  --initial-cluster k8s1=http://127.0.0.1:2380
waitfor 20 $NS curl -fsS http://127.0.0.1:2379/health || die "etcd did not start; see $K/log/etcd.log"
start apiserver "$KBIN/kube-apiserver" --etcd-servers=http://127.0.0.1:2379 \
  --bind-address=0.0.0.0 --advertise-address=$NODE_IP --secure-port=6443 --insecure-port=0 \
  --cert-dir="$K/run/apiserver-certs" --tls-cert-file="$P/apiserver.crt" --tls-private-key-file="$P/apiserver.key" \
  --client-ca-file="$P/ca.crt" --token-auth-file="$P/tokens.csv" --authorization-mode=Node,RBAC \
  --kubelet-client-certificate="$P/apiserver-kubelet-client.crt" --kubelet-client-key="$P/apiserver-kubelet-client.key" \
  --kubelet-preferred-address-types=InternalIP,Hostname \
  --service-account-issuer=https://kubernetes.default.svc.cluster.local \
  --service-account-key-file="$P/sa.pub" --service-account-signing-key-file="$P/sa.key" \
  --service-cluster-ip-range=$SVC_CIDR --service-node-port-range=30000-32767 --allow-privileged=true \
  --enable-admission-plugins=NamespaceLifecycle,LimitRanger,ServiceAccount,DefaultStorageClass,ResourceQuota,NodeRestriction,MutatingAdmissionWebhook,ValidatingAdmissionWebhook
waitfor 60 kubectl get --raw /readyz || die "kube-apiserver not ready; see $K/log/apiserver.log"
ts "kube-apiserver ready (https://$NODE_IP:6443)"
# the local registry + KEP-1755 ConfigMap (kind's local-registry setup; Tilt and Skaffold push there)
bash "$HERE/registry.sh" start

# 4. controller-manager (no nodeipam: it sleeps 10 s at start; the CNI config carries the subnet) and scheduler
start kcm "$KBIN/kube-controller-manager" --kubeconfig="$K/kcm.kubeconfig" --leader-elect=false --port=0 --secure-port=0 \
  --service-account-private-key-file="$P/sa.key" --root-ca-file="$P/ca.crt" --use-service-account-credentials=false \
  --cluster-cidr=10.244.0.0/16 --service-cluster-ip-range=$SVC_CIDR \
  --cluster-signing-cert-file="$P/ca.crt" --cluster-signing-key-file="$P/ca.key" \
  --controllers='*,-cloud-node-lifecycle,-service,-route,-nodeipam'
start scheduler "$KBIN/kube-scheduler" --kubeconfig="$K/scheduler.kubeconfig" --leader-elect=false --port=0 --secure-port=0

# 5. kubelet: dockershim + CNI bridge
bash "$HERE/kubelet-config.sh"
SYSCTLS="vm/overcommit_memory vm/panic_on_oom kernel/panic kernel/panic_on_oops kernel/keys/root_maxkeys kernel/keys/root_maxbytes"
for s in $SYSCTLS; do echo "$s $(cat /proc/sys/$s)"; done >"$K/run/sysctl.orig"
start kubelet "$KBIN/kubelet" --config="$K/kubelet/config.yaml" --kubeconfig="$K/kubelet.kubeconfig" \
  --hostname-override=k8s1 --node-ip=$NODE_IP --root-dir="$K/kubelet/root" \
  --container-runtime=docker --docker-endpoint="unix://$K/run/docker.sock" \
  --docker="unix://$K/run/docker.sock" --containerd="$K/docker-exec/containerd/containerd.sock" \
  --experimental-dockershim-root-directory="$K/kubelet/dockershim" --pod-infra-container-image=k8s.gcr.io/pause:3.2 \
  --network-plugin=cni --cni-bin-dir=/usr/lib/cni --cni-conf-dir="$K/cni/net.d" --cni-cache-dir="$K/cni/cache" --v=1
waitfor 60 $NS curl -fsS http://127.0.0.1:10248/healthz || die "kubelet did not start; see $K/log/kubelet.log"
sleep 1
# The kubelet sets global kernel sysctls once at start-up (setupKernelTunables): put the host's values back.
while read -r s v; do echo "$v" >"/proc/sys/$s"; done <"$K/run/sysctl.orig"
ts "kubelet up"

# 6. kube-proxy (iptables mode; its rules live only in the node's namespace)
start kube-proxy "$KBIN/kube-proxy" --kubeconfig="$K/proxy.kubeconfig" --hostname-override=k8s1 --proxy-mode=iptables \
  --cluster-cidr=10.244.0.0/16 --conntrack-max-per-core=0 \
  --metrics-bind-address=127.0.0.1:10249 --healthz-bind-address=127.0.0.1:10256

# 6b. LoadBalancer Services get an EXTERNAL-IP, as cloud-provider-kind / MetalLB give them on kind
#     (lb-controller.mjs): the pool is routed to the node, which owns each assigned address on lb0
# (a port-less bridge, like svc0: this kernel may have no dummy module)
ip -n $NETNS link add lb0 type bridge
ip -n $NETNS link set lb0 up
ip route add $LB_POOL via $NODE_IP
(export LB_TOKEN=$(head -1 "$P/tokens.csv" | cut -d, -f1)
 start lb-controller node "$HERE/lb-controller.mjs" --server "https://$NODE_IP:6443" --ca "$P/ca.crt" --pool $LB_POOL --dev lb0)

# 7. node Ready, then cluster DNS
waitfor 60 kubectl get node k8s1 || die "node k8s1 did not register; see $K/log/kubelet.log"
kubectl wait --for=condition=Ready node/k8s1 --timeout=60s >/dev/null
ts "node k8s1 Ready"
bash "$HERE/addons/install.sh"
trap - ERR
ts "cluster DNS ready ($DNS_IP)"
env_line
