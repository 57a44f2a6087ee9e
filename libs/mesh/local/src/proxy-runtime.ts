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
    // V8's memory-over-speed mode: the old generation grows by a smaller factor before a full GC. Without it,
    // once /stats/prometheus stopped allocating a large string per scrape (which forced frequent full GCs),
    // objects promoted by scavenges piled up 8 → 15 MB between full GCs (+4–6 MB RSS on every Bookinfo proxy).
    '--optimize-for-size',
  ],
  env: {
    // Two glibc malloc arenas, not 8 per core: every thread that allocates would otherwise get its own.
    MALLOC_ARENA_MAX: '2',
    // Fixed thresholds turn off glibc's dynamic ones, which after the first large block is freed (a span
    // batch body) keep blocks of up to 32 MB in the heap and free space at its top up to twice that:
    // blocks ≥ 128 KiB are mmapped and unmapped on free, free heap top above 128 KiB goes back (−2–3 MB
    // under load in bench:proxy, no CPU change measurable).
    MALLOC_MMAP_THRESHOLD_: '131072',
    MALLOC_TRIM_THRESHOLD_: '131072',
  },
};
