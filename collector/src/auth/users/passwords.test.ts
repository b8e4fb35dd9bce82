import { describe, expect, it } from 'vitest';
import { DEFAULT_COST, hashPassword, verifyPassword } from './passwords.js';

describe('password hashes', () => {
  it('verify the password they were made from, and nothing else', async () => {
    const hash = await hashPassword('correct horse battery staple');
    expect(await verifyPassword(hash, 'correct horse battery staple')).toBe(true);
    expect(await verifyPassword(hash, 'correct horse battery stapl')).toBe(false);
    expect(await verifyPassword(hash, '')).toBe(false);
  });

  it('are scrypt with the default cost written in, a fresh salt each time, and no trace of the password', async () => {
    const a = await hashPassword('same password here');
    const b = await hashPassword('same password here');
    expect(a).toMatch(new RegExp(`^\\$scrypt\\$ln=${DEFAULT_COST.logN},r=${DEFAULT_COST.r},p=${DEFAULT_COST.p}\\$`));
    expect(a).not.toBe(b);
    expect(a).not.toContain('same password');
    expect(Buffer.from(a.split('$').at(-1)!, 'base64')).toHaveLength(32);
  });

  it('keep verifying after the default cost changes: the cost is read from the hash', async () => {
    const cheaper = await hashPassword('an older account', { logN: 12, r: 8, p: 1 });
    expect(cheaper).toContain('ln=12,r=8,p=1');
    expect(await verifyPassword(cheaper, 'an older account')).toBe(true);
  });

  it('treat the same text in another Unicode form as the same password', async () => {
    const hash = await hashPassword('caf\u00e9 au lait please');
    expect(await verifyPassword(hash, 'cafe\u0301 au lait please')).toBe(true);
  });

  it('match nothing when the stored hash is empty (an SSO-only account) or malformed', async () => {
    expect(await verifyPassword('', 'anything at all')).toBe(false);
    expect(await verifyPassword('$scrypt$ln=99,r=8,p=1$AAAA$AAAA', 'anything at all')).toBe(false);
    expect(await verifyPassword('plain text password', 'plain text password')).toBe(false);
  });
});
