/** The runner's stop protocol with a fake stack: first signal stops, second forces, any exit kills. */
import { EventEmitter } from 'node:events';
import { handleStopSignals, type Stoppable } from './signals';

let clock = 0;
function setup(): { emitter: EventEmitter; lines: string[]; exits: number[]; calls: string[]; finishStop: () => void; signals: ReturnType<typeof handleStopSignals> } {
  const emitter = new EventEmitter();
  const lines: string[] = [];
  const exits: number[] = [];
  const calls: string[] = [];
  let finishStop: () => void = () => undefined;
  const run: Stoppable = {
    stop: () => {
      calls.push('stop');
      return new Promise((r) => (finishStop = r));
    },
    kill: () => {
      calls.push('kill');
      return 3;
    },
  };
  clock = 0;
  const signals = handleStopSignals(run, (l) => lines.push(l), (c) => exits.push(c), emitter as unknown as NodeJS.Process, () => clock);
  return { emitter, lines, exits, calls, finishStop: () => finishStop(), signals };
}

const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

describe('stop signals', () => {
  it('during start-up: the first SIGINT stops everything, then exits 130', async () => {
    const s = setup();
    s.emitter.emit('SIGINT', 'SIGINT');
    expect(s.calls).toEqual(['stop']);
    expect(s.lines).toEqual(['Stopping (SIGINT): draining proxies and workloads… (Ctrl-C again to force)']);
    await tick();
    expect(s.exits).toEqual([]); // not before everything is down
    s.finishStop();
    await tick();
    expect(s.lines.at(-1)).toBe('Stopped.');
    expect(s.exits).toEqual([130]);
  });

  it('once ready, a SIGTERM stop exits 0', async () => {
    const s = setup();
    s.signals.ready();
    s.emitter.emit('SIGTERM', 'SIGTERM');
    s.finishStop();
    await tick();
    expect(s.exits).toEqual([0]);
  });

  it('a second signal while stopping SIGKILLs at once and exits', () => {
    const s = setup();
    s.emitter.emit('SIGINT', 'SIGINT');
    clock = 800;
    s.emitter.emit('SIGINT', 'SIGINT');
    expect(s.calls).toEqual(['stop', 'kill']);
    expect(s.lines.at(-1)).toBe('SIGINT again: forced stop, SIGKILL to 3 processes');
    expect(s.exits).toEqual([130]);
  });

  it('one Ctrl-C delivered twice (by the terminal and forwarded by npm) is one stop, not a forced one', () => {
    const s = setup();
    s.emitter.emit('SIGINT', 'SIGINT');
    clock = 5;
    s.emitter.emit('SIGINT', 'SIGINT');
    expect(s.calls).toEqual(['stop']);
    expect(s.exits).toEqual([]);
    clock = 10;
    s.emitter.emit('SIGTERM', 'SIGTERM'); // another signal is another request
    expect(s.calls).toEqual(['stop', 'kill']);
  });

  it('the runner exiting for any reason SIGKILLs what is left; SIGHUP stops too', () => {
    const s = setup();
    s.emitter.emit('exit', 1);
    expect(s.calls).toEqual(['kill']);
    s.emitter.emit('SIGHUP', 'SIGHUP');
    expect(s.calls).toEqual(['kill', 'stop']);
  });
});
