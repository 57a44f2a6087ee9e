import { createInterface } from 'node:readline';
import type { CliIo } from '../io';

/** Reads one line from stdin ('' when it ends first) without keeping the stream open. */
function readLine(stdin: NodeJS.ReadableStream): Promise<string> {
  return new Promise((resolve) => {
    const rl = createInterface({ input: stdin, terminal: false });
    let answered = false;
    rl.once('line', (line) => {
      answered = true;
      rl.close();
      resolve(line);
    });
    rl.once('close', () => {
      if (!answered) resolve('');
    });
  });
}

/** istioctl's confirmation: `<question> (y/N) `; only y / yes (any case) proceeds. */
export async function confirm(io: Pick<CliIo, 'stdin' | 'stdout'>, question: string): Promise<boolean> {
  io.stdout.write(`${question} (y/N) `);
  const answer = (await readLine(io.stdin)).trim();
  return /^y(es)?$/i.test(answer);
}
