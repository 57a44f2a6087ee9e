import { containerExitCode, formatBackoff, INITIAL_BACKOFF_STATE, KUBELET_BACKOFF, nextBackoff, type BackoffState } from './restart-backoff';

/** Crashes after running `ranMs` each, on a fake clock: the waits the kubelet would take. */
function waits(ranMs: readonly number[], policy = KUBELET_BACKOFF): number[] {
  let state: BackoffState = INITIAL_BACKOFF_STATE;
  return ranMs.map((ran) => {
    const next = nextBackoff(state, ran, policy);
    state = next.state;
    return next.delayMs;
  });
}

describe('CrashLoopBackOff policy', () => {
  it('waits 10s, 20s, 40s … and stays at 5m', () => {
    expect(waits(Array(8).fill(1000))).toEqual([10_000, 20_000, 40_000, 80_000, 160_000, 300_000, 300_000, 300_000]);
  });

  it('counts restarts', () => {
    let state = INITIAL_BACKOFF_STATE;
    for (let i = 0; i < 3; i++) state = nextBackoff(state, 5, KUBELET_BACKOFF).state;
    expect(state.restarts).toBe(3);
  });

  it('starts over at 10s after a run of 10 minutes, not after 9m59s', () => {
    expect(waits([1000, 1000, 1000, 600_000])).toEqual([10_000, 20_000, 40_000, 10_000]);
    expect(waits([1000, 1000, 1000, 599_999])).toEqual([10_000, 20_000, 40_000, 80_000]);
  });

  it('a smaller first wait (tests, --restart-backoff) doubles the same way, to the same cap', () => {
    const fast = { ...KUBELET_BACKOFF, initialMs: 100 };
    expect(waits(Array(13).fill(0), fast).slice(0, 4)).toEqual([100, 200, 400, 800]);
    expect(waits(Array(13).fill(0), fast)[12]).toBe(300_000);
  });

  it('prints durations as the kubelet does and maps signals to 128+n', () => {
    expect([250, 10_000, 20_000, 300_000, 90_000].map(formatBackoff)).toEqual(['250ms', '10s', '20s', '5m0s', '1m30s']);
    expect(containerExitCode(null, 'SIGKILL', { SIGKILL: 9 })).toBe(137);
    expect(containerExitCode(null, 'SIGTERM', { SIGTERM: 15 })).toBe(143);
    expect(containerExitCode(3, null, {})).toBe(3);
  });
});
