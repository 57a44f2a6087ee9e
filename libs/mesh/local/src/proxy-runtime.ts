/**
 * How a proxy's Node runs, as Envoy's memory knobs are part of its deployment: node's flags and the
 * environment it starts with. The one definition: local mode's proxy specs (process-specs.ts) and
 * `npm run bench:proxy` (tools/bench) use it, the Dockerfile's proxy stage mirrors it (`ARG NODE_FLAGS`,
 * `ENV`; proxy-runtime.test.ts holds the two equal). Each knob's RSS effect, measured with bench:proxy,
 * is in docs/observability.md (issue #18: ≤ 60 MB per proxy).
 */
export interface NodeRuntime {
  /** Node/V8 flags before the script. */
  readonly nodeFlags: readonly string[];
  /** Environment read at process start (glibc's malloc). */
  readonly env: Readonly<Record<string, string>>;
}

export const PROXY_NODE_RUNTIME: NodeRuntime = {
  nodeFlags: [
    // One V8 platform worker (background compilation, GC helpers): the proxy is one event loop.
    '--v8-pool-size=1',
  ],
  env: {
    // Two glibc malloc arenas, not 8 per core: every thread that allocates would otherwise get its own.
    MALLOC_ARENA_MAX: '2',
  },
};
