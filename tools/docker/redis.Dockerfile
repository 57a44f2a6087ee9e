# The Redis of Istio's samples/ratelimit/rate-limit-service.yaml (docker.io/redis:alpine) from Debian's redis-server:
#
#   docker build -f tools/docker/redis.Dockerfile -t docker.io/redis:alpine <any dir>
#
# As the official image runs it: no config file, protected mode off (the Service is the only way in), port 6379,
# no persistence across pod restarts (the sample mounts no volume).
ARG BASE_IMAGE=debian:bookworm-slim
FROM ${BASE_IMAGE}
RUN command -v redis-server >/dev/null 2>&1 \
 || (apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends redis-server && rm -rf /var/lib/apt/lists/*)
USER redis
EXPOSE 6379
ENTRYPOINT ["redis-server", "--bind", "0.0.0.0", "::", "--protected-mode", "no", "--save", "", "--appendonly", "no", "--dir", "/tmp"]
