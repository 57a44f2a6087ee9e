#!/usr/bin/env bash
# Writes the CNI network config and the KubeletConfiguration for node k8s1.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cat >"$K/cni/net.d/10-k8s1.conflist" <<CNI
{ "cniVersion": "0.4.0", "name": "k8s1",
  "plugins": [
    { "type": "bridge", "bridge": "cni0", "isGateway": true, "ipMasq": false, "hairpinMode": true,
      "ipam": { "type": "host-local", "dataDir": "$K/cni/ipam",
                "ranges": [[{ "subnet": "$POD_CIDR", "gateway": "10.244.0.1" }]],
                "routes": [{ "dst": "0.0.0.0/0" }] } },
    { "type": "portmap", "capabilities": { "portMappings": true } } ] }
CNI
: >"$K/kubelet/resolv.conf" # pods with dnsPolicy Default get no upstream resolver: nothing leaves the machine
cat >"$K/kubelet/config.yaml" <<KC
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
address: $NODE_IP
readOnlyPort: 0
healthzBindAddress: 127.0.0.1
tlsCertFile: $K/pki/kubelet.crt
tlsPrivateKeyFile: $K/pki/kubelet.key
authentication: {anonymous: {enabled: false}, webhook: {enabled: true}, x509: {clientCAFile: $K/pki/ca.crt}}
authorization: {mode: Webhook}
cgroupDriver: cgroupfs
cgroupsPerQOS: false
enforceNodeAllocatable: []
failSwapOn: false
clusterDomain: cluster.local
clusterDNS: [$DNS_IP]
resolvConf: $K/kubelet/resolv.conf
# imported images cannot be pulled again: image GC must never delete them
imageGCHighThresholdPercent: 100
imageGCLowThresholdPercent: 99
evictionHard: {memory.available: "100Mi", nodefs.available: "1%", imagefs.available: "1%", nodefs.inodesFree: "1%"}
serializeImagePulls: false
nodeStatusUpdateFrequency: 2s
KC
