import { useEffect, useMemo, useRef, useState } from 'react';
import Graph from 'graphology';
import Sigma from 'sigma';
import { gqlData } from '../api';
import { href } from '../route';
import { filtered, LABEL_COLOURS, mergeNeighbourhood, RELATION_TYPES, type Filters, type Neighbourhood } from '../graph-model';
import { BackgroundLayout, EXPAND_PASSES, FIRST_PASSES } from '../graph-layout';
import { Status } from './parts';

const NEIGHBOURHOOD = `query Neighbourhood($id: ID!, $depth: Int!, $limit: Int!, $types: [RelationType!]) {
  neighborhood(id: $id, depth: $depth, limit: $limit, types: $types) { truncated nodes { id label props } edges { from to type props } }
}`;

async function fetchNeighbourhood(id: string, depth: number, limit: number, types?: string[]): Promise<Neighbourhood> {
  const d = await gqlData<{ neighborhood: Neighbourhood }>(NEIGHBOURHOOD, { id, depth, limit, types });
  return d.neighborhood;
}

/** Least pause between two redraws of the graph while the layout moves it. */
const REDRAW_MS = 1000;

/**
 * Past this many edges, edges wait for the layout to settle, as they wait for a pan to stop: drawing
 * them is most of a frame's cost (software WebGL), and the layout redraws while the analyst works.
 */
const EDGES_WAIT_PAST = 2000;

