// Writes the Envoy proto descriptor (libs/mesh/xds proto/root.ts) into each directory given.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { ENVOY_DESCRIPTOR_FILE, envoyDescriptorJson } from '@trellis/mesh-xds';

const json = envoyDescriptorJson();
for (const dir of process.argv.slice(2)) writeFileSync(path.join(dir, ENVOY_DESCRIPTOR_FILE), json);
