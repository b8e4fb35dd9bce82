import { describe, expect, it } from 'vitest';
import { prettyValue } from './value-view';

describe('prettyValue', () => {
  it('re-indents JSON objects and arrays', () => {
    expect(prettyValue('{"a":1,"b":[1,2]}')).toEqual({ text: '{\n  "a": 1,\n  "b": [\n    1,\n    2\n  ]\n}', json: true });
    expect(prettyValue(' [1] ').json).toBe(true);
  });
  it('leaves other text, including markup and broken JSON, exactly as it is', () => {
    expect(prettyValue('<script>alert(1)</script>')).toEqual({ text: '<script>alert(1)</script>', json: false });
    expect(prettyValue('{not json}')).toEqual({ text: '{not json}', json: false });
    expect(prettyValue('42')).toEqual({ text: '42', json: false });
  });
});
