import type { MigrationInterface } from 'typeorm';
import { MatchScoreLinkPrediction1796230000000 } from '../../migrations/1796230000000-MatchScoreLinkPrediction';
import { ApiKeyConsultant1796220000000 } from '../../migrations/1796220000000-ApiKeyConsultant';
import { MatchScoreModels1796210000000 } from '../../migrations/1796210000000-MatchScoreModels';
import { BiViews1796160900000 } from '../../migrations/1796160900000-BiViews';
import { MatchScores1796160828324 } from '../../migrations/1796160828324-MatchScores';
import { OccupationLinks1796200000000 } from '../../migrations/1796200000000-OccupationLinks';
import { OutboxPruned1796140000000 } from '../../migrations/1796140000000-OutboxPruned';
import { PersonalDataReads1796132451490 } from '../../migrations/1796132451490-PersonalDataReads';
import { OutboxCommitOrder1795740000000 } from '../../migrations/1795740000000-OutboxCommitOrder';
import { ProjectionVersion1795676167988 } from '../../migrations/1795676167988-ProjectionVersion';
import { RagConversations1795664640702 } from '../../migrations/1795664640702-RagConversations';
import { ProjectionState1795657132149 } from '../../migrations/1795657132149-ProjectionState';
import { Init1795655916463 } from '../../migrations/1795655916463-Init';

/** Every migration in `migrations/`, oldest first. `npm run migration:generate` appends here. */
export const MIGRATIONS: (new () => MigrationInterface)[] = [
  Init1795655916463,
  ProjectionState1795657132149,
  RagConversations1795664640702,
  ProjectionVersion1795676167988,
  OutboxCommitOrder1795740000000,
  PersonalDataReads1796132451490,
  OutboxPruned1796140000000,
  MatchScores1796160828324,
  BiViews1796160900000,
  OccupationLinks1796200000000,
  MatchScoreModels1796210000000,
  ApiKeyConsultant1796220000000,
  MatchScoreLinkPrediction1796230000000,
];
