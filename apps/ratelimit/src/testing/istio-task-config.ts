/** Istio's rate-limit task ConfigMap (ratelimit-config, config.yaml). */
export const ISTIO_TASK_CONFIG = `domain: productpage-ratelimit
descriptors:
  - key: PATH
    value: "/productpage"
    rate_limit:
      unit: minute
      requests_per_unit: 1
  - key: PATH
    rate_limit:
      unit: minute
      requests_per_unit: 100
`;
