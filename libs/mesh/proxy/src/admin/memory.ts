import { getHeapSpaceStatistics } from 'node:v8';

/**
 * Envoy's admin `/memory` (values as decimal strings, like Envoy's proto3 JSON of uint64), filled
 * from Node's allocator: `allocated` = live JS heap + external (Buffers), `heap_size` = the JS heap
 * reserved, `pageheap_free` = reserved but unused, `total_physical_bytes` = RSS. Node's own view of
 * the JS heap follows per V8 space (`v8_heap_spaces`, an addition Envoy does not have).
 */
export function memoryReport(): Record<string, unknown> {
  const m = process.memoryUsage();
  const spaces: Record<string, { used: string; size: string }> = {};
  for (const s of getHeapSpaceStatistics()) spaces[s.space_name] = { used: String(s.space_used_size), size: String(s.physical_space_size) };
  return {
    allocated: String(m.heapUsed + m.external),
    heap_size: String(m.heapTotal),
    pageheap_unmapped: '0',
    pageheap_free: String(Math.max(0, m.heapTotal - m.heapUsed)),
    total_thread_cache: '0',
    total_physical_bytes: String(m.rss),
    v8_heap_spaces: spaces,
  };
}
