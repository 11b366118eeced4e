import { ApiKey } from '../hub/entities/api-key.entity';
import { Application } from '../hub/entities/application.entity';
import { ApplicationStageChange } from '../hub/entities/application-stage-change.entity';
import { Candidate } from '../hub/entities/candidate.entity';
import { CandidateSkill } from '../hub/entities/candidate-skill.entity';
import { Company } from '../hub/entities/company.entity';
import { Consultant } from '../hub/entities/consultant.entity';
import { Education } from '../hub/entities/education.entity';
import { Experience } from '../hub/entities/experience.entity';
import { Job } from '../hub/entities/job.entity';
import { JobSkill } from '../hub/entities/job-skill.entity';
import { MatchScore } from '../hub/entities/match-score.entity';
import { Occupation } from '../hub/entities/occupation.entity';
import { OutboxEvent } from '../hub/entities/outbox-event.entity';
import { PersonalDataRead } from '../hub/entities/personal-data-read.entity';
import { MatchScoreModelVersion } from '../hub/entities/match-score-model.entity';
import { Placement } from '../hub/entities/placement.entity';
import { ProjectionCheckpoint, ProjectionFailure } from '../hub/entities/projection-state.entity';
import { Skill } from '../hub/entities/skill.entity';
import { RagConversation, RagTurn } from '../hub/entities/conversation.entity';

/** The data source's entity list (explicit, so tsc output and the test runner load the same classes). */
export const ENTITIES = [
  ApiKey,
  Application,
  ApplicationStageChange,
  Candidate,
  CandidateSkill,
  Company,
  Consultant,
  Education,
  Experience,
  Job,
  JobSkill,
  MatchScore,
  MatchScoreModelVersion,
  Occupation,
  OutboxEvent,
  PersonalDataRead,
  Placement,
  ProjectionCheckpoint,
  ProjectionFailure,
  RagConversation,
  RagTurn,
  Skill,
];
