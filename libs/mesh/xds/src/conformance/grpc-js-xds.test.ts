/**
 * Conformance: the real @grpc/grpc-js-xds client resolves `xds:///hello:50051` through our ADS
 * server (proxyless flavour, mesh-internals §7.3) and follows an endpoint change pushed later.
 */
import * as grpc from '@grpc/grpc-js';
import type { ProxyInfo } from '@trellis/mesh-api';
import { silentLogger } from '@trellis/shared';
import { HCM_TYPE, ROUTER_TYPE } from '@trellis/mesh-envoy';
import type { XdsResources } from '../resources';
import { createAdsServer, type AdsServer } from '../server/ads-server';
import { until } from '../testing/until';

const LISTENER = 'hello:50051';
const CLUSTER = 'outbound|50051||hello.default.svc.cluster.local';
const ROUTE = 'hello-route';
const METHOD = '/hello.Greeter/SayHello';

const raw = (b: Buffer): Buffer => b;
const HELLO_SERVICE: grpc.ServiceDefinition = {
  SayHello: { path: METHOD, requestStream: false, responseStream: false, requestSerialize: raw, requestDeserialize: raw, responseSerialize: raw, responseDeserialize: raw },
};

/** A backend answering every call with its own name. */
async function startBackend(name: string): Promise<{ server: grpc.Server; port: number }> {
  const server = new grpc.Server();
  server.addService(HELLO_SERVICE, {
    SayHello: (_call: grpc.ServerUnaryCall<Buffer, Buffer>, cb: grpc.sendUnaryData<Buffer>) => cb(null, Buffer.from(name)),
  });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))),
  );
  return { server, port };
}

/** Hand-built gRPC-flavour resources: ApiListener + RDS, ROUND_ROBIN EDS cluster, weighted locality. */
function proxylessResources(endpointPort: number): XdsResources {
  return {
    listeners: [
      {
        name: LISTENER,
        api_listener: {
          api_listener: {
            '@type': HCM_TYPE,
            rds: { route_config_name: ROUTE, config_source: { ads: {}, resource_api_version: 'V3' } },
            http_filters: [{ name: 'envoy.filters.http.router', typed_config: { '@type': ROUTER_TYPE } }],
          },
        },
      },
    ],
    routes: [
      {
        name: ROUTE,
        virtual_hosts: [
          {
            name: 'hello',
            domains: [LISTENER, 'hello'],
            routes: [{ match: { prefix: '' }, route: { weighted_clusters: { clusters: [{ name: CLUSTER, weight: { value: 100 } }], total_weight: { value: 100 } } } }],
          },
        ],
      },
    ],
    clusters: [
      { name: CLUSTER, type: 'EDS', lb_policy: 'ROUND_ROBIN', eds_cluster_config: { eds_config: { ads: {}, resource_api_version: 'V3' }, service_name: CLUSTER } },
    ],
    endpoints: [
      {
        cluster_name: CLUSTER,
        endpoints: [
          {
            locality: { region: 'local', zone: 'a' },
            load_balancing_weight: { value: 1 },
            lb_endpoints: [{ endpoint: { address: { socket_address: { address: '127.0.0.1', port_value: endpointPort } } }, health_status: 'HEALTHY' }],
          },
        ],
      },
    ],
  };
}

function call(client: grpc.Client): Promise<string> {
  return new Promise((resolve, reject) => {
    client.makeUnaryRequest(METHOD, raw, raw, Buffer.from('hi'), { deadline: Date.now() + 3000 }, (err, res) => (err || !res ? reject(err) : resolve(res.toString())));
  });
}

describe('@grpc/grpc-js-xds against our ADS server', () => {
  let ads: AdsServer;
  const backends: grpc.Server[] = [];
  let client: grpc.Client | undefined;
  const seen: ProxyInfo[] = [];

  afterAll(async () => {
    client?.close();
    for (const b of backends) b.forceShutdown();
    await ads?.close();
  });

  it('resolves xds:///hello:50051, calls it, and follows a pushed endpoint change', async () => {
    const a = await startBackend('backend-a');
    const b = await startBackend('backend-b');
    backends.push(a.server, b.server);
    let endpointPort = a.port;
    ads = createAdsServer({
      generate: (proxy) => {
        seen.push(proxy);
        return proxylessResources(endpointPort);
      },
      logger: silentLogger(),
      debounce: { quietMs: 20, maxMs: 200 },
    });
    const adsPort = await ads.bind('127.0.0.1:0');
    process.env['GRPC_XDS_BOOTSTRAP_CONFIG'] = JSON.stringify({
      xds_servers: [{ server_uri: `127.0.0.1:${adsPort}`, channel_creds: [{ type: 'insecure' }], server_features: ['xds_v3'] }],
      node: {
        id: 'sidecar~127.0.0.1~hello-client-1.default~default.svc.cluster.local',
        cluster: 'conformance',
        locality: {},
        metadata: { GENERATOR: 'grpc', NAMESPACE: 'default' },
      },
    });
    (require('@grpc/grpc-js-xds') as { register(): void }).register();
    client = new grpc.Client(`xds:///${LISTENER}`, grpc.credentials.createInsecure());

    expect(await call(client)).toBe('backend-a');
    expect(seen[0]).toMatchObject({ generator: 'grpc', namespace: 'default', workloadName: 'hello-client-1' });
    await until(() => Object.values(ads.syncStatus()[0]!.types).every((t) => t.status === 'SYNCED'));

    endpointPort = b.port;
    ads.push('endpoints moved');
    const deadline = Date.now() + 10_000;
    let answer = await call(client);
    while (answer !== 'backend-b' && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
      answer = await call(client);
    }
    expect(answer).toBe('backend-b');
    await until(() => ads.syncStatus()[0]!.types.EDS.status === 'SYNCED');
    expect(ads.syncStatus()[0]!.types.EDS.lastNack).toBeUndefined();
  }, 30_000);
});
