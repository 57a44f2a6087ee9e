// Writes the Envoy proto descriptor (libs/mesh/xds proto/root.ts) to the file given.
import { writeFileSync } from 'node:fs';
import { envoyDescriptorJson } from '@trellis/mesh-xds';

writeFileSync(process.argv[2] ?? 'envoy-descriptor.json', envoyDescriptorJson());
