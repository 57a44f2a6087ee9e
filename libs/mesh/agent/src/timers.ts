/** The agent's clock and timers, injected so tests drive rotation and back-off exactly. */
export interface AgentTimers {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** Real time; timers are unref'd (a rotation 12 h away must not keep a process alive). */
export const SYSTEM_TIMERS: AgentTimers = {
  now: Date.now,
  setTimeout: (fn, ms) => setTimeout(fn, ms).unref(),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};