export function GraphView({ id, params }: { id: string; params: URLSearchParams }) {
  const depth = Number(params.get('depth') ?? 1);
  const limit = Number(params.get('limit') ?? 150);
  const container = useRef<HTMLDivElement>(null);
  const model = useMemo(() => new Graph({ type: 'directed', multi: true }), [id, depth, limit]);
  // What sigma draws: the model filtered, replaced whenever the filters, the selection or the model change.
  const display = useRef(new Graph({ type: 'directed', multi: true }));
  const [version, setVersion] = useState(0);
  const [status, setStatus] = useState<{ loading: boolean; error?: string; truncated?: boolean }>({ loading: true });
  const [filters, setFilters] = useState<Filters>({ types: new Set(RELATION_TYPES) });
  const [selected, setSelected] = useState<string>(id);
  const [expanded, setExpanded] = useState<Set<string>>(new Set());
  const [find, setFind] = useState('');
  // What sigma draws, mirrored for the status line and the node list (the graph itself is not React state).
  const [shown, setShown] = useState<{ nodes: { id: string; label: string; kind: string; color: string }[]; edges: number }>({
    nodes: [],
    edges: 0,
  });
  const sigma = useRef<Sigma>(null);
  const layoutRun = useMemo(() => new BackgroundLayout(), []);
  const [arranging, setArranging] = useState(false);
  // Passes of a layout to start once the merged graph is drawn (the picture first, then the worker).
  const pendingPasses = useRef<number>(undefined);
  const layoutTimer = useRef(0);
  // Whether sigma draws the graph without its edges (while they wait for the layout).
  const edgesWaiting = useRef(false);

  async function expand(nodeId: string, first = false) {
    setStatus((s) => ({ ...s, loading: true, error: undefined }));
    try {
      const n = await fetchNeighbourhood(nodeId, first ? depth : 1, limit);
      // The worker restarts itself on every node added; one run over the merged graph is what we want.
      layoutRun.stop();
      const m0 = performance.now();
      mergeNeighbourhood(model, n, first ? undefined : nodeId);
      performance.measure('explorer:merge', { start: m0 });
      // Drawn at once from the starting positions; the layout then refines what is on screen.
      setExpanded((s) => new Set(s).add(nodeId));
      setStatus({ loading: false, truncated: n.truncated });
      setVersion((v) => v + 1);
      pendingPasses.current = first ? FIRST_PASSES : EXPAND_PASSES;
      setArranging(true);
    } catch (err) {
      setStatus({ loading: false, error: err instanceof Error ? err.message : String(err) });
    }
  }

  useEffect(() => {
    setExpanded(new Set());
    setSelected(id);
    void expand(id, true);
    return () => {
      layoutRun.stop();
      pendingPasses.current = undefined;
      window.clearTimeout(layoutTimer.current);
      setArranging(false);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [model]);

  // Positions the worker writes into the model reach the drawn graph after a pause (REDRAW_MS or more), with a
  // full refresh: sigma's own refresh on a position event keeps the extent it fitted before, so the
  // graph would drift out of frame and clicks (graphToViewport) would miss what is drawn. Each redraw
  // costs the main thread a frame, so they are spaced out; the last pass is drawn at once (onDone).
  const showPositions = useRef<() => void>(() => undefined);
  useEffect(() => {
    let timer = 0;
    let next = 0;
    const show = () => {
      window.clearTimeout(timer);
      timer = 0;
      const start = performance.now();
      const drawn = sigma.current?.getGraph();
      for (const g of drawn && drawn !== display.current ? [display.current, drawn] : [display.current])
        g.forEachNode((n, a) => {
          if (!model.hasNode(n)) return;
          a.x = model.getNodeAttribute(n, 'x');
          a.y = model.getNodeAttribute(n, 'y');
        });
      sigma.current?.refresh();
      // The pause after a redraw is at least four times what it cost: redraws take at most a fifth of the main thread.
      const end = performance.now();
      next = end + Math.max(REDRAW_MS, 4 * (end - start));
    };
    const onMoved = () => {
      if (!timer) timer = window.setTimeout(show, Math.max(0, next - performance.now()));
    };
    showPositions.current = show;
    model.on('eachNodeAttributesUpdated', onMoved);
    return () => {
      model.removeListener('eachNodeAttributesUpdated', onMoved);
      window.clearTimeout(timer);
    };
  }, [model]);

  /**
   * Gives sigma `g`, or while edges wait for the layout its nodes alone: a graph without edges costs
   * sigma nothing per edge, where hiding them (a reducer) still evaluated each one on every redraw.
   */
  function draw(s: Sigma, g: Graph, layoutRunning: boolean) {
    edgesWaiting.current = layoutRunning && g.size > EDGES_WAIT_PAST;
    const s0 = performance.now();
    s.setGraph(edgesWaiting.current ? g.emptyCopy() : g);
    performance.measure('explorer:set-graph', { start: s0 });
  }

  useEffect(() => {
    // A new graph for sigma each time (not a clear-and-import of the one it draws): importing fires an
    // event per node and edge at sigma, which cost seconds at 2,000 nodes; setGraph processes it once.
    const f0 = performance.now();
    const g = filtered(model, filters, [id]);
    if (g.hasNode(selected)) g.setNodeAttribute(selected, 'highlighted', true);
    g.updateEachNodeAttributes((n, a) => ({
      ...a,
      size: n === selected ? 6 : expanded.has(n) ? 4 : (model.getNodeAttribute(n, 'size') as number),
    }));
    display.current = g;
    performance.measure('explorer:filter', { start: f0 });
    const s = sigma.current;
    if (s) {
      // Past a few thousand edges a pan or zoom redraws nodes only, and edges and labels once it stops.
      const moving = { hideEdgesOnMove: g.size > 2000, hideLabelsOnMove: g.order > 1000 };
      if (s.getSetting('hideEdgesOnMove') !== moving.hideEdgesOnMove || s.getSetting('hideLabelsOnMove') !== moving.hideLabelsOnMove)
        s.setSettings(moving);
      // sigma draws synchronously: the picture is on screen before the layout starts.
      draw(s, g, arranging);
    }
    setShown({
      nodes: g.mapNodes((n, a) => ({ id: n, label: String(a.label), kind: String(a.kind), color: String(a.color) })),
      edges: g.size,
    });
    if (pendingPasses.current !== undefined) {
      const passes = pendingPasses.current;
      pendingPasses.current = undefined;
      // A task later, so the browser shows the frame before the worker's set-up takes the main thread.
      window.clearTimeout(layoutTimer.current);
      layoutTimer.current = window.setTimeout(() => {
        const t0 = performance.now();
        layoutRun.run(model, passes, () => {
          showPositions.current();
          performance.measure('explorer:layout', { start: t0 });
          setArranging(false);
        });
      }, 0);
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [version, filters, selected, expanded, model, id]);

  // Edges back once the layout is done (or away when one starts on a graph drawn with them).
  useEffect(() => {
    const s = sigma.current;
    if (s && edgesWaiting.current !== (arranging && display.current.size > EDGES_WAIT_PAST)) draw(s, display.current, arranging);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [arranging]);

  useEffect(() => {
    if (!container.current) return;
    const i0 = performance.now();
    const s = new Sigma(display.current, container.current, {
      settings: { allowInvalidContainer: true, labelRenderedSizeThreshold: 6 },
    });
    s.on('clickNode', ({ node }) => {
      setSelected(node);
      void expand(node);
    });
    // The first frame with nodes: time to first render for bench:explorer, read from the Performance API.
    s.on('afterRender', () => {
      if (s.getGraph().order > 0 && performance.getEntriesByName('explorer:graph-drawn').length === 0)
        performance.mark('explorer:graph-drawn');
    });
    performance.measure('explorer:sigma-init', { start: i0 });
    sigma.current = s;
    // For the browser tests and bench:explorer, which click and animate what sigma drew.
    (window as unknown as { __explorerSigma?: Sigma }).__explorerSigma = s;
    return () => {
      s.kill();
      sigma.current = null;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [model]);

  const sel = display.current.hasNode(selected)
    ? display.current.getNodeAttributes(selected)
    : model.hasNode(selected)
      ? model.getNodeAttributes(selected)
      : undefined;
  const listed = shown.nodes.filter((n) => !find || n.label.toLowerCase().includes(find.toLowerCase()));
  return (
    <section aria-labelledby="graph-title" className="graph-view">
      <h1 id="graph-title">Relation network</h1>
      <form className="filters" aria-label="Filters" onSubmit={(e) => e.preventDefault()}>
        <fieldset>
          <legend>Relation types</legend>
          {RELATION_TYPES.map((t) => (
            <label key={t} className="check">
              <input
                type="checkbox"
                checked={filters.types.has(t)}
                onChange={(e) => {
                  const types = new Set(filters.types);
                  if (e.target.checked) types.add(t);
                  else types.delete(t);
                  setFilters({ ...filters, types });
                }}
              />
              {t}
            </label>
          ))}
        </fieldset>
        <fieldset>
          <legend>Years</legend>
          <label>
            from{' '}
            <input
              type="number"
              min={1950}
              max={2100}
              value={filters.fromYear ?? ''}
              onChange={(e) => setFilters({ ...filters, fromYear: e.target.value ? Number(e.target.value) : undefined })}
            />
          </label>
          <label>
            to{' '}
            <input
              type="number"
              min={1950}
              max={2100}
              value={filters.toYear ?? ''}
              onChange={(e) => setFilters({ ...filters, toYear: e.target.value ? Number(e.target.value) : undefined })}
            />
          </label>
        </fieldset>
        <p className="legend" aria-label="Legend">
          {Object.entries(LABEL_COLOURS).map(([label, colour]) => (
            <span key={label}>
              <span className="dot" style={{ background: colour }} aria-hidden="true" /> {label}
            </span>
          ))}
        </p>
      </form>
      <p role="status" data-testid="graph-status">
        {status.loading ? 'Loading… ' : ''}
        {shown.nodes.length} nodes, {shown.edges} edges shown ({model.order} loaded){status.truncated ? ' · cut at the limit' : ''}
        {arranging ? ' · arranging…' : ''}
      </p>
      <Status error={status.error} />
      <div className="graph-layout">
        <div
          ref={container}
          className="sigma"
          data-testid="sigma"
          aria-label="Graph of the neighbourhood; the list beside it has the same nodes"
          role="img"
        />
        <aside aria-label="Nodes">
          {sel && (
            <div className="selected" data-testid="selected-node">
              <h2>{String(sel.label)}</h2>
              <p>{String(sel.kind)}</p>
              {sel.kind !== 'School' && <a href={href('record', selected)}>Open record</a>}
            </div>
          )}
          <label htmlFor="find-node">Find a node</label>
          <input id="find-node" value={find} onChange={(e) => setFind(e.target.value)} />
          <ul className="node-list">
            {listed.slice(0, 60).map((n) => (
              <li key={n.id}>
                <button
                  type="button"
                  onClick={() => {
                    setSelected(n.id);
                    void expand(n.id);
                  }}
                  aria-label={`Expand ${n.label}`}
                  disabled={expanded.has(n.id)}
                >
                  {expanded.has(n.id) ? '✓' : '+'}
                </button>{' '}
                <span className="dot" style={{ background: n.color }} aria-hidden="true" />{' '}
                {n.kind === 'School' ? n.label : <a href={href('record', n.id)}>{n.label}</a>}
              </li>
            ))}
          </ul>
          {listed.length > 60 && <p className="hint">{listed.length - 60} more; narrow with “Find a node”.</p>}
        </aside>
      </div>
    </section>
  );
}
