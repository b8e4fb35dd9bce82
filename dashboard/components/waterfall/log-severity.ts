/** How a log record's severity is shown: the sender's text, else the OTel range its number falls in. */
const RANGES = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'] as const;

export type SeverityTone = 'error' | 'warn' | 'plain';

export function severityLabel(severityNumber: number, severityText: string): string {
  if (severityText.trim() !== '') return severityText.trim();
  if (!Number.isInteger(severityNumber) || severityNumber < 1 || severityNumber > 24) return '';
  return RANGES[Math.floor((severityNumber - 1) / 4)]!;
}

/** WARN (13–16) and ERROR/FATAL (17–24) stand out; everything else, unspecified included, is plain. */
export function severityTone(severityNumber: number): SeverityTone {
  if (severityNumber >= 17) return 'error';
  if (severityNumber >= 13) return 'warn';
  return 'plain';
}
