import { describe, expect, it } from 'vitest';
import { EXPORTED_SPAN_COLUMNS } from '@sightline/contract';
import { parseCsv } from '../test-support/csv.js';
import { csvCell, CSV_HEADER, exportFileName } from './export-encoding.js';

describe('CSV cells', () => {
  it('leaves plain text and numbers as they are, and null empty', () => {
    expect(csvCell('plain text')).toBe('plain text');
    expect(csvCell(12.5)).toBe('12.5');
    expect(csvCell(null)).toBe('');
  });

  it('quotes a cell holding a quote, comma, CR, LF or outer blanks, with its quotes doubled', () => {
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('line 1\nline 2')).toBe('"line 1\nline 2"');
    expect(csvCell('cr\rhere')).toBe('"cr\rhere"');
    expect(csvCell(' padded ')).toBe('" padded "');
  });

  it('writes maps and arrays as JSON in one cell', () => {
    expect(csvCell({ 'gen_ai.system': 'openai', q: 'a "b", c' })).toBe('"{""gen_ai.system"":""openai"",""q"":""a \\""b\\"", c""}"');
    expect(csvCell(['stop'])).toBe('"[""stop""]"');
  });

  it('reads back to the same values through an RFC 4180 reader', () => {
    const values = ['say "hi"', 'a,b', 'line 1\r\nline 2\n', ' x', '', 'naïve — ✓', '=1+1'];
    const line = `${values.map(csvCell).join(',')}\r\n`;
    expect(parseCsv(line)).toEqual([values]);
  });
});

describe('the export file', () => {
  it('has a header of every exported field, in order', () => {
    expect(CSV_HEADER).toBe(`${EXPORTED_SPAN_COLUMNS.join(',')}\r\n`);
    expect(EXPORTED_SPAN_COLUMNS).toContain('traceId');
    expect(EXPORTED_SPAN_COLUMNS).not.toContain('logs');
  });

  it('is named after the project and the UTC range', () => {
    expect(exportFileName('team-a', Date.UTC(2026, 11, 2, 9, 5, 7), Date.UTC(2026, 11, 2, 10, 0, 0), 'csv')).toBe(
      'sightline-spans-team-a-20261202T090507Z-20261202T100000Z.csv',
    );
  });
});
