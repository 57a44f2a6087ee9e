// Cross-references between the deploy artifacts: manifests ↔ image builds (Tiltfile, skaffold.yaml),
// Services ↔ pod templates, kind's port mappings ↔ the gateway NodePort, Dockerfile COPYs ↔ repo and .dockerignore.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { findDeployDir, loadComponents, type DeployObject } from './deploy-manifests';

const deployDir = findDeployDir({}, __dirname);
const root = path.dirname(deployDir);
const read = (file: string): string => readFileSync(path.join(root, file), 'utf8');
const BOOKINFO = 'samples/bookinfo/platform/kube/bookinfo.yaml';
const ADDONS = ['samples/addons/prometheus.yaml', 'samples/addons/zipkin.yaml', 'samples/addons/kiali.yaml'];
const APPS = ['productpage', 'details', 'reviews', 'ratings', 'control-plane', 'proxy'];

type ContainerPort = { name?: string; containerPort: number };
type Container = { image: string; ports?: ContainerPort[]; env?: Array<{ name: string; value?: string }> };
type PodTemplate = { metadata: { labels?: Record<string, string> }; spec: { containers: Container[]; initContainers?: Container[] } };
type ServicePort = { name?: string; port: number; targetPort?: number | string; nodePort?: number };
type ServiceSpec = { selector?: Record<string, string>; ports: ServicePort[] };

const yamlObjects = (file: string): DeployObject[] =>
  parseAllDocuments(read(file))
    .map((d) => d.toJS() as DeployObject | null)
    .filter((o): o is DeployObject => o !== null);
const componentObjects = async (dir: string): Promise<DeployObject[]> =>
  (await loadComponents(dir)).flatMap((c) => c.manifests.map((m) => m.object));
const template = (o: DeployObject): PodTemplate | undefined => (o['spec'] as { template?: PodTemplate } | undefined)?.template;
const templates = (objects: DeployObject[]): PodTemplate[] => objects.flatMap((o) => template(o) ?? []);
const namespace = (o: DeployObject): string => o.metadata.namespace ?? 'default';
const imageName = (ref: string): string => ref.replace(/:[^/:]+$/, '');
const sorted = (values: Iterable<string>): string[] => [...new Set(values)].sort();

/** Images the manifests need: every (init) container's, plus the sidecar image istiod's injector adds. */
function referencedImages(objects: DeployObject[]): string[] {
  const containers = templates(objects).flatMap((t) => [...t.spec.containers, ...(t.spec.initContainers ?? [])]);
  const proxy = containers.flatMap((c) => c.env ?? []).filter((e) => e.name === 'TRELLIS_PROXY_IMAGE');
  return sorted([...containers.map((c) => c.image), ...proxy.map((e) => e.value ?? '')].map(imageName));
}

/** Image refs the Tiltfile builds: docker_build(_with_restart) and custom_build calls, direct or through a helper taking the ref first. */
function tiltImages(text: string): string[] {
  const builders = ['docker_build', 'docker_build_with_restart', 'custom_build'];
  for (const def of text.matchAll(/^def (\w+)\((\w+)[^)]*\):\n((?:[ \t]+.*\n|\n)*)/gm)) {
    if (new RegExp(`\\b(?:${builders.join('|')})\\(\\s*${def[2]}\\b`).test(def[3] ?? '')) builders.push(def[1] ?? '');
  }
  const loops = [...text.matchAll(/^for (\w+) in \[([^\]]*)\]:/gm)];
  const refs: string[] = [];
  for (const call of text.matchAll(new RegExp(`^[ \\t]*(?:${builders.join('|')})\\(\\s*(['"])([^'"]+)\\1(?:\\s*%\\s*(\\w+))?`, 'gm'))) {
    const [, , format = '', variable] = call;
    if (variable === undefined) {
      refs.push(format);
      continue;
    }
    // `'…%s…' % var` inside `for var in [...]:` (the nearest such loop above the call)
    const loop = loops.filter((l) => l[1] === variable && (l.index ?? 0) < (call.index ?? 0)).pop();
    const items = [...(loop?.[2] ?? '').matchAll(/['"]([^'"]*)['"]/g)].map((m) => m[1] ?? '');
    refs.push(...items.map((item) => format.replace('%s', item)));
  }
  return sorted(refs.map(imageName));
}

