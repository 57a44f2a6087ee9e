# Prometheus for samples/addons/prometheus.yaml: Debian's prometheus 2.42 (the binary, promtool, the classic web
# UI and console libraries from the Debian package) under Prometheus's image name, laid out as prom/prometheus:
#
#   docker build -f tools/docker/prometheus.Dockerfile -t docker.io/prom/prometheus:v2.42.0 tools/docker
#
# Debian builds it without Kubernetes service discovery: samples/addons/prometheus.yaml pairs it with apps/prometheus-sd,
# which renders kubernetes_sd_configs as file_sd_configs and keeps the target files current (docs/observability.md).
# Classic builder compatible; the context is not used (nothing is copied). Runs as nobody (65534), as prom/prometheus.
ARG BASE_IMAGE=debian:bookworm-slim
FROM ${BASE_IMAGE}
# Skipped when the base already has it (tools/cluster's debian:bookworm-slim: no apt mirror in the cluster).
RUN command -v prometheus >/dev/null 2>&1 \
 || (apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends prometheus \
     && rm -rf /var/lib/apt/lists/*)
RUN mkdir -p /prometheus /etc/prometheus && chown -R 65534:65534 /prometheus
USER 65534:65534
WORKDIR /prometheus
EXPOSE 9090
VOLUME /prometheus
ENTRYPOINT ["/usr/bin/prometheus"]
CMD ["--config.file=/etc/prometheus/prometheus.yml", "--storage.tsdb.path=/prometheus"]
