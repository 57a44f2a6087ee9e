/**
 * The web UIs `trellis dashboard <component>` opens, as istioctl's dashboard command knows them: the label
 * selector that finds the pod (first in the Istio namespace, then `-n`), the UI port (`--ui-port`) and the
 * URL's path. In local mode the runner's addons stand in for the pods (`<state>/addons.json`).
 */
import type { AddonName } from '@trellis/mesh-local';

export interface DashboardComponent {
  /** istioctl's subcommand name. */
  readonly name: string;
  /** How istioctl names it in its messages ("Prometheus"). */
  readonly flavor: string;
  readonly selector: string;
  readonly uiPort: number;
  /** Appended to `http://<address>` (Kiali's UI lives under /kiali). */
  readonly path: string;
  /** The local-mode addon serving it; undefined: local mode has none. */
  readonly localAddon?: AddonName;
  /** For a UI Trellis does not ship (Grafana, Jaeger): what it offers instead, said when none is found. */
  readonly instead?: string;
}

export const DASHBOARD_COMPONENTS: readonly DashboardComponent[] = [
  { name: 'prometheus', flavor: 'Prometheus', selector: 'app.kubernetes.io/name=prometheus', uiPort: 9090, path: '', localAddon: 'prometheus' },
  { name: 'zipkin', flavor: 'Zipkin', selector: 'app=zipkin', uiPort: 9411, path: '', localAddon: 'zipkin' },
  // Trellis's name for the trace store behind samples/addons/zipkin.yaml's `tracing` Service.
  { name: 'tracing', flavor: 'Zipkin', selector: 'app=zipkin', uiPort: 9411, path: '', localAddon: 'zipkin' },
  { name: 'kiali', flavor: 'Kiali', selector: 'app=kiali', uiPort: 20001, path: '/kiali', localAddon: 'kiali' },
  {
    name: 'grafana',
    flavor: 'Grafana',
    selector: 'app.kubernetes.io/name=grafana',
    uiPort: 3000,
    path: '',
    instead: "Trellis ships no Grafana: Kiali charts the same Istio metrics (trellis dashboard kiali) and Prometheus answers PromQL (trellis dashboard prometheus)",
  },
  { name: 'jaeger', flavor: 'Jaeger', selector: 'app=jaeger', uiPort: 16686, path: '', instead: "Trellis ships no Jaeger: its trace store serves the Zipkin API and a trace UI (trellis dashboard zipkin)" },
];

export function dashboardComponent(name: string): DashboardComponent | undefined {
  return DASHBOARD_COMPONENTS.find((c) => c.name === name);
}
