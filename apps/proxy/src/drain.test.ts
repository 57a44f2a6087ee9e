import pino from 'pino';
import { parseGoDuration, termination, terminationDrainMs } from './drain';

const silent = pino({ level: 'silent' });

describe('parseGoDuration', () => {
  it.each([
    ['5s', 5000],
    ['500ms', 500],
    ['1m30s', 90_000],
    ['1.5s', 1500],
    ['0s', 0],
    ['0', 0],
  ])('%s → %d ms', (text, ms) => expect(parseGoDuration(text)).toBe(ms));
  it.each(['', '5', 's', '5 s', '-1s', '5x'])('%j is not a duration', (text) => expect(parseGoDuration(text)).toBeUndefined());
});

describe('terminationDrainMs', () => {
  it('reads proxy.istio.io/config terminationDrainDuration, else the fallback', () => {
    expect(terminationDrainMs(JSON.stringify({ terminationDrainDuration: '12s' }), 5000)).toBe(12_000);
    expect(terminationDrainMs(JSON.stringify({ terminationDrainDuration: 'soon' }), 5000)).toBe(5000);
    expect(terminationDrainMs(JSON.stringify({ concurrency: 2 }), 0)).toBe(0);
    expect(terminationDrainMs('not json', 5000)).toBe(5000);
    expect(terminationDrainMs(undefined, 5000)).toBe(5000);
  });
});

describe('termination', () => {
  const fake = () => {
    const events: string[] = [];
    return { events, proxy: { drain: () => events.push('drain'), close: async () => void events.push('proxy closed') }, other: { close: async () => void events.push('ads closed') } };
  };

  it('drains, waits the period, then closes everything', async () => {
    const { events, proxy, other } = fake();
    const started = Date.now();
    await termination(proxy, [other], 300, silent).closable.close();
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(events).toEqual(['drain', 'ads closed', 'proxy closed']);
  });

  it('skipDrain (/quitquitquit) ends the period at once', async () => {
    const { events, proxy, other } = fake();
    const t = termination(proxy, [other], 10_000, silent);
    const started = Date.now();
    const closing = t.closable.close();
    t.skipDrain();
    await closing;
    expect(Date.now() - started).toBeLessThan(1000);
    expect(events).toContain('proxy closed');
  });

  it('a zero period closes without draining', async () => {
    const { events, proxy, other } = fake();
    await termination(proxy, [other], 0, silent).closable.close();
    expect(events).toEqual(['ads closed', 'proxy closed']);
  });
});
