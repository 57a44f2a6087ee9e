import * as grpc from '@grpc/grpc-js';
import { silentLogger } from '@trellis/shared';
import { ADS_METHOD_PATH, adsServiceDefinition, decodeDiscoveryRequest, type DiscoveryRequest, type DiscoveryResponse } from '../proto/discovery';
import { typeShortOf, type XdsTypeShort } from '../proto/type-urls';
import type { XdsResource, XdsResources } from '../resources';
import { createAdsServer, type AdsServer } from '../server/ads-server';
import { assignment, basicResources, edsCluster, SIDECAR_NODE } from '../testing/fixtures';
import { until } from '../testing/until';
import { createAdsClient, type AdsClient, type AdsProtocol } from './ads-client';

interface Delivery {
  type: XdsTypeShort;
  resources: XdsResource[];
  version: string;
}

describe('ADS client', () => {
  let server: AdsServer | undefined;
  let client: AdsClient | undefined;
  let current: XdsResources;
  let deliveries: Delivery[];
  let reject: ((d: Delivery) => string | undefined) | undefined;

  const startServer = async (address = '127.0.0.1:0'): Promise<number> => {
    server = createAdsServer({ generate: () => current, logger: silentLogger(), debounce: { quietMs: 10, maxMs: 100 } });
    return server.bind(address);
  };

  const startClient = (port: number, protocol: AdsProtocol = 'delta'): AdsClient =>
    createAdsClient({
      target: `127.0.0.1:${port}`,
      node: SIDECAR_NODE,
      logger: silentLogger(),
      protocol,
      backoff: { initialMs: 50, maxMs: 200 },
      onResources: (type, resources, version) => {
        const d = { type, resources, version };
        const why = reject?.(d);
        if (why !== undefined) throw new Error(why);
        deliveries.push(d);
      },
    });

  const synced = (): boolean => {
    const s = server?.syncStatus()[0];
    return s !== undefined && Object.values(s.types).every((t) => t.status === 'SYNCED');
  };

  beforeEach(() => {
    current = basicResources();
    deliveries = [];
    reject = undefined;
  });

  afterEach(async () => {
    client?.close();
    client = undefined;
    await server?.close();
    server = undefined;
  });

  it.each<AdsProtocol>(['delta', 'sotw'])('%s: subscribes CDS+LDS, then EDS/RDS for what they reference, delivering in dependency order and ACKing', async (protocol) => {
    client = startClient(await startServer(), protocol);
    await until(synced);
    const order = deliveries.map((d) => d.type);
    expect(order.indexOf('CDS')).toBeLessThan(order.indexOf('EDS'));
    expect(order.indexOf('LDS')).toBeLessThan(order.indexOf('RDS'));
    expect(deliveries.find((d) => d.type === 'EDS')?.resources).toMatchObject(current.endpoints); // + enum defaults (protocol: TCP)
    expect(deliveries.find((d) => d.type === 'RDS')?.resources.map((r) => r['name'])).toEqual(['r1']);
    expect(client.connected).toBe(true);
    expect(client.ackedVersions().CDS).toBe(server!.syncStatus()[0]!.types.CDS.sentVersion);
  });

  it.each<AdsProtocol>(['delta', 'sotw'])('%s: NACKs a response the consumer rejects and keeps the previous version', async (protocol) => {
    client = startClient(await startServer(), protocol);
    await until(synced);
    const good = client.ackedVersions().CDS;
    reject = (d) => (d.type === 'CDS' && d.resources.some((r) => r['name'] === 'bad') ? 'cluster bad is not allowed' : undefined);
    current = { ...current, clusters: [edsCluster('c1'), edsCluster('bad')] };
    server!.pushNow();
    await until(() => server!.syncStatus()[0]!.types.CDS.lastNack !== undefined);
    const cds = server!.syncStatus()[0]!.types.CDS;
    expect(cds.lastNack?.message).toBe('cluster bad is not allowed');
    expect(cds.ackedVersion).toBe(good);
    expect(client.ackedVersions().CDS).toBe(good);

    current = { ...current, clusters: [edsCluster('c1'), edsCluster('c2')], endpoints: [assignment('c1', ['10.0.0.1', 1]), assignment('c2', ['10.0.0.2', 1])] };
    server!.pushNow();
    await until(() => deliveries.some((d) => d.type === 'EDS' && d.resources.length === 2));
    await until(synced);
  });

  it('sotw: reconnects after the server goes away, re-sending subscriptions and last ACKed versions', async () => {
    const port = await startServer();
    client = startClient(port, 'sotw');
    await until(synced);
    const acked = client.ackedVersions();
    await server!.close();
    server = undefined;
    await until(() => !client!.connected);

    const seen: DiscoveryRequest[] = [];
    const capture = new grpc.Server();
    capture.addService(adsServiceDefinition(), {
      StreamAggregatedResources: (call: grpc.ServerDuplexStream<DiscoveryRequest, DiscoveryResponse>) => {
        call.on('data', (r: DiscoveryRequest) => seen.push(r));
        call.on('error', () => undefined);
      },
    });
    await new Promise<void>((resolve, rejectBind) =>
      capture.bindAsync(`127.0.0.1:${port}`, grpc.ServerCredentials.createInsecure(), (err) => (err ? rejectBind(err) : resolve())),
    );
    try {
      await until(() => seen.length >= 4);
      expect(seen[0]!.node?.id).toBe(SIDECAR_NODE.id);
      const byType = Object.fromEntries(seen.map((r) => [typeShortOf(r.type_url ?? ''), r]));
      for (const type of ['CDS', 'EDS', 'LDS', 'RDS'] as const) {
        expect(byType[type]?.version_info).toBe(acked[type]);
        expect(byType[type]?.response_nonce ?? '').toBe('');
      }
      expect(byType['EDS']?.resource_names).toEqual(['c1']);
      expect(byType['RDS']?.resource_names).toEqual(['r1']);
    } finally {
      client.close();
      client = undefined;
      capture.forceShutdown();
    }
  });

  it('sotw: drops a stream whose response does not parse, and reconnects', async () => {
    const raw = (b: Buffer): Buffer => b;
    const streams: DiscoveryRequest[][] = [];
    const garbage = new grpc.Server();
    garbage.addService(
      { StreamAggregatedResources: { path: ADS_METHOD_PATH, requestStream: true, responseStream: true, requestSerialize: raw, requestDeserialize: raw, responseSerialize: raw, responseDeserialize: raw } },
      {
        StreamAggregatedResources: (call: grpc.ServerDuplexStream<Buffer, Buffer>) => {
          const seen: DiscoveryRequest[] = [];
          streams.push(seen);
          call.on('data', (r: Buffer) => seen.push(decodeDiscoveryRequest(r)));
          call.on('error', () => undefined);
          call.write(Buffer.from([0x0a, 0xff])); // field 1 (version_info), 255 bytes long: truncated
        },
      },
    );
    const port = await new Promise<number>((resolve, rejectBind) =>
      garbage.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, p) => (err ? rejectBind(err) : resolve(p))),
    );
    try {
      client = startClient(port, 'sotw');
      await until(() => streams.length >= 2 && streams[1]!.length >= 2);
      expect(streams[1]![0]!.node?.id).toBe(SIDECAR_NODE.id); // a fresh stream, node re-sent
      expect(deliveries).toEqual([]);
      expect(client.connected).toBe(false);
    } finally {
      client?.close();
      client = undefined;
      garbage.forceShutdown();
    }
  });
});
