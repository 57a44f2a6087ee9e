import { assignment } from '../testing/fixtures';
import { withType, emptyResources } from '../resources';
import { diff, withRequested } from './delta-diff';
import { applySubscriptions, DEFAULT_DELTA_LIMITS, newDeltaTypeState } from './delta-state';
import { packType, select } from './packed-set';

const packed = packType(withType(emptyResources(), 'EDS', [assignment('a', ['10.0.0.1', 1]), assignment('b', ['10.0.0.2', 1]), assignment('c', ['10.0.0.3', 1])]), 'EDS');

/** A stream's first EDS request and the change it is answered with. */
function firstAnswer(req: { resource_names_subscribe?: string[]; resource_names_unsubscribe?: string[]; initial_resource_versions?: Record<string, string> }) {
  const state = newDeltaTypeState();
  const update = applySubscriptions(state, 'EDS', { type_url: 'eds', ...req }, packed, DEFAULT_DELTA_LIMITS);
  const next = select(packed, state.wildcard, state.names);
  const base = diff(state.held, next);
  return { state, update, base, change: withRequested(base, update.requested, next, state.names) };
}

describe('a first subscription (delta)', () => {
  it('known names only: subscribed, answered with the shared change (every name sent)', () => {
    const { state, update, base, change } = firstAnswer({ resource_names_subscribe: ['b', 'a', 'b'] });
    expect([...state.names].sort()).toEqual(['a', 'b']);
    expect(update).toMatchObject({ respond: true, initial: true, dropped: 0 });
    expect([...update.requested].sort()).toEqual(['a', 'b']);
    expect(change).toBe(base);
    expect(change.entries.map((e) => e.name).sort()).toEqual(['a', 'b']);
  });

  it('an unknown name among them: remembered, answered as removed (a body of its own)', () => {
    const { state, base, change } = firstAnswer({ resource_names_subscribe: ['a', 'zz'] });
    expect([...state.names].sort()).toEqual(['a', 'zz']);
    expect(change).not.toBe(base);
    expect(change.entries.map((e) => e.name)).toEqual(['a']);
    expect(change.removed).toEqual(['zz']);
  });

  it('initial_resource_versions: a name held at the current version is not resent', () => {
    const version = packed.get('a')!.version;
    const { update, change } = firstAnswer({ resource_names_subscribe: ['a', 'b'], initial_resource_versions: { a: version } });
    expect([...update.requested]).toEqual(['b']);
    expect(change.entries.map((e) => e.name)).toEqual(['b']);
  });

  it('a later plain ACK changes nothing and asks for no response', () => {
    const { state } = firstAnswer({ resource_names_subscribe: ['a'] });
    const names = state.names;
    expect(applySubscriptions(state, 'EDS', { type_url: 'eds', response_nonce: 'n' }, packed, DEFAULT_DELTA_LIMITS)).toMatchObject({ respond: false, dropped: 0 });
    expect(state.names).toBe(names);
  });
});
