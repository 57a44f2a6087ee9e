#!/usr/bin/env bash
# Installs the cluster's add-ons (cluster DNS) and waits until they are ready.
set -euo pipefail
source "$(dirname "$0")/../lib.sh"
kubectl -n kube-system create serviceaccount kube-dns --dry-run=client -o yaml | kubectl apply -f - >/dev/null
# Pods are rejected until their ServiceAccount has a token Secret (1.20); wait to avoid ReplicaSet back-off.
waitfor 30 sh -c "kubectl -n kube-system get sa kube-dns -o jsonpath='{.secrets[0].name}' | grep -q ." ||
  die "no token Secret for kube-system/kube-dns"
kubectl -n kube-system create configmap cluster-dns --from-file="$HERE/addons/cluster-dns.js" \
  --dry-run=client -o yaml | kubectl apply -f - >/dev/null
kubectl apply -f "$HERE/addons/cluster-dns.yaml" >/dev/null
kubectl -n kube-system rollout status deploy/cluster-dns --timeout=90s >/dev/null
