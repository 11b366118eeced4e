import { GraphQLJSON, GraphQLJSONObject } from 'graphql-scalars';
import {
  Arg,
  Authorized,
  Ctx,
  Field,
  FieldResolver,
  Float,
  ID,
  Int,
  Mutation,
  ObjectType,
  Query,
  registerEnumType,
  Resolver,
  Root,
  Subscription,
} from 'type-graphql';
import type { Context } from '../context';
import type { Role } from '../../shared/roles';
import { toGlobalId, type NodeType } from '../../shared/global-id';
import { redactPersonal } from '../../hub/personal-data';
import { Node } from '../../hub/entities/node.type';
import { toClientError } from '../graphql-errors';
import { eventStream } from '../../rag/event-stream';
import type { RagAnswer as RagAnswerData } from '../../rag/rag.service';
import type { Citation, RagEvent, StepRecord } from '../../rag/types';
import { LOADER } from './node.resolver';

enum RagEventType {
  REASONING = 'REASONING',
  PLAN = 'PLAN',
  STEP_STARTED = 'STEP_STARTED',
  STEP_FINISHED = 'STEP_FINISHED',
  ANSWER = 'ANSWER',
  CITATIONS = 'CITATIONS',
  DONE = 'DONE',
  ERROR = 'ERROR',
}
registerEnumType(RagEventType, {
  name: 'RagEventType',
  description:
    'Order of one askStream: REASONING (phase PLAN)*, PLAN, STEP_STARTED/STEP_FINISHED*, REASONING (phase ANSWER)*, ANSWER*, CITATIONS, then DONE with the stored answer, or ERROR',
});

const RECORD_TYPES: Partial<Record<string, NodeType>> = {
  candidate: 'Candidate',
  job: 'Job',
  company: 'Company',
  skill: 'Skill',
  occupation: 'Occupation',
  consultant: 'Consultant',
  placement: 'Placement',
  application: 'Application',
};

@ObjectType()
class RagPlanStep {
  @Field() id: string;
  @Field() tool: string;
  @Field(() => GraphQLJSONObject, { description: 'As the model wrote them; `$s1.ids` refers to the records step s1 returned' })
  args: Record<string, unknown>;
  @Field(() => String, { nullable: true }) why?: string;
  @Field(() => [String]) dependsOn: string[];
}

@ObjectType()
class RagRecord {
  @Field(() => ID, { description: 'The record UUID (data hub, Weaviate and Neo4j key)' }) uuid: string;
  @Field() type: string;
  @Field() label: string;
  @Field(() => GraphQLJSONObject, { description: "Fields the caller's role may read, as the model saw them" }) fields: Record<
    string,
    unknown
  >;
}

@ObjectType()
class RagStep {
  @Field() stepId: string;
  @Field() tool: string;
  @Field(() => GraphQLJSONObject) args: Record<string, unknown>;
  @Field(() => GraphQLJSONObject, { description: 'Arguments after step references were resolved' }) resolvedArgs: Record<string, unknown>;
  @Field({ description: 'ok, error or skipped' }) status: string;
  @Field(() => String, { nullable: true }) error?: string;
  @Field(() => [RagRecord]) records: RagRecord[];
  @Field(() => GraphQLJSON, { nullable: true, description: 'What the tool found besides records: paths, counts, flows' }) data?: unknown;
  @Field() truncated: boolean;
  @Field() startedAt: string;
  @Field(() => Int) ms: number;
}

@ObjectType({ description: 'A record the answer cites; every citation was returned by a step of this conversation' })
class RagCitation {
  @Field(() => ID) uuid: string;
  @Field(() => ID, { nullable: true, description: 'Global id, for node(id:); null for graph-only records (schools)' }) nodeId:
    | string
    | null;
  @Field() type: string;
  @Field() label: string;
  @Field({ description: 'The step whose result held the record (earlier-N: turn N before this one)' }) stepId: string;
}

@ObjectType()
class RagUsage {
  @Field(() => Int) promptTokens: number;
  @Field(() => Int) completionTokens: number;
  @Field(() => Int) reasoningTokens: number;
  @Field(() => Int) cachedPromptTokens: number;
  @Field(() => Float, { description: 'Estimated from LLM_PRICE_*; 0 when no prices are configured' }) costUsd: number;
  @Field(() => Int, { description: 'LLM requests, retries included' }) requests: number;
}

