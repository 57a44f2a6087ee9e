/**
 * A process that applies (or deletes) config through a FileConfigStore and SIGKILLs itself right
 * after one journal step, as a crash there would. Bundled and run by journal-crash.test.ts:
 *   node child.js <stateDir> <step|none> <apply|delete> <objects.json>
 */
import { readFileSync } from 'node:fs';
import { FileConfigStore } from './file-store';
import type { ConfigRef } from './config-store';

async function main(): Promise<void> {
  const [stateDir, crashAt, op, objectsFile] = process.argv.slice(2) as [string, string, string, string];
  const store = await FileConfigStore.open(stateDir, {
    onJournalStep: (step) => {
      if (step === crashAt) process.kill(process.pid, 'SIGKILL');
    },
  });
  const input = JSON.parse(readFileSync(objectsFile, 'utf8')) as unknown[];
  if (op === 'apply') await store.applyAll(input, { namespace: 'default' });
  else await store.deleteAll(input as ConfigRef[]);
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`${String(err)}\n`);
    process.exit(1);
  },
);
