/** Slack incoming-webhook format: `text` for notifications and fallbacks, `blocks` for the message itself. */
import { formatNumber, scopeText, summary, type AlertNotification } from '../notification.js';

const EMOJI = { firing: ':rotating_light:', resolved: ':white_check_mark:', test: ':information_source:' } as const;

/** Slack mrkdwn needs &, < and > escaped in user text. */
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function slackBody(n: AlertNotification): string {
  const unit = (v: number | null) => (v === null ? 'no data' : `${formatNumber(v)}${n.unit === '%' ? '%' : ` ${n.unit}`}`);
  const scope = scopeText(n);
  return JSON.stringify({
    text: esc(summary(n)),
    blocks: [
      {
        type: 'section',
        text: { type: 'mrkdwn', text: `${EMOJI[n.event]} *${n.event.toUpperCase()}*: *${esc(n.rule.name)}*\n${esc(n.condition)}` },
      },
      {
        type: 'section',
        fields: [
          { type: 'mrkdwn', text: `*Value*\n${unit(n.value)}` },
          { type: 'mrkdwn', text: `*Threshold*\n${unit(n.threshold)}` },
          ...(scope ? [{ type: 'mrkdwn', text: `*Scope*\n${esc(scope)}` }] : []),
        ],
      },
      { type: 'actions', elements: [{ type: 'button', text: { type: 'plain_text', text: 'Open in Sightline' }, url: n.url }] },
      {
        type: 'context',
        elements: [{ type: 'mrkdwn', text: `${new Date(n.window.from).toISOString()} – ${new Date(n.window.to).toISOString()}` }],
      },
    ],
  });
}

export function slackHeaders(): Record<string, string> {
  return { 'content-type': 'application/json', 'user-agent': 'sightline-alerts' };
}
