import { PassThrough, Readable } from 'node:stream';
import { confirm } from './prompt';

async function ask(input: string | string[]): Promise<{ answer: boolean; shown: string }> {
  const stdout = new PassThrough();
  let shown = '';
  stdout.on('data', (c: Buffer) => (shown += c.toString()));
  const answer = await confirm({ stdin: Readable.from(Array.isArray(input) ? input : [input]), stdout }, 'This will install Trellis into the cluster. Proceed?');
  return { answer, shown };
}

describe('confirm', () => {
  it("shows istioctl's question and proceeds on y / yes in any case", async () => {
    expect(await ask('y\n')).toEqual({ answer: true, shown: 'This will install Trellis into the cluster. Proceed? (y/N) ' });
    expect((await ask('YES\n')).answer).toBe(true);
    expect((await ask(' Y ')).answer).toBe(true);
  });

  it('declines on anything else, an empty line or a closed stdin', async () => {
    for (const input of ['n\n', 'no\n', 'yep\n', '\n', '']) expect((await ask(input)).answer).toBe(false);
  });

  it('reads only the first line', async () => {
    expect((await ask(['n\ny\n'])).answer).toBe(false);
  });
});
