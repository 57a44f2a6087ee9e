/**
 * commander reads the proxy's flags once, at start-up; afterwards nothing calls it. A static import
 * would keep it for the process's life (the bundle's top-level binding, `require.cache`, the main
 * module's `children`): its sources, compiled functions and classes, ~0.25 MB of a sidecar's ~8 MB
 * live heap (issue #18). So the proxy requires it here, on first use, and `releaseCommander()` drops
 * every reference the module system holds once the flags are read; the garbage collector does the rest.
 * Requiring it again (a test, another parse) simply loads it afresh.
 */
type Commander = typeof import('commander');

/** commander, loaded on first use (by `readConfig`). */
export function commander(): Commander {
  // Loaded here, not imported: the proxy keeps no binding to it after start-up.
  return require('commander') as Commander;
}

/** commander's InvalidArgumentError (a flag parser's rejection: commander prints `error: option '…' argument '…' is invalid. <message>`). */
export function invalidArgument(message: string): Error {
  return new (commander().InvalidArgumentError)(message);
}

/** A CommanderError, told by its shape (`commander.*` code, exit code) so the check needs no class from a released module. */
export function isCommanderError(err: unknown): err is Error & { readonly code: string; readonly exitCode: number } {
  if (!(err instanceof Error)) return false;
  const { code, exitCode } = err as Error & { code?: unknown; exitCode?: unknown };
  return typeof code === 'string' && code.startsWith('commander.') && typeof exitCode === 'number';
}

interface CachedModule {
  readonly children: CachedModule[];
}

/**
 * Removes the files of package `name` (`…/node_modules/<name>/…`) from a module cache and from every
 * cached module's `children`; returns how many files were dropped. Live objects of the package (an
 * instance someone kept) stay alive as long as they are referenced.
 */
export function releasePackage(cache: Record<string, CachedModule | undefined>, name: string): number {
  const marker = `/node_modules/${name}/`;
  const isPackage = (file: string): boolean => file.replace(/\\/g, '/').includes(marker);
  const dropped = Object.keys(cache).filter(isPackage);
  const droppedModules = new Set(dropped.map((file) => cache[file]));
  for (const file of dropped) delete cache[file];
  for (const mod of Object.values(cache)) {
    if (mod === undefined) continue;
    const kept = mod.children.filter((child) => !droppedModules.has(child));
    if (kept.length !== mod.children.length) mod.children.splice(0, mod.children.length, ...kept);
  }
  return dropped.length;
}

/** Drops commander from Node's module cache once the flags are read (see the top of this file). */
export function releaseCommander(): number {
  return releasePackage(require.cache as Record<string, CachedModule | undefined>, 'commander');
}
