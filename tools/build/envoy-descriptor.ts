// Writes the Envoy proto descriptor (libs/mesh/xds proto/root.ts) and the decoder's wire schema
// derived from it (proto/wire-schema.ts) to the files given.
import { writeFileSync } from 'node:fs';
import { envoyDescriptorJson, envoyWireSchema } from '@trellis/mesh-xds';

writeFileSync(process.argv[2] ?? 'envoy-descriptor.json', envoyDescriptorJson());
writeFileSync(process.argv[3] ?? 'envoy-wire-schema.json', JSON.stringify(envoyWireSchema()));
