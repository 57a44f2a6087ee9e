/** Render Prometheus's configuration to disk: the rewritten prometheus.yml and a target file per discovery. */
import { access, mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { TrellisError } from '@trellis/shared';
import { renderConfig, type TargetFile } from '../core/rewrite';
import { TargetFileWriter } from './target-file-writer';

export const PROMETHEUS_CONFIG_UNREADABLE = 'PROMETHEUS_CONFIG_UNREADABLE';

export interface RenderOptions {
  configFile: string;
  outputFile: string;
  targetsDir: string;
  namespace: string | undefined;
}

export interface RenderResult {
  files: TargetFile[];
  /** Target files that did not exist and were created empty (`[]`). */
  created: string[];
}

const exists = (path: string): Promise<boolean> =>
  access(path).then(
    () => true,
    () => false,
  );

export async function renderToDisk(options: RenderOptions): Promise<RenderResult> {
  let text: string;
  try {
    text = await readFile(options.configFile, 'utf8');
  } catch (err) {
    throw new TrellisError(PROMETHEUS_CONFIG_UNREADABLE, `cannot read ${options.configFile}`, { path: options.configFile }, { cause: err });
  }
  const rendered = renderConfig(text, {
    targetDir: options.targetsDir,
    source: options.configFile,
    ...(options.namespace === undefined ? {} : { ownNamespace: options.namespace }),
  });
  await mkdir(options.targetsDir, { recursive: true });
  await mkdir(dirname(options.outputFile), { recursive: true });
  const writer = new TargetFileWriter();
  // Empty files first, so Prometheus (and promtool) find every file it names from its first start.
  const created: string[] = [];
  for (const f of rendered.files) {
    if (await exists(f.path)) continue;
    await writer.write(f.path, '[]\n');
    created.push(f.path);
  }
  await writer.write(options.outputFile, rendered.text);
  return { files: rendered.files, created };
}