@ObjectType()
class RagTimings {
  @Field(() => Int) planMs: number;
  @Field(() => Int) toolsMs: number;
  @Field(() => Int) answerMs: number;
  @Field(() => Int) totalMs: number;
}

@ObjectType({ description: 'One answered question: the plan, what each step returned, the answer and the records it cites' })
class RagAnswer {
  @Field(() => ID) turnId: string;
  @Field(() => ID) conversationId: string;
  @Field(() => Int) position: number;
  @Field() question: string;
  @Field({ description: 'Citations are record UUIDs in square brackets; ones no step returned were removed' }) answer: string;
  @Field({ description: "The model's visible reasoning, planning then answering" }) reasoning: string;
  @Field(() => [RagPlanStep]) plan: RagPlanStep[];
  @Field({ description: 'MODEL, REPAIRED (the model fixed an invalid plan), EDITED (rerunRagStep) or FALLBACK (hybrid search)' })
  planSource: string;
  @Field(() => [RagStep]) steps: RagStep[];
  @Field(() => [RagCitation]) citations: RagCitation[];
  @Field(() => [String], { description: 'Ids the model cited that no step returned' }) rejectedCitations: string[];
  @Field(() => RagUsage) usage: RagUsage;
  @Field(() => RagTimings) timings: RagTimings;
  @Field(() => ID, { nullable: true }) rerunOf: string | null;
}

@ObjectType()
class RagConversationView {
  @Field(() => ID) id: string;
  @Field() title: string;
  @Field() createdAt: Date;
  @Field() updatedAt: Date;
  @Field(() => [RagAnswer]) turns: RagAnswer[];
}

@ObjectType()
class RagStreamError {
  @Field() code: string;
  @Field() message: string;
}

@ObjectType({ description: 'One event of askStream; which fields are set depends on `type`' })
class RagStreamEvent {
  @Field(() => RagEventType) type: RagEventType;
  @Field(() => String, { nullable: true, description: 'PLAN or ANSWER, for REASONING' }) phase?: string;
  @Field(() => String, { nullable: true, description: 'A piece of reasoning (REASONING) or answer (ANSWER)' }) text?: string;
  @Field(() => [RagPlanStep], { nullable: true }) plan?: RagPlanStep[];
  @Field(() => String, { nullable: true }) stepId?: string;
  @Field(() => String, { nullable: true }) tool?: string;
  @Field(() => RagStep, { nullable: true }) step?: RagStep;
  @Field(() => [RagCitation], { nullable: true }) citations?: RagCitation[];
  @Field(() => [String], { nullable: true }) rejectedCitations?: string[];
  @Field(() => RagAnswer, { nullable: true, description: 'DONE: the stored turn' }) answer?: RagAnswer;
  @Field(() => RagStreamError, { nullable: true }) error?: RagStreamError;
}

/** Tools already left out what the role may not read; stored turns go through the same check on the way out. */
const toStep = (s: StepRecord, role: Role): RagStep => ({
  stepId: s.stepId,
  tool: s.tool,
  args: s.args,
  resolvedArgs: s.resolvedArgs,
  status: s.status,
  error: s.error,
  records: (s.result?.records ?? []).map((r) => ({ uuid: r.id, type: r.type, label: r.label, fields: redactPersonal(r.fields, role) })),
  data: redactPersonal(s.result?.data ?? null, role),
  truncated: s.result?.truncated ?? false,
  startedAt: s.startedAt,
  ms: Math.round(s.ms),
});

const toCitation = (c: Citation): RagCitation => {
  const type = RECORD_TYPES[c.type];
  return { uuid: c.id, nodeId: type ? toGlobalId(type, c.id) : null, type: c.type, label: c.label, stepId: c.stepId };
};

const toPlan = (steps: { id: string; tool: string; args: Record<string, unknown>; why?: string; dependsOn?: string[] }[]): RagPlanStep[] =>
  steps.map((s) => ({ id: s.id, tool: s.tool, args: s.args, why: s.why, dependsOn: s.dependsOn ?? [] }));

const toAnswer = (a: RagAnswerData, role: Role): RagAnswer => ({
  ...a,
  plan: toPlan(a.plan.steps),
  steps: a.steps.map((s) => toStep(s, role)),
  citations: a.citations.map(toCitation),
});

