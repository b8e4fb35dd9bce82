/**
 * The typed client of the collector's scores API (server-side only, like lib/api.ts): scores of a
 * trace or a session, the per-name summary the overview charts, and new scores from the
 * dashboard's feedback form. Responses are parsed with the contract's schemas.
 */
import { ScoreList, ScoreListQuery, ScoresCreated, ScoreSummary, ScoreSummaryQuery, type ScoreInput } from '@sightline/contract';
import { requestCollector, type ParamsOf } from './api';

export type ScoreListParams = ParamsOf<typeof ScoreListQuery>;
export type ScoreSummaryParams = ParamsOf<typeof ScoreSummaryQuery>;

export const scoresApi = {
  /** A session's list includes the scores of its traces (the collector joins them). */
  list: (params: ScoreListParams) => requestCollector({ path: '/api/scores', schema: ScoreList, params }),
  summary: (params: ScoreSummaryParams) => requestCollector({ path: '/api/scores/summary', schema: ScoreSummary, params }),
  create: (body: ScoreInput) => requestCollector({ method: 'POST', path: '/api/scores', schema: ScoresCreated, body }),
};
