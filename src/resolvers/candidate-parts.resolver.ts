import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { Context } from '../context';
import { CandidateSkill } from '../datahub/entities/candidate-skill.entity';
import { Company } from '../datahub/entities/company.entity';
import { Experience } from '../datahub/entities/experience.entity';
import { JobSkill } from '../datahub/entities/job-skill.entity';
import { Occupation } from '../datahub/entities/occupation.entity';
import { Skill } from '../datahub/entities/skill.entity';

@Resolver(() => Experience)
export class ExperienceResolver {
  @FieldResolver(() => Company, { nullable: true, description: 'The employer when it is in the hub' })
  company(@Root() e: Experience, @Ctx() ctx: Context) {
    return e.companyId ? ctx.loaders.company.load(e.companyId) : null;
  }

  @FieldResolver(() => Occupation, { nullable: true })
  occupation(@Root() e: Experience, @Ctx() ctx: Context) {
    return e.occupationId ? ctx.loaders.occupation.load(e.occupationId) : null;
  }
}

@Resolver(() => CandidateSkill)
export class CandidateSkillResolver {
  @FieldResolver(() => Skill)
  skill(@Root() s: CandidateSkill, @Ctx() ctx: Context) {
    return ctx.loaders.skill.load(s.skillId);
  }
}

@Resolver(() => JobSkill)
export class JobSkillResolver {
  @FieldResolver(() => Skill)
  skill(@Root() s: JobSkill, @Ctx() ctx: Context) {
    return ctx.loaders.skill.load(s.skillId);
  }
}
