import type { ExtensionProvider, MeshConfig } from '../types/mesh-config';

/** istiod's built-in providers (mesh.go defaults) behind the configured ones: `envoy` (stdout) and `prometheus`. */
export const BUILT_IN_PROVIDERS: readonly ExtensionProvider[] = [
  { name: 'prometheus', prometheus: {} },
  { name: 'envoy', envoyFileAccessLog: { path: '/dev/stdout' } },
];

/** `extensionProviders` by name, case-insensitive as istiod's fetchProvider; then the built-ins. */
export function findExtensionProvider(mesh: MeshConfig, name: string): ExtensionProvider | undefined {
  const lower = name.toLowerCase();
  return (mesh.extensionProviders ?? []).find((p) => p.name.toLowerCase() === lower) ?? BUILT_IN_PROVIDERS.find((p) => p.name === lower);
}
