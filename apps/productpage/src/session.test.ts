import { cookieValue, decodeSession, encodeSession } from './session';

describe('session cookie', () => {
  it('round-trips and looks like a Flask cookie', () => {
    const value = encodeSession('k', { user: 'jason' }, 1_700_000_000_000);
    expect(value.startsWith('eyJ1c2VyIjoiamFzb24ifQ.')).toBe(true);
    expect(decodeSession('k', value, 1_700_000_000_000)).toEqual({ user: 'jason' });
  });

  it('rejects other keys, tampering, garbage and expired cookies', () => {
    const value = encodeSession('k', { user: 'jason' }, 1_700_000_000_000);
    expect(decodeSession('other', value, 1_700_000_000_000)).toBeUndefined();
    const tampered = `${Buffer.from('{"user":"admin"}').toString('base64url')}.${value.split('.').slice(1).join('.')}`;
    expect(decodeSession('k', tampered, 1_700_000_000_000)).toBeUndefined();
    expect(decodeSession('k', 'abc', 0)).toBeUndefined();
    expect(decodeSession('k', value, 1_700_000_000_000 + 40 * 24 * 3600 * 1000)).toBeUndefined();
  });

  it('reads a cookie from a Cookie header', () => {
    expect(cookieValue('a=1; session=xyz; b=2', 'session')).toBe('xyz');
    expect(cookieValue('a=1', 'session')).toBeUndefined();
    expect(cookieValue(undefined, 'session')).toBeUndefined();
  });
});
