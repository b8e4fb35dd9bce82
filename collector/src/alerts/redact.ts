/** How a secret-bearing URL (a Slack incoming webhook) is shown: its origin, then an ellipsis. */
export function redactSecretUrl(url: string): string {
  try {
    return `${new URL(url).origin}/…`;
  } catch {
    return '…';
  }
}
