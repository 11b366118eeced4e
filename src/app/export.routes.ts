import { once } from 'node:events';
import express, { type Response } from 'express';
import type { Services } from '../api/context';
import { matchScoresCsv, matchScoresParquet } from '../matching/match-score-export';
import { MATCH_SCORE_ROLES } from '../matching/match-scores.service';
import { AppError } from '../shared/errors';
import { expectGlobalId } from '../shared/global-id';
import type { Logger } from '../shared/logger';
import { apiKeyOf, HTTP_KEY_HINT } from './graphql-gate';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function refuse(res: Response, status: number, code: string, message: string) {
  res.status(status).json({ errors: [{ message, extensions: { code } }] });
}

const FORMATS = {
  csv: { type: 'text/csv; charset=utf-8', rows: matchScoresCsv },
  parquet: { type: 'application/vnd.apache.parquet', rows: matchScoresParquet },
} as const;

/**
 * `GET /export/match-scores.csv` and `GET /export/match-scores.parquet`, each `[?jobId=<uuid or Job id>]`: the
 * rows of bi.match_scores, streamed batch by batch (memory stays flat whatever the size; the client's pace sets
 * the reading pace). An API key in `Authorization: Bearer` or `x-api-key`, of a role that may read scores.
 */
export function exportRouter(services: Services, log: Logger): express.Router {
  const router = express.Router();
  router.get(['/export/match-scores.csv', '/export/match-scores.parquet'], async (req, res) => {
    const format = req.path.endsWith('.parquet') ? 'parquet' : 'csv';
    const key = apiKeyOf(req.headers.authorization, req.headers['x-api-key']);
    const viewer = key ? await services.apiKeys.authenticate(key) : null;
    if (!viewer) return refuse(res, 401, 'UNAUTHENTICATED', HTTP_KEY_HINT);
    if (!(MATCH_SCORE_ROLES as readonly string[]).includes(viewer.role)) {
      return refuse(res, 403, 'FORBIDDEN', `role ${viewer.role} may not read match scores (${MATCH_SCORE_ROLES.join(', ')} may)`);
    }
    let jobId: string | null = null;
    const raw = req.query.jobId;
    if (raw !== undefined) {
      try {
        if (typeof raw !== 'string' || raw === '') throw new AppError('BAD_USER_INPUT', 'jobId must be one job id');
        jobId = UUID.test(raw) ? raw.toLowerCase() : expectGlobalId(raw, 'Job');
      } catch (err) {
        if (err instanceof AppError) return refuse(res, 400, 'BAD_USER_INPUT', `jobId: ${err.message}`);
        throw err;
      }
    }
    res.status(200).type(FORMATS[format].type).setHeader('content-disposition', `attachment; filename="match-scores.${format}"`);
    let closed = false;
    res.once('close', () => (closed = true));
    try {
      for await (const chunk of FORMATS[format].rows(services.db.dataSource, { jobId })) {
        if (closed) break;
        if (!res.write(chunk)) await Promise.race([once(res, 'drain'), once(res, 'close')]);
      }
      res.end();
    } catch (err) {
      // The header went out with the first chunk: all that is left is to cut the response short.
      log.error('match score export failed', { err });
      res.destroy();
    }
  });
  return router;
}
