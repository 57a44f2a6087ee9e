/** Milliseconds since the epoch; injected so signing is deterministic in time under test. */
export type Clock = () => number;

export const systemClock: Clock = () => Date.now();
