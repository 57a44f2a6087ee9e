export type {
  InventoryWorkload,
  InventoryService,
  KialiInventory,
  Sample,
  Series,
  MetricsSource,
  KialiTrafficOptions,
  PrometheusSourceOptions,
  InProcessSourceOptions,
} from './inventory';
export { kialiTrafficRoutes } from './routes/plugin';
export { prometheusSource } from './sources/prometheus-source';
export { inProcessSource } from './sources/in-process-source';
