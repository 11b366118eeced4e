import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { Context } from '../context';
import { CandidateSkill } from '../../hub/entities/candidate-skill.entity';
import { Company } from '../../hub/entities/company.entity';
import { Experience } from '../../hub/entities/experience.entity';
import { JobSkill } from '../../hub/entities/job-skill.entity';
import { Occupation } from '../../hub/entities/occupation.entity';
import { Skill } from '../../hub/entities/skill.entity';

@Resolver(() => Experience)
export class ExperienceResolver {
  @FieldResolver(() => Company, { nullable: true, description: 'The employer when it is in the hub' })
  company(@Root() e: Experience, @Ctx() ctx: Context) {
    return ctx.loaders.follow('Experience', 'company', e);
  }

  @FieldResolver(() => Occupation, { nullable: true })
  occupation(@Root() e: Experience, @Ctx() ctx: Context) {
    return ctx.loaders.follow('Experience', 'occupation', e);
  }
}

@Resolver(() => CandidateSkill)
export class CandidateSkillResolver {
  @FieldResolver(() => Skill)
  skill(@Root() s: CandidateSkill, @Ctx() ctx: Context) {
    return ctx.loaders.follow('CandidateSkill', 'skill', s);
  }
}

@Resolver(() => JobSkill)
export class JobSkillResolver {
  @FieldResolver(() => Skill)
  skill(@Root() s: JobSkill, @Ctx() ctx: Context) {
    return ctx.loaders.follow('JobSkill', 'skill', s);
  }
}
