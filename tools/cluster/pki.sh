#!/usr/bin/env bash
# Cluster PKI (once; kept across restarts): CA, apiserver serving cert, apiserver→kubelet client cert,
# kubelet serving cert, ServiceAccount key pair, static tokens and one kubeconfig per component.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
P=$K/pki
[ -f "$P/ca.crt" ] && [ -f "$K/kubeconfig" ] && exit 0
rm -rf "$P" && mkdir -p "$P" && cd "$P"
openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.crt -days 3650 -subj "/CN=k8s1-ca" 2>/dev/null
sign() { # name subject extensions
  openssl req -newkey rsa:2048 -nodes -keyout "$1.key" -out "$1.csr" -subj "$2" 2>/dev/null
  printf '%b\n' "$3" >"$1.ext"
  openssl x509 -req -in "$1.csr" -CA ca.crt -CAkey ca.key -CAcreateserial -out "$1.crt" -days 3650 -extfile "$1.ext" 2>/dev/null
  rm -f "$1.csr" "$1.ext"
}
sign apiserver "/CN=kube-apiserver" "subjectAltName=IP:$NODE_IP,IP:127.0.0.1,IP:10.96.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local\nextendedKeyUsage=serverAuth"
sign apiserver-kubelet-client "/O=system:masters/CN=kube-apiserver-kubelet-client" "extendedKeyUsage=clientAuth"
sign kubelet "/CN=k8s1" "subjectAltName=IP:$NODE_IP,IP:127.0.0.1,DNS:k8s1\nextendedKeyUsage=serverAuth"
openssl genrsa -out sa.key 2048 2>/dev/null && openssl rsa -in sa.key -pubout -out sa.pub 2>/dev/null
tok() { head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n'; }
admin=$(tok) kcm=$(tok) sched=$(tok) kubelet=$(tok) proxy=$(tok)
cat >tokens.csv <<T
$admin,admin,admin-uid,system:masters
$kcm,system:kube-controller-manager,kcm-uid,system:masters
$sched,system:kube-scheduler,sched-uid
$kubelet,system:node:k8s1,kubelet-uid,system:nodes
$proxy,system:kube-proxy,proxy-uid
T
chmod 600 ./*.key tokens.csv
kubeconfig() { # file server token
  cat >"$K/$1" <<KC
apiVersion: v1
kind: Config
clusters:
- name: k8s1
  cluster: {server: "$2", certificate-authority: $P/ca.crt}
users:
- name: k8s1-$4
  user: {token: $3}
contexts:
- name: k8s1
  context: {cluster: k8s1, user: k8s1-$4}
current-context: k8s1
KC
  chmod 600 "$K/$1"
}
kubeconfig kubeconfig "https://$NODE_IP:6443" "$admin" admin   # the user's (host side)
kubeconfig kcm.kubeconfig https://127.0.0.1:6443 "$kcm" kcm
kubeconfig scheduler.kubeconfig https://127.0.0.1:6443 "$sched" scheduler
kubeconfig kubelet.kubeconfig https://127.0.0.1:6443 "$kubelet" kubelet
kubeconfig proxy.kubeconfig https://127.0.0.1:6443 "$proxy" kube-proxy
ts "PKI and kubeconfigs written to $K"
