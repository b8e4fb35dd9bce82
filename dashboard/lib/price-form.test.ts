import { describe, expect, it } from 'vitest';
import { priceFromFields, recomputeFromFields, utcMs } from './price-form';

describe('price form', () => {
  it('reads dates as UTC and leaves optional prices out when empty', () => {
    expect(utcMs('2026-12-01T10:00')).toBe(Date.UTC(2026, 11, 1, 10, 0));
    expect(
      priceFromFields({
        modelPattern: 'gpt-4o*',
        inputPerMTok: '2.5',
        outputPerMTok: '10',
        cacheReadPerMTok: '',
        validFrom: '2026-12-01T00:00',
      }),
    ).toEqual({
      modelPattern: 'gpt-4o*',
      inputPerMTok: 2.5,
      outputPerMTok: 10,
      validFrom: Date.UTC(2026, 11, 1),
    });
  });
  it('passes what is not a number on as typed, for the collector to name the field', () => {
    expect(priceFromFields({ modelPattern: 'm', inputPerMTok: 'abc', outputPerMTok: '1' })).toMatchObject({ inputPerMTok: 'abc' });
    expect(recomputeFromFields({ from: 'yesterday', to: '2026-12-02T00:00' })).toEqual({ from: 'yesterday', to: Date.UTC(2026, 11, 2) });
  });
});
