import type { DataSource } from 'typeorm';
import type {
  ApplicationFilter,
  CandidateFilter,
  CandidateSort,
  CompanyFilter,
  JobFilter,
  JobSort,
  NameFilter,
  PlacementFilter,
} from './list-filters';
import type { Application } from './entities/application.entity';
import type { Candidate } from './entities/candidate.entity';
import type { Company } from './entities/company.entity';
import type { Consultant } from './entities/consultant.entity';
import type { Job } from './entities/job.entity';
import type { Occupation } from './entities/occupation.entity';
import type { Placement } from './entities/placement.entity';
import type { Skill } from './entities/skill.entity';
import type { Page, PageArgs } from './pagination';
import { ApplicationRepository } from './repositories/application.repository';
import { CandidateRepository } from './repositories/candidate.repository';
import { CompanyRepository } from './repositories/company.repository';
import { ConsultantRepository } from './repositories/consultant.repository';
import { JobRepository } from './repositories/job.repository';
import { OccupationRepository } from './repositories/occupation.repository';
import { PlacementRepository } from './repositories/placement.repository';
import { SkillRepository } from './repositories/skill.repository';

/**
 * The paginated lists of the hub's records, with their filters and sort orders; each list's
 * statement is built by the record's repository. Throws BAD_USER_INPUT for a bad filter or cursor.
 * `fields` (entity properties) narrows the columns read to those and the keys; undefined reads all.
 */
export class ListService {
  constructor(
    private readonly ds: DataSource,
    private readonly maxPageSize: number,
  ) {}

  candidates(
    filter: CandidateFilter = {},
    sort: CandidateSort | undefined,
    page: PageArgs,
    fields?: ReadonlySet<string>,
  ): Promise<Page<Candidate>> {
    return new CandidateRepository(this.ds).list(filter, sort, page, this.maxPageSize, fields);
  }

  jobs(filter: JobFilter = {}, sort: JobSort | undefined, page: PageArgs, fields?: ReadonlySet<string>): Promise<Page<Job>> {
    return new JobRepository(this.ds).list(filter, sort, page, this.maxPageSize, fields);
  }

  companies(filter: CompanyFilter = {}, page: PageArgs, fields?: ReadonlySet<string>): Promise<Page<Company>> {
    return new CompanyRepository(this.ds).list(filter, page, this.maxPageSize, fields);
  }

  applications(filter: ApplicationFilter = {}, page: PageArgs, fields?: ReadonlySet<string>): Promise<Page<Application>> {
    return new ApplicationRepository(this.ds).list(filter, page, this.maxPageSize, fields);
  }

  placements(filter: PlacementFilter = {}, page: PageArgs, fields?: ReadonlySet<string>): Promise<Page<Placement>> {
    return new PlacementRepository(this.ds).list(filter, page, this.maxPageSize, fields);
  }

  skills(filter: NameFilter = {}, page: PageArgs, fields?: ReadonlySet<string>): Promise<Page<Skill>> {
    return new SkillRepository(this.ds).list(filter, page, this.maxPageSize, fields);
  }

  occupations(filter: NameFilter = {}, page: PageArgs, fields?: ReadonlySet<string>): Promise<Page<Occupation>> {
    return new OccupationRepository(this.ds).list(filter, page, this.maxPageSize, fields);
  }

  consultants(page: PageArgs, fields?: ReadonlySet<string>): Promise<Page<Consultant>> {
    return new ConsultantRepository(this.ds).list(page, this.maxPageSize, fields);
  }
}
