// ForceAtlas2 in a web worker (graphology's own supervisor): the graph is drawn at once from its
// starting positions and refined as passes come back, while the page keeps answering the analyst.
// The supervisor builds its worker from a blob URL, which the explorer's CSP allows
// (worker-src 'self' blob:, src/app/explorer-routes.ts).
import type Graph from 'graphology';
import forceAtlas2 from 'graphology-layout-forceatlas2';
import FA2Layout from 'graphology-layout-forceatlas2/worker';

/**
 * Passes for a run: a whole neighbourhood gets more than an expansion, whose new nodes start beside the
 * node they hang from. Off the main thread a pass costs the page nothing, so they do not shrink with
 * the graph (on the main thread 2,000 nodes had to make do with 30).
 */
export const FIRST_PASSES = 100;
export const EXPAND_PASSES = 40;

/** One run at a time over one graph; a new run (an expansion) stops the one before it. */
export class BackgroundLayout {
  private current?: { supervisor: FA2Layout; graph: Graph; onPass: () => void };

  /**
   * Starts `passes` ForceAtlas2 passes on `graph` from its current positions; each pass writes x/y into
   * the graph (one `eachNodeAttributesUpdated` event), `onDone` runs after the last one (not on stop).
   */
  run(graph: Graph, passes: number, onDone: () => void): void {
    this.stop();
    if (graph.order < 2) return onDone();
    const settings = { ...forceAtlas2.inferSettings(graph), barnesHutOptimize: graph.order > 300 };
    const supervisor = new FA2Layout(graph, { settings });
    let done = 0;
    const onPass = () => {
      if (++done < passes) return;
      // This runs inside the supervisor's message handler, which still uses its buffers after the
      // event: stop it now (it ignores what comes back), end its worker once the handler is done.
      this.stop(false);
      setTimeout(() => supervisor.kill(), 0);
      onDone();
    };
    graph.on('eachNodeAttributesUpdated', onPass);
    this.current = { supervisor, graph, onPass };
    supervisor.start();
  }

  get running(): boolean {
    return this.current !== undefined;
  }

  /** Ends the run (and its worker unless `kill` is false); positions stay where the last pass put them. */
  stop(kill = true): void {
    if (!this.current) return;
    const { supervisor, graph, onPass } = this.current;
    this.current = undefined;
    graph.removeListener('eachNodeAttributesUpdated', onPass);
    supervisor.stop();
    if (kill) supervisor.kill();
  }
}
