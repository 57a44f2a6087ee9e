import { canonical, sameStatus, stamp } from './condition-times';

const T0 = '2026-01-01T00:00:00Z';
const T1 = '2026-01-02T00:00:00Z';
const cond = (type: string, status: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({ type, status, reason: type, message: '', observedGeneration: 1, ...extra });

describe('condition times', () => {
  it('keeps a transition time while the status holds, sets now when it flips or appears', () => {
    const previous = {
      conditions: [cond('Accepted', 'True', { lastTransitionTime: T0 }), cond('Programmed', 'False', { lastTransitionTime: T0 })],
      listeners: [{ name: 'http', attachedRoutes: 0, conditions: [cond('Accepted', 'True', { lastTransitionTime: T0 })] }],
    };
    const desired = {
      conditions: [cond('Accepted', 'True'), cond('Programmed', 'True')],
      listeners: [
        { name: 'https', attachedRoutes: 0, conditions: [cond('Accepted', 'True')] },
        { name: 'http', attachedRoutes: 1, conditions: [cond('Accepted', 'True')] },
      ],
    };
    expect(stamp(desired, previous, T1)).toEqual({
      conditions: [cond('Accepted', 'True', { lastTransitionTime: T0 }), cond('Programmed', 'True', { lastTransitionTime: T1 })],
      listeners: [
        { name: 'https', attachedRoutes: 0, conditions: [cond('Accepted', 'True', { lastTransitionTime: T1 })] },
        { name: 'http', attachedRoutes: 1, conditions: [cond('Accepted', 'True', { lastTransitionTime: T0 })] },
      ],
    });
  });

  it('matches route parents by their ref and controller', () => {
    const ref = { group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'gw' };
    const previous = { parents: [{ parentRef: ref, controllerName: 'istio.io/gateway-controller', conditions: [cond('Accepted', 'True', { lastTransitionTime: T0 })] }] };
    const desired = { parents: [{ controllerName: 'istio.io/gateway-controller', parentRef: { name: 'gw', kind: 'Gateway', group: 'gateway.networking.k8s.io' }, conditions: [cond('Accepted', 'True')] }] };
    expect(stamp(desired, previous, T1)).toEqual({ parents: [{ ...desired.parents[0], conditions: [cond('Accepted', 'True', { lastTransitionTime: T0 })] }] });
  });

  it('compares statuses without their transition times or key order', () => {
    expect(sameStatus({ conditions: [cond('A', 'True', { lastTransitionTime: T0 })] }, { conditions: [{ ...cond('A', 'True'), lastTransitionTime: T1 }] })).toBe(true);
    expect(sameStatus({ conditions: [cond('A', 'True')] }, { conditions: [cond('A', 'False')] })).toBe(false);
    expect(canonical({ b: 1, a: [{ d: 2, c: 3 }] })).toBe('{"a":[{"c":3,"d":2}],"b":1}');
  });
});
