import { ApiKey } from './entities/api-key.entity';
import { Application } from './entities/application.entity';
import { ApplicationStageChange } from './entities/application-stage-change.entity';
import { Candidate } from './entities/candidate.entity';
import { CandidateSkill } from './entities/candidate-skill.entity';
import { Company } from './entities/company.entity';
import { Consultant } from './entities/consultant.entity';
import { Education } from './entities/education.entity';
import { Experience } from './entities/experience.entity';
import { Job } from './entities/job.entity';
import { JobSkill } from './entities/job-skill.entity';
import { Occupation } from './entities/occupation.entity';
import { OutboxEvent } from './entities/outbox-event.entity';
import { PersonalDataRead } from './entities/personal-data-read.entity';
import { Placement } from './entities/placement.entity';
import { ProjectionCheckpoint, ProjectionFailure } from './entities/projection-state.entity';
import { Skill } from './entities/skill.entity';
import { RagConversation, RagTurn } from '../rag/conversation.entity';

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
