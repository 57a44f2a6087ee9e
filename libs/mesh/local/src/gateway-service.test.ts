import { readFileSync } from 'node:fs';
import path from 'node:path';
import { GATEWAY_HTTP_TARGET_PORT, GATEWAY_HTTPS_TARGET_PORT, GATEWAY_SERVICE } from './gateway-service';
import { readKubeManifest } from './manifest';

describe('the local gateway Service', () => {
  it('is the cluster’s istio-ingressgateway Service (deploy/gateway/service.yaml): names, ports, targets, selector', () => {
    const file = path.resolve(__dirname, '../../../../deploy/gateway/service.yaml');
    const [cluster] = readKubeManifest(readFileSync(file, 'utf8'), file).services;
    expect(GATEWAY_SERVICE).toEqual(cluster);
  });

  it('maps http2 80 → 8080 and https 443 → 8443, the ports local mode publishes', () => {
    const target = (name: string): number | undefined => GATEWAY_SERVICE.ports.find((p) => p.name === name)?.targetPort;
    expect([target('http2'), target('https')]).toEqual([GATEWAY_HTTP_TARGET_PORT, GATEWAY_HTTPS_TARGET_PORT]);
  });
});
