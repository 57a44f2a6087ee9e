/** productpage's Prometheus metrics (own registry): `request_result_total{destination_app,response_code}`. */
import { Counter, Registry } from 'prom-client';

export interface ProductpageMetrics {
  readonly registry: Registry;
  recordResult(destinationApp: string, responseCode: number): void;
}

export function createMetrics(): ProductpageMetrics {
  const registry = new Registry();
  const requestResult = new Counter({
    name: 'request_result_total',
    help: 'Results of requests',
    labelNames: ['destination_app', 'response_code'] as const,
    registers: [registry],
  });
  return {
    registry,
    recordResult(destinationApp, responseCode) {
      requestResult.inc({ destination_app: destinationApp, response_code: String(responseCode) });
    },
  };
}
