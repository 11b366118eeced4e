import { Arg, Authorized, Ctx, Field, Float, Int, Mutation, ObjectType, Query, Resolver, FieldResolver, Root } from 'type-graphql';
import type { Context } from '../context';
import { type LinkModel } from '../../network/link-scoring';
import { LINK_KINDS, type LinkKind } from '../../adapters/graph/relation-graph';
import type { EvaluationReport } from '../../network/link-predictor';
import type { SplitArgs } from '../../network/link-prediction.service';
import { LinkKindEnum } from './graph.resolver';

@ObjectType({
  description:
    'One link kind in a training: its labelled examples, and whether its model was stored (it must beat in-degree on the validation window)',
})
class LinkModelKind {
  @Field(() => LinkKindEnum) kind: LinkKind;
  @Field(() => Int, { description: 'New links sampled in the training windows, each with its negatives' }) examples: number;
  @Field({
    description: 'False: the model did not beat in-degree on Hits@50 on the validation window; predictLinks keeps the default heuristic',
  })
  trained: boolean;
  @Field(() => Float, { nullable: true, description: 'Hits@50 of the model fitted before the validation window, on it' })
  validationHits50: number | null;
  @Field(() => Float, { nullable: true, description: 'Hits@50 of the target in-degree alone on the validation window' })
  inDegreeHits50: number | null;
}

@ObjectType({
  description:
    "One kind's REPEAT model (which existing partners a source links to again), trained on repeat links on their own; stored when it beats in-degree and the default heuristic on the validation window",
})
class LinkRepeatModelKind {
  @Field(() => LinkKindEnum) kind: LinkKind;
  @Field(() => Int, { description: "Repeat links sampled in the training windows, each against the source's other existing links" })
  examples: number;
  @Field({ description: 'False: not fitted (see skipped) or not better on the validation window; mode REPEAT keeps the default heuristic' })
  trained: boolean;
  @Field(() => Float, { nullable: true, description: 'MRR of the model fitted before the validation window, on it' })
  validationMrr: number | null;
  @Field(() => Float, { nullable: true, description: 'MRR of the target in-degree alone on the validation window' })
  inDegreeMrr: number | null;
  @Field(() => Float, { nullable: true, description: 'MRR of the default heuristic on the validation window' })
  defaultHeuristicMrr: number | null;
  @Field(() => String, { nullable: true, description: 'Why no model was fitted (too few repeat links); null when one was' })
  skipped: string | null;
}

@ObjectType({ description: 'How one scorer ranks the links formed in the test window (each positive against its sampled negatives)' })
class LinkScorerMetrics {
  @Field(() => LinkKindEnum) kind: LinkKind;
  @Field({
    description:
      'A single heuristic (a feature name; targetInDegree is the in-degree baseline), "default" (the heuristic without a model) or "learned", the model',
  })
  scorer: string;
  @Field(() => Float) auc: number;
  @Field(() => Float) aucpr: number;
  @Field(() => Float) hits10: number;
  @Field(() => Float) hits50: number;
  @Field(() => Float) mrr: number;
  @Field(() => Int) positives: number;
}

@ObjectType({ description: 'Link prediction on the test window after the cut-off: every single heuristic and the model side by side' })
class LinkPredictionEvaluation {
  @Field(() => Int, { nullable: true, description: 'The model evaluated; null when none is trained yet (heuristics only)' })
  modelVersion: number | null;
  @Field(() => Float) seconds: number;
  @Field(() => Int, { description: 'The cut-off evaluated (given, or derived from the data)' }) cutoffYear: number;
  @Field(() => [LinkScorerMetrics]) scores: LinkScorerMetrics[];
  @Field({ description: 'The same as a plain-text table, with a verdict per kind (what `matchhub linkpred eval` prints)' }) table: string;
}

@ObjectType({ description: 'A link-prediction model just trained and stored; predictLinks scores with it from now on' })
class LinkModelTraining {
  @Field(() => Int) version: number;
  @Field({ description: 'Where the server stored it' }) path: string;
  @Field() createdAt: Date;
  @Field(() => Float) seconds: number;
  @Field(() => Int) cutoffYear: number;
  @Field({ description: 'How the cut-off was chosen: "given", or derived from the latest year with moves' }) cutoffFrom: string;
  @Field(() => Int) windowYears: number;
  @Field(() => Int, {
    description:
      'The last training window starts here: the graph as of 1 January of this year gave its features; new links after it the labels',
  })
  featuresAsOf: number;
  @Field(() => [LinkModelKind], { description: 'The new-link models (mode NEW)' }) kinds: LinkModelKind[];
  @Field(() => [LinkRepeatModelKind], { description: 'The repeat-link models (mode REPEAT), for the kinds with repeat links' })
  repeatKinds: LinkRepeatModelKind[];
  /** For the evaluation field. */
  model: LinkModel;
  split: SplitArgs;
}

