import { EmbeddedRelationGraph } from '../../src/adapters/graph/embedded-relation-graph';
import { FIXTURE_NOW } from './graph/career-fixture';
import { relationGraphContract } from './graph/relation-graph-contract';

relationGraphContract('embedded', async () => new EmbeddedRelationGraph({ clock: () => FIXTURE_NOW }));