function toEvent(e: RagEvent, role: Role): RagStreamEvent {
  switch (e.type) {
    case 'REASONING':
      return { type: RagEventType.REASONING, phase: e.phase, text: e.text };
    case 'PLAN':
      return { type: RagEventType.PLAN, plan: toPlan(e.plan.steps) };
    case 'STEP_STARTED':
      return { type: RagEventType.STEP_STARTED, stepId: e.stepId, tool: e.tool };
    case 'STEP_FINISHED':
      return { type: RagEventType.STEP_FINISHED, stepId: e.step.stepId, tool: e.step.tool, step: toStep(e.step, role) };
    case 'ANSWER':
      return { type: RagEventType.ANSWER, text: e.text };
    case 'CITATIONS':
      return { type: RagEventType.CITATIONS, citations: e.citations.map(toCitation), rejectedCitations: e.rejected };
  }
}

const ASK_DESCRIPTION =
  'Answers a question across search, the relation graph and the data hub: the model plans tool calls, MatchHub runs them, ' +
  'the model answers citing the records returned. Pass conversationId to ask a follow-up. UNAVAILABLE when no LLM is configured.';

@Resolver(() => RagCitation)
export class RagCitationResolver {
  @FieldResolver(() => Node, { nullable: true, description: 'The cited record, when it is a data-hub record that still exists' })
  async node(@Root() c: RagCitation, @Ctx() ctx: Context) {
    const type = RECORD_TYPES[c.type];
    if (!type) return null;
    return (ctx.loaders[LOADER[type]] as { load(k: string): Promise<unknown> }).load(c.uuid);
  }
}

@Resolver()
export class RagResolver {
  @Authorized()
  @Mutation(() => RagAnswer, { description: ASK_DESCRIPTION })
  async ask(
    @Arg('question') question: string,
    @Arg('conversationId', () => ID, { nullable: true }) conversationId: string | null,
    @Ctx() ctx: Context,
  ): Promise<RagAnswer> {
    return toAnswer(
      await ctx.services.rag.ask(question, conversationId ?? null, { viewer: ctx.viewer!, signal: ctx.signal }),
      ctx.viewer!.role,
    );
  }

  @Authorized()
  @Mutation(() => RagAnswer, {
    description:
      "Re-runs a stored turn with one step's arguments replaced: that step and the steps after it that use it run again, then the model answers anew",
  })
  async rerunRagStep(
    @Arg('turnId', () => ID) turnId: string,
    @Arg('stepId') stepId: string,
    @Arg('args', () => GraphQLJSONObject) args: Record<string, unknown>,
    @Ctx() ctx: Context,
  ): Promise<RagAnswer> {
    return toAnswer(await ctx.services.rag.rerun(turnId, stepId, args, { viewer: ctx.viewer!, signal: ctx.signal }), ctx.viewer!.role);
  }

  @Authorized()
  @Query(() => RagConversationView, { description: 'A conversation started with this API key, with every turn' })
  async ragConversation(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<RagConversationView> {
    const { conversation, turns } = await ctx.services.rag.conversation(id, ctx.viewer!);
    return {
      id: conversation.id,
      title: conversation.title,
      createdAt: conversation.createdAt,
      updatedAt: conversation.updatedAt,
      turns: turns.map((t) => toAnswer(t, ctx.viewer!.role)),
    };
  }

  @Authorized()
  @Subscription(() => RagStreamEvent, {
    description: `${ASK_DESCRIPTION} Streams reasoning, plan, steps, answer and citations as they happen (graphql-ws on /graphql); completing the subscription cancels the question.`,
    subscribe: ({ args, context }) => {
      const ctx = context as Context;
      const { question, conversationId } = args as { question: string; conversationId?: string | null };
      return eventStream<RagStreamEvent>(async (push, signal) => {
        try {
          const answer = await ctx.services.rag.ask(question, conversationId ?? null, {
            viewer: ctx.viewer!,
            signal,
            emit: (e) => push(toEvent(e, ctx.viewer!.role)),
          });
          push({ type: RagEventType.DONE, answer: toAnswer(answer, ctx.viewer!.role) });
        } catch (err) {
          if (signal.aborted) return;
          // The event carries the error so a client sees code and message in order with the rest of the stream,
          // mapped as over HTTP; rag.service has logged what is masked.
          const { code, message } = toClientError(err);
          push({ type: RagEventType.ERROR, error: { code, message } });
        }
      });
    },
  })
  askStream(
    @Root() event: RagStreamEvent,
    @Arg('question') _question: string,
    @Arg('conversationId', () => ID, { nullable: true }) _conversationId?: string,
  ): RagStreamEvent {
    return event;
  }
}
