import { labelsMatch } from './labels';

describe('labelsMatch', () => {
  it('needs every selector label with the same value; extra labels do not matter', () => {
    expect(labelsMatch({ app: 'a', v: '1' }, { app: 'a', v: '1', x: 'y' })).toBe(true);
    expect(labelsMatch({ app: 'a', v: '2' }, { app: 'a', v: '1' })).toBe(false);
    expect(labelsMatch({ app: 'a' }, {})).toBe(false);
  });

  it('matches everything with an absent or empty selector', () => {
    expect(labelsMatch(undefined, {})).toBe(true);
    expect(labelsMatch({}, { app: 'a' })).toBe(true);
  });

  it('compares own labels only, never Object.prototype members', () => {
    expect(labelsMatch({ toString: 'x' }, {})).toBe(false);
    expect(labelsMatch({ app: '' }, {})).toBe(false);
    expect(labelsMatch({ app: '' }, { app: '' })).toBe(true);
  });
});
