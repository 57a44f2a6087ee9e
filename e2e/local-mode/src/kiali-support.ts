/**
 * Helpers of the Kiali browser test: steady Bookinfo traffic, the Cytoscape instance the Kiali UI draws
 * the graph with (cytoscape keeps it on its container as `_cyreg.cy`), and a record of what went wrong
 * in the page (console errors, uncaught exceptions, 4xx/5xx answers).
 */
import type { Page } from 'playwright-core';

export interface GraphNode {
  id: string;
  nodeType: string;
  app?: string;
  version?: string;
  isBox?: string;
  healthStatus?: string;
}
export interface GraphEdge {
  source: string;
  target: string;
  hasTraffic: boolean;
}
export interface DrawnGraph {
  nodes: GraphNode[];
  edges: GraphEdge[];
}

/** In the page: the data of every Cytoscape node and edge (a string, so no DOM types are needed here). */
const READ_CY = `(() => {
  const holder = Array.from(document.querySelectorAll('div')).find((d) => d._cyreg && d._cyreg.cy);
  if (!holder) return undefined;
  const cy = holder._cyreg.cy;
  return { nodes: cy.nodes().map((n) => n.data()), edges: cy.edges().map((e) => e.data()) };
})()`;

type Data = Record<string, unknown>;
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** The graph as drawn: every Cytoscape node and edge with the data Kiali gave it; undefined before the first draw. */
export async function drawnGraph(page: Page): Promise<DrawnGraph | undefined> {
  const raw = await page.evaluate<{ nodes: Data[]; edges: Data[] } | undefined>(READ_CY);
  if (raw === undefined) return undefined;
  return {
    nodes: raw.nodes.map((d) => ({ id: String(d['id']), nodeType: String(d['nodeType']), app: str(d['app']), version: str(d['version']), isBox: str(d['isBox']), healthStatus: str(d['healthStatus']) })),
    edges: raw.edges.map((d) => ({ source: String(d['source']), target: String(d['target']), hasTraffic: d['hasTraffic'] === true })),
  };
}

/** `reviews v2` for a versioned app node, `reviews` for a service node, `box:reviews` for a box. */
export function label(n: GraphNode): string {
  if (n.isBox !== undefined) return `box:${n.app ?? n.isBox}`;
  if (n.nodeType === 'service') return `svc:${n.app ?? ''}`;
  return `${n.app ?? ''} ${n.version ?? ''}`.trim();
}

/** The edges as `source → target` labels. */
export function edgeLabels(g: DrawnGraph): string[] {
  const byId = new Map(g.nodes.map((n) => [n.id, label(n)]));
  return g.edges.map((e) => `${byId.get(e.source) ?? '?'} → ${byId.get(e.target) ?? '?'}`).sort();
}

/** Records console errors, page exceptions and 4xx/5xx responses of one origin. */
export function watchPage(page: Page, origin: string): { problems: string[] } {
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`exception: ${e.message}`));
  page.on('response', (r) => {
    if (r.url().startsWith(origin) && r.status() >= 400) problems.push(`${r.status()} ${r.request().method()} ${r.url()}`);
  });
  return { problems };
}

/** GETs the page every `everyMs` until stopped (the graph needs a steady rate). */
export function steadyTraffic(url: string, everyMs = 150): { stop(): void } {
  let running = true;
  void (async () => {
    while (running) {
      await fetch(url).then((r) => r.arrayBuffer()).catch(() => undefined);
      await new Promise((r) => setTimeout(r, everyMs));
    }
  })();
  return { stop: () => (running = false) };
}

/** Reloads until `check` holds on the drawn graph (Kiali refreshes its data every 15 s), bounded. */
export async function waitForGraph(page: Page, url: string, check: (g: DrawnGraph) => boolean, timeoutMs: number): Promise<DrawnGraph> {
  const deadline = Date.now() + timeoutMs;
  let last: DrawnGraph | undefined;
  while (Date.now() < deadline) {
    await page.goto(url);
    for (let i = 0; i < 10; i += 1) {
      await page.waitForTimeout(1000);
      last = await drawnGraph(page);
      if (last !== undefined && check(last)) return last;
    }
  }
  throw new Error(`graph not as expected within ${timeoutMs} ms; last drawn edges: ${last === undefined ? 'none' : edgeLabels(last).join(', ')}`);
}