const toEvaluation = (model: LinkModel | null, report: EvaluationReport): LinkPredictionEvaluation => ({
  modelVersion: model?.version ?? null,
  seconds: report.seconds,
  cutoffYear: report.cutoffYear,
  scores: report.rows.map((r) => ({ ...r, kind: r.kind as LinkKind })),
  table: report.table,
});

const cutoffArg = {
  nullable: true,
  description: 'First year of the test window; training uses the windows before it. Default: the latest year with moves + 1 - windowYears',
};
const kindsArg = { nullable: true, description: 'The link kinds to train or evaluate; default all' };
const windowArg = { defaultValue: 2, description: 'Years per window, 1 to 10' };
const seedArg = { defaultValue: 1, description: 'Negative sampling seed' };

/**
 * Link prediction for admins: what `matchhub linkpred train|eval` do, in the server process (the CLI
 * sends them here while a server owns the embedded data directory). Training reads the whole graph and
 * takes seconds to minutes: over HTTP it is bound by GRAPHQL_TIMEOUT_MS, on the local admin socket not.
 */
@Resolver(() => LinkModelTraining)
export class LinkPredictionResolver {
  @Authorized('admin')
  @Mutation(() => LinkModelTraining, {
    description:
      'Trains a link-prediction model on links formed before the cut-off, stores it as the next version and makes predictLinks use it at once (admin only)',
  })
  async trainLinkPredictor(
    @Arg('cutoffYear', () => Int, cutoffArg) cutoffYear: number | null,
    @Arg('windowYears', () => Int, windowArg) windowYears: number,
    @Arg('seed', () => Int, seedArg) seed: number,
    @Arg('kinds', () => [LinkKindEnum], kindsArg) kinds: LinkKind[] | null,
    @Ctx() ctx: Context,
  ): Promise<LinkModelTraining> {
    const r = await ctx.services.linkPrediction.train({ cutoffYear, windowYears, seed, kinds });
    return {
      version: r.model.version,
      path: r.path,
      createdAt: new Date(r.model.createdAt),
      seconds: r.seconds,
      cutoffYear: r.cutoffYear,
      cutoffFrom: r.cutoffFrom,
      windowYears: r.windowYears,
      featuresAsOf: r.cutoffYear - r.windowYears,
      kinds: LINK_KINDS.filter((k) => r.examples[k] !== undefined).map((kind) => ({
        kind,
        examples: r.examples[kind]!,
        trained: r.model.kinds[kind] !== undefined,
        validationHits50: r.guard[kind]?.learned.hits50 ?? null,
        inDegreeHits50: r.guard[kind]?.inDegree.hits50 ?? null,
      })),
      repeatKinds: LINK_KINDS.filter((k) => r.repeatGuard[k] !== undefined).map((kind) => {
        const g = r.repeatGuard[kind]!;
        const fitted = g.skipped === undefined;
        return {
          kind,
          examples: r.repeatExamples[kind] ?? 0,
          trained: r.model.repeatKinds?.[kind] !== undefined,
          validationMrr: fitted ? g.learned.mrr : null,
          inDegreeMrr: fitted ? g.inDegree.mrr : null,
          defaultHeuristicMrr: fitted ? (g.defaultHeuristic?.mrr ?? null) : null,
          skipped: g.skipped ?? null,
        };
      }),
      model: r.model,
      // The evaluation tests the same cut-off the training chose.
      split: { cutoffYear: r.cutoffYear, windowYears: r.windowYears, seed, kinds },
    };
  }

  @FieldResolver(() => LinkPredictionEvaluation, {
    description: 'The new model against every single heuristic on the test window; computed only when selected (as long again)',
  })
  async evaluation(@Root() training: LinkModelTraining, @Ctx() ctx: Context) {
    const { model, report } = await ctx.services.linkPrediction.evaluate(training.split, training.model);
    return toEvaluation(model, report);
  }

  @Authorized('admin')
  @Query(() => LinkPredictionEvaluation, {
    description:
      'The latest link-prediction model (if any) against every single heuristic on the test window after the cut-off (admin only)',
  })
  async linkPredictionEvaluation(
    @Arg('cutoffYear', () => Int, cutoffArg) cutoffYear: number | null,
    @Arg('windowYears', () => Int, windowArg) windowYears: number,
    @Arg('seed', () => Int, seedArg) seed: number,
    @Arg('kinds', () => [LinkKindEnum], kindsArg) kinds: LinkKind[] | null,
    @Ctx() ctx: Context,
  ) {
    const { model, report } = await ctx.services.linkPrediction.evaluate({ cutoffYear, windowYears, seed, kinds });
    return toEvaluation(model, report);
  }
}
