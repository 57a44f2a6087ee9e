import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { BOOKINFO_WORKLOADS, bookinfoRows } from '../testing/bookinfo-traffic';
import { tableSource } from '../testing/rate-table';
import { bookinfoInventory, testApp } from '../testing/test-app';

const sample = (name: string): unknown => JSON.parse(readFileSync(path.join(__dirname, '../testing/samples', name), 'utf8'));
let app: FastifyInstance;
beforeAll(async () => {
  app = await testApp(tableSource(bookinfoRows()));
});
afterAll(() => app.close());

const get = async (url: string): Promise<{ status: number; body: Record<string, unknown> }> => {
  const res = await app.inject({ method: 'GET', url: `/kiali/api/${url}` });
  return { status: res.statusCode, body: res.json() };
};

describe('health endpoints (§4.11) vs the samples', () => {
  it.each(['app', 'workload', 'service'])('namespaces/default/health?type=%s', async (type) => {
    const res = await get(`namespaces/default/health?type=${type}&rateInterval=60s`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual(sample(`namespaces_default_health_type_${type}_rateInterval_60s.json`));
  });

  it('single items are the unkeyed values; unknown ones are 404 naming them', async () => {
    const app1 = await get('namespaces/default/apps/reviews/health?rateInterval=60s');
    expect(app1.body).toEqual((sample('namespaces_default_health_type_app_rateInterval_60s.json') as Record<string, unknown>)['reviews']);
    const wl = await get('namespaces/default/workloads/reviews-v3/health?rateInterval=60s&type=Deployment');
    expect(wl.body).toEqual((sample('namespaces_default_health_type_workload_rateInterval_60s.json') as Record<string, unknown>)['reviews-v3']);
    const svc = await get('namespaces/default/services/ratings/health?rateInterval=60s');
    expect(svc.body).toEqual((sample('namespaces_default_health_type_service_rateInterval_60s.json') as Record<string, unknown>)['ratings']);
    const missing = await get('namespaces/default/workloads/nope-v1/health');
    expect(missing.status).toBe(404);
    expect(missing.body['error']).toContain('nope-v1');
  });

  it('idle items are present with empty maps; no sidecar means syncedProxies -1 (pitfalls 9, 10)', async () => {
    const idle = { ...BOOKINFO_WORKLOADS[1]!, name: 'idle-v1', app: 'idle', sidecar: false };
    const quiet = await testApp(tableSource([]), bookinfoInventory([...BOOKINFO_WORKLOADS, idle]));
    try {
      const res = await quiet.inject({ url: '/kiali/api/namespaces/default/health?type=workload' });
      expect(res.json()['idle-v1']).toEqual({
        workloadStatus: { name: 'idle-v1', desiredReplicas: 1, currentReplicas: 1, availableReplicas: 1, syncedProxies: -1 },
        requests: { inbound: {}, outbound: {}, healthAnnotations: {} },
      });
      const graph = await quiet.inject({ url: '/kiali/api/namespaces/graph?namespaces=default&graphType=versionedApp&appenders=deadNode,sidecarsCheck,istio' });
      expect(graph.json().elements).toEqual({ nodes: [], edges: [] });
    } finally {
      await quiet.close();
    }
  });
});

describe('metrics endpoints (§4.12)', () => {
  it('namespace metrics: the sample’s shape from filters[] (pitfalls 6, 8)', async () => {
    const res = await get('namespaces/default/metrics?filters[]=request_count&filters[]=request_error_count&queryTime=1796559122&duration=60&step=30&rateInterval=30s&direction=inbound&reporter=destination');
    expect(res.status).toBe(200);
    const expected = sample('namespaces_default_metrics_filters___request_count_filters___request_error_count.json') as Record<string, { labels: object; name: string; datapoints: [number, string][] }[]>;
    expect(Object.keys(res.body).sort()).toEqual(Object.keys(expected).sort());
    const count = res.body['request_count'] as typeof expected['request_count'];
    expect(count).toEqual([{ labels: {}, name: 'request_count', datapoints: [[1796559062, '36.6'], [1796559092, '36.6'], [1796559122, '36.6']] }]);
    expect((res.body['request_error_count'] as typeof count)[0]?.datapoints[0]).toEqual([1796559062, '0.2']);
  });

  it('byLabels[] group the series; histograms give one series per stat', async () => {
    const res = await get('namespaces/default/workloads/reviews-v3/metrics?filters[]=request_count&filters[]=request_duration_millis&byLabels[]=response_code&quantiles[]=0.95&direction=outbound&reporter=source&duration=60&step=60');
    const count = res.body['request_count'] as { labels: Record<string, string> }[];
    expect(count.map((s) => s.labels).sort((a, b) => String(a['response_code']).localeCompare(String(b['response_code'])))).toEqual([{ response_code: '200' }, { response_code: '503' }]);
    const duration = res.body['request_duration_millis'] as { stat: string; labels: Record<string, string> }[];
    expect(duration.map((s) => s.stat)).toEqual(['0.95', '0.95']);
  });

  it('no traffic is an empty array per filter', async () => {
    const res = await get('namespaces/istio-system/metrics?filters[]=tcp_sent&filters[]=tcp_received');
    expect(res.body).toEqual({ tcp_sent: [], tcp_received: [] });
  });
});

describe('graph endpoints', () => {
  it('node drill-down graphs answer for app, version, workload and service nodes', async () => {
    for (const url of ['applications/reviews', 'applications/reviews/versions/v3', 'workloads/reviews-v3', 'services/ratings']) {
      const res = await get(`namespaces/default/${url}/graph?graphType=versionedApp&injectServiceNodes=true&duration=60s&boxBy=app`);
      expect(res.status).toBe(200);
      const workloads = (res.body['elements'] as { nodes: { data: Record<string, unknown> }[] }).nodes.map((n) => n.data['workload']);
      expect(workloads).toContain(url.startsWith('services') ? 'ratings-v1' : 'reviews-v3');
    }
  });

  it('aggregate graphs are empty (Trellis proxies emit no request_operation)', async () => {
    const res = await get('namespaces/default/aggregates/request_operation/GetReviews/graph?graphType=versionedApp');
    expect(res.body['elements']).toEqual({ nodes: [], edges: [] });
  });
});

describe('bad input', () => {
  it.each([
    ['namespaces/graph?graphType=versionedApp', 'namespaces'],
    ['namespaces/graph?namespaces=default&graphType=bogus', 'graphType'],
    ['namespaces/graph?namespaces=default&duration=soon', 'duration'],
    ['namespaces/graph?namespaces=default&queryTime=yesterday', 'queryTime'],
    ['namespaces/graph?namespaces=default&injectServiceNodes=maybe', 'injectServiceNodes'],
    ['namespaces/graph?namespaces=default&boxBy=planet', 'boxBy'],
    ['namespaces/default/metrics?filters[]=request_count&filters[]=bogus', 'filters[]'],
    ['namespaces/default/metrics?quantiles[]=2', 'quantiles[]'],
    ['namespaces/default/metrics?byLabels[]=bad-label', 'byLabels[]'],
    ['namespaces/default/metrics?direction=sideways', 'direction'],
    ['namespaces/default/metrics?step=0', 'step'],
    ['namespaces/default/health?type=pod', 'type'],
    ['namespaces/default/health?rateInterval=fast', 'rateInterval'],
  ])('%s → 400 naming %s', async (url, parameter) => {
    const res = await get(url);
    expect(res.status).toBe(400);
    expect(res.body['error']).toContain(`"${parameter}"`);
  });

  it('unknown namespaces: an empty namespace graph, 404 on per-namespace endpoints', async () => {
    const g = await get('namespaces/graph?namespaces=nope&graphType=versionedApp');
    expect(g.status).toBe(200);
    expect(g.body['elements']).toEqual({ nodes: [], edges: [] });
    for (const url of ['namespaces/nope/health', 'namespaces/nope/metrics', 'namespaces/nope/workloads/x/graph', 'namespaces/nope/apps/x/metrics']) {
      const res = await get(url);
      expect(res.status).toBe(404);
      expect(res.body['error']).toContain('"nope"');
    }
  });
});
