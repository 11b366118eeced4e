import type { ApolloServerPlugin } from '@apollo/server';
import type { DataSource } from 'typeorm';
import type { Context } from '../api/context';
import { PersonalDataAudit } from '../hub/personal-data-audit';
import { personalReadsOf } from '../hub/personal-read-log';
import type { Logger } from '../shared/logger';

/**
 * Writes what a request sent of personal data (noted by @PersonalField, hub/personal-data.ts) to
 * the audit log in one INSERT once the response is complete, before it is sent.
 *
 * Fails open: a failed audit write is logged (error level, with the key and the records, so the gap
 * can be filled in from the log) and the caller still gets the response. Consultants read candidates
 * all day and the audit exists to answer "who saw this" after the fact; refusing every read whenever
 * the audit table is unwritable would take the firm's main tool down for a secondary record, while the
 * data was read from the same database and already assembled. Deployments that must fail closed should
 * alert on this log line.
 */
export function personalDataAuditPlugin(ds: DataSource, log: Logger): ApolloServerPlugin<Context> {
  const audit = new PersonalDataAudit(ds);
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ contextValue }) {
          const reads = personalReadsOf(contextValue).take();
          if (reads.length === 0 || !contextValue.viewer) return;
          try {
            await audit.write(contextValue.viewer, reads);
          } catch (err) {
            log.error('personal-data audit write failed; the response was sent anyway', {
              err,
              keyId: contextValue.viewer.keyId,
              reads,
            });
          }
        },
      };
    },
  };
}
