import { describe, expect, it } from 'vitest';
import { keyInputFromForm } from './key-form';

const form = (name: string, scopes: string[]) => {
  const f = new FormData();
  f.set('name', name);
  for (const s of scopes) f.append('scope', s);
  return f;
};

describe('the API-key form', () => {
  it('reads the trimmed name and the checked scopes, once each', () => {
    expect(keyInputFromForm(form('  agents in production ', ['ingest', 'read', 'ingest']))).toEqual({
      ok: true,
      input: { name: 'agents in production', scopes: ['ingest', 'read'] },
    });
  });

  it('names the name field when it is empty or blank', () => {
    expect(keyInputFromForm(form('   ', ['ingest']))).toMatchObject({ ok: false, field: 'name' });
  });

  it('names the scopes when none is checked or one is unknown', () => {
    expect(keyInputFromForm(form('ci', []))).toMatchObject({ ok: false, field: 'scopes' });
    expect(keyInputFromForm(form('ci', ['ingest', 'root']))).toMatchObject({ ok: false, field: 'scopes' });
  });
});