/** skaffold.yaml's build.artifacts[].image, top level and for every profile that has artifacts. */
function skaffoldImageSets(text: string): Array<[string, string[]]> {
  type Build = { build?: { artifacts?: Array<{ image: string }> } };
  const config = parse(text) as Build & { profiles?: Array<Build & { name: string }> };
  const sets: Array<[string, Build]> = [['(top level)', config], ...(config.profiles ?? []).map((p): [string, Build] => [`profile ${p.name}`, p])];
  return sets.filter(([, b]) => b.build?.artifacts !== undefined).map(([name, b]) => [name, sorted((b.build?.artifacts ?? []).map((a) => a.image))]);
}

/** Images a skaffold profile adds with `op: add` patches to /build/artifacts. */
function skaffoldAddedImages(text: string, profile: string): string[] {
  type Patch = { op: string; path: string; value?: { image?: string } };
  const config = parse(text) as { profiles?: Array<{ name: string; patches?: Patch[] }> };
  const patches = config.profiles?.find((p) => p.name === profile)?.patches ?? [];
  return sorted(patches.filter((p) => p.op === 'add' && p.path === '/build/artifacts/-').map((p) => imageName(p.value?.image ?? '')));
}

/** Service ports whose targetPort no selected pod template exposes, and Services that select no pod. */
function unservedPorts(objects: DeployObject[]): string[] {
  const problems: string[] = [];
  for (const service of objects.filter((o) => o.kind === 'Service')) {
    const spec = service['spec'] as ServiceSpec;
    const id = `${namespace(service)}/${service.metadata.name}`;
    const selected = objects
      .filter((o) => namespace(o) === namespace(service))
      .flatMap((o) => template(o) ?? [])
      .filter((t) => Object.entries(spec.selector ?? {}).every(([k, v]) => t.metadata.labels?.[k] === v));
    if (selected.length === 0) problems.push(`${id} selects no pod template`);
    for (const port of spec.ports) {
      const target = port.targetPort ?? port.port;
      const exposes = (t: PodTemplate) =>
        t.spec.containers.some((c) => (c.ports ?? []).some((p) => (typeof target === 'number' ? p.containerPort === target : p.name === target)));
      if (!selected.every(exposes)) problems.push(`${id}:${port.name ?? port.port} → ${target} is no containerPort`);
    }
  }
  return problems;
}

/** .dockerignore as Docker reads it: a pattern matching a path or any parent excludes it; the last match wins. */
function dockerignore(file: string): (relative: string) => boolean {
  const glob = (pattern: string) => {
    const tokens = pattern.split(/(\*\*\/|\*\*|\*|\?)/);
    const map: Record<string, string> = { '**/': '(?:.*/)?', '**': '.*', '*': '[^/]*', '?': '[^/]' };
    return new RegExp(`^${tokens.map((t) => map[t] ?? t.replace(/[.+^${}()|[\]\\]/g, '\\$&')).join('')}$`);
  };
  const rules = read(file)
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'))
    .map((l) => ({ exclude: !l.startsWith('!'), re: glob(l.replace(/^!/, '').replace(/^\/+|\/+$/g, '')) }));
  return (relative) => {
    const parts = relative.split('/');
    const prefixes = parts.map((_, i) => parts.slice(0, i + 1).join('/'));
    return rules.reduce((ignored, r) => (prefixes.some((p) => r.re.test(p)) ? r.exclude : ignored), false);
  };
}

