import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { localPodRecord } from './local-pods';
import { planLocalMesh } from './plan';
import { readStackManifests } from './sample-manifests';
import { writeImageBin, IMAGE_PATH } from './sample-image-bin';
import { nodeSampleReadyEndpoints, nodeSampleSpec } from './sample-node-apps';

// Istio's samples/httpbin/sample-client/fortio-deploy.yaml in local mode: apps/fortio's `server`, and `fortio` on the exec PATH.
const ROOT = path.resolve(__dirname, '../../../..');
const OPTIONS = { addressBlock: '127.0.77', gatewayHost: '127.0.0.1', gatewayPort: 8080, gatewayHttpsPort: 8443, namespace: 'default', domainSuffix: 'cluster.local' };

function fortioPod() {
  const manifest = readStackManifests([], [{ file: path.join(ROOT, 'samples/httpbin/sample-client/fortio-deploy.yaml'), namespace: 'default', sidecar: true }]);
  expect(manifest.services[0]).toMatchObject({ name: 'fortio', ports: [{ name: 'http', port: 8080 }] });
  const pod = planLocalMesh(manifest, OPTIONS).pods[0];
  if (pod === undefined) throw new Error('no fortio pod planned');
  return pod;
}

describe('fortio-deploy in local mode', () => {
  it('runs `fortio server` on the pod address behind its sidecar; only the HTTP port is served and waited for', () => {
    const pod = fortioPod();
    expect([pod.app, pod.deployment, pod.sidecar]).toEqual(['fortio', 'fortio-deploy', true]);
    const spec = nodeSampleSpec(pod, '/repo/dist');
    expect(spec).toMatchObject({ script: '/repo/dist/apps/fortio/main.js', args: ['server', '-grpc-port', 'disabled', '-http-port', `${pod.ip}:18080`] });
    expect(nodeSampleReadyEndpoints(pod)).toEqual([{ host: pod.ip, port: 18080 }]);
  });

  it('x exec finds `fortio` on the pod PATH: a wrapper running the built app with this node', () => {
    const state = mkdtempSync(path.join(tmpdir(), 'fortio-bin-'));
    try {
      const pod = fortioPod();
      writeImageBin(state, pod, '/repo/dist', '/opt/node/bin/node');
      const wrapper = path.join(state, 'pods', pod.name, 'bin', 'fortio');
      expect(readFileSync(wrapper, 'utf8')).toBe(`#!/bin/sh\nexec '/opt/node/bin/node' '/repo/dist/apps/fortio/main.js' "$@"\n`);
      expect(statSync(wrapper).mode & 0o111).toBe(0o111);
      const record = localPodRecord(pod, state);
      expect(record.env['PATH']).toBe(`${path.dirname(wrapper)}:${IMAGE_PATH}`);
      expect(record.env['http_proxy']).toBe(`http://${pod.ip}:15001`);
    } finally {
      rmSync(state, { recursive: true, force: true });
    }
  });
});