/** Every COPY's sources from the build context (not `--from=` stages), `${APP}` expanded over APPS. */
function copySources(dockerfile: string): string[] {
  const lines = read(dockerfile).replace(/\\\n/g, ' ').split('\n');
  const sources = lines
    .map((l) => l.trim().split(/\s+/))
    .filter((t) => t[0]?.toUpperCase() === 'COPY' && !t.some((a) => a.startsWith('--from=')))
    .flatMap((t) => t.slice(1, -1).filter((a) => !a.startsWith('--')));
  const expand = (s: string) => (/\$\{?APP\}?(?!_)/.test(s) ? APPS.map((app) => s.replace(/\$\{?APP\}?(?!_)/g, app)) : [s]);
  return sorted(sources.flatMap(expand).map((s) => s.replace(/\/+$/, '')));
}

/** Repository files a Dockerfile's RUN steps read after `COPY . .` (build outputs and node_modules are made inside). */
function runInputs(dockerfile: string): string[] {
  const run = read(dockerfile).replace(/\\\n/g, ' ').split('\n').filter((l) => /^RUN\s/.test(l));
  const tokens = run.flatMap((l) => l.split(/[\s=]+/));
  return sorted(tokens.filter((t) => /^(?:[\w.-]+\/)*[\w.-]+\.(?:json|mjs|ts|js)$/.test(t) && !/^(?:node_modules|dist)\//.test(t)));
}

/** The apps tools/build/build.mjs bundles, after checking it still enumerates apps/<name>/src/main.ts → dist/apps/<name>/main.js. */
function builtApps(): string[] {
  const script = read('tools/build/build.mjs');
  expect(script).toMatch(/readdirSync\(path\.join\(root, 'apps'\)\)\.filter\(\s*\(name\) => existsSync\(path\.join\(root, 'apps', name, 'src\/main\.ts'\)\)/);
  expect(script).toMatch(/outdir = path\.join\(root, 'dist\/apps', name\)/);
  expect(script).toMatch(/outfile: path\.join\(outdir, 'main\.js'\)/);
  return readdirSync(path.join(root, 'apps')).filter((name) => existsSync(path.join(root, 'apps', name, 'src/main.ts')));
}

describe('deploy artifacts agree with each other', () => {
  it('every image the manifests use is built by the Tiltfile and by each skaffold artifact list, and nothing else is', async () => {
    const used = referencedImages([...(await componentObjects(deployDir)), ...yamlObjects(BOOKINFO)]);
    expect(used).toEqual(expect.arrayContaining(['trellis/proxy', 'trellis/control-plane', 'trellis/examples-bookinfo-reviews']));
    // samples/addons (kubectl apply -f samples/addons) is opt-in: TRELLIS_ADDONS=1 tilt up, skaffold -p addons.
    const addons = referencedImages(ADDONS.flatMap(yamlObjects));
    expect(addons).toEqual(expect.arrayContaining(['trellis/kiali', 'trellis/control-plane']));
    expect(tiltImages(read('Tiltfile'))).toEqual(sorted([...used, ...addons]));
    const skaffold = skaffoldImageSets(read('skaffold.yaml'));
    expect(skaffold.map(([name]) => name)).toContain('(top level)');
    for (const [name, images] of skaffold) expect({ name, images }).toEqual({ name, images: used });
    expect(sorted([...used, ...skaffoldAddedImages(read('skaffold.yaml'), 'addons')])).toEqual(sorted([...used, ...addons]));
  });

  it('every Service selects a pod template in its file set and namespace, and each targetPort is a containerPort of it', async () => {
    const sets: Array<[string, DeployObject[]]> = [
      ['deploy', await componentObjects(deployDir)],
      ['samples/addons', ADDONS.flatMap(yamlObjects)],
      [BOOKINFO, yamlObjects(BOOKINFO)],
    ];
    for (const [, objects] of sets) expect(objects.some((o) => o.kind === 'Service')).toBe(true);
    const problems = sets.flatMap(([name, objects]) => unservedPorts(objects).map((p) => `${name}: ${p}`));
    // istiod's 15012 is served now (the CA), so there is no exception left.
    expect(problems).toEqual([]);
  });

  it("kind's extraPortMappings publish the ingress gateway's http2 (and https) nodePorts, http2 on host port 8080", async () => {
    const gateway = (await componentObjects(deployDir)).find((o) => o.kind === 'Service' && o.metadata.name === 'istio-ingressgateway');
    const nodePort = (name: string) => (gateway?.['spec'] as ServiceSpec | undefined)?.ports.find((p) => p.name === name)?.nodePort;
    type Mapping = { containerPort: number; hostPort: number };
    const kind = parse(read('deploy/kind/cluster.yaml')) as { nodes: Array<{ role: string; extraPortMappings?: Mapping[] }> };
    const mappings = kind.nodes.flatMap((n) => n.extraPortMappings ?? []);
    expect(nodePort('http2')).toBe(30080);
    expect(mappings.find((m) => m.containerPort === nodePort('http2'))?.hostPort).toBe(8080);
    // Every mapping is one of the gateway's nodePorts, and the https nodePort (when set) is mapped too.
    const published = [nodePort('http2'), nodePort('https')].filter((p): p is number => p !== undefined);
    expect(mappings.map((m) => m.containerPort).sort((a, b) => a - b)).toEqual(published.sort((a, b) => a - b));
  });

  it.each([
    // [Dockerfile, some of its COPY sources, some of the files they stand for] (so that the parsing is checked too)
    ['Dockerfile', ['.', '.npmrc', 'tools/docker/trellis-iptables.sh'], ['tools/build/build.mjs', 'tsconfig.base.json', 'apps/proxy/src/main.ts']],
    ['tools/docker/dev.Dockerfile', ['package.json', 'dist/apps/proxy', 'dist/apps/control-plane'], ['dist/apps/reviews/main.js']],
  ])('every COPY source of %s exists (or is a build.mjs output) and is not .dockerignored', (dockerfile, sample, sampleNeeded) => {
    const ignoreFile = existsSync(path.join(root, `${dockerfile}.dockerignore`)) ? `${dockerfile}.dockerignore` : '.dockerignore';
    const ignored = dockerignore(ignoreFile);
    expect([ignored('apps/cli/src/install/deploy-crossref.test.ts'), ignored('dist/apps/cli/main.js'), ignored('dist/x')]).toEqual([true, false, true]);
    const sources = copySources(dockerfile);
    expect(sources).toEqual(expect.arrayContaining(sample));
    const apps = builtApps();
    const distApps = sources.flatMap((s) => /^dist\/apps\/([^/]+)$/.exec(s)?.[1] ?? []);
    expect(distApps.filter((app) => !apps.includes(app))).toEqual([]);
    const needed = sources.flatMap((source) => {
      if (source === '.') return [...runInputs(dockerfile), ...apps.map((app) => `apps/${app}/src/main.ts`), 'libs'];
      return distApps.some((app) => source === `dist/apps/${app}`) ? [`${source}/main.js`] : [source];
    });
    expect(needed).toEqual(expect.arrayContaining(sampleNeeded));
    expect(needed.filter((f) => !f.startsWith('dist/apps/') && !existsSync(path.join(root, f)))).toEqual([]);
    expect(needed.filter(ignored)).toEqual([]);
  });

  it("dev.Dockerfile copies only what the Tiltfile's build context (only=[…]) sends", () => {
    const only = /only=\[([^\]]*)\]/.exec(read('Tiltfile'))?.[1] ?? '';
    const entries = [...only.matchAll(/'([^']*)'(\s*\+\s*app)?/g)].flatMap((m) => (m[2] ? APPS.map((app) => `${m[1] ?? ''}${app}`) : [m[1] ?? '']));
    expect(entries).toEqual(expect.arrayContaining(['package.json', 'dist/apps/proxy']));
    const outside = copySources('tools/docker/dev.Dockerfile').filter((s) => !entries.some((e) => s === e || s.startsWith(`${e}/`)));
    expect(outside).toEqual([]);
  });
});
