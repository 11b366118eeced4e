import { useEffect, useMemo, useRef, useState } from 'react';
import Graph from 'graphology';
import Sigma from 'sigma';
import { gqlData } from '../api';
import { href } from '../route';
import { filtered, LABEL_COLOURS, layout, mergeNeighbourhood, RELATION_TYPES, type Filters, type Neighbourhood } from '../graph-model';
import { Status } from './parts';

const NEIGHBOURHOOD = `query Neighbourhood($id: ID!, $depth: Int!, $limit: Int!, $types: [RelationType!]) {
  neighborhood(id: $id, depth: $depth, limit: $limit, types: $types) { truncated nodes { id label props } edges { from to type props } }
}`;

async function fetchNeighbourhood(id: string, depth: number, limit: number, types?: string[]): Promise<Neighbourhood> {
  const d = await gqlData<{ neighborhood: Neighbourhood }>(NEIGHBOURHOOD, { id, depth, limit, types });
  return d.neighborhood;
}

export function GraphView({ id, params }: { id: string; params: URLSearchParams }) {
  const depth = Number(params.get('depth') ?? 1);
  const limit = Number(params.get('limit') ?? 150);
  const container = useRef<HTMLDivElement>(null);
  const model = useMemo(() => new Graph({ type: 'directed', multi: true }), [id, depth, limit]);
  const display = useMemo(() => new Graph({ type: 'directed', multi: true }), []);
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

  async function expand(nodeId: string, first = false) {
    setStatus((s) => ({ ...s, loading: true, error: undefined }));
    try {
      const n = await fetchNeighbourhood(nodeId, first ? depth : 1, limit);
      mergeNeighbourhood(model, n, first ? undefined : nodeId);
      const t0 = performance.now();
      layout(model, first ? 100 : 40, first ? 60_000 : 24_000);
      performance.measure('explorer:layout', { start: t0 });
      setExpanded((s) => new Set(s).add(nodeId));
      setStatus({ loading: false, truncated: n.truncated });
      setVersion((v) => v + 1);
    } catch (err) {
      setStatus({ loading: false, error: err instanceof Error ? err.message : String(err) });
    }
  }

  useEffect(() => {
    setExpanded(new Set());
    setSelected(id);
    void expand(id, true);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [model]);

  useEffect(() => {
    const f = filtered(model, filters, [id]);
    display.clear();
    display.import(f.export());
    if (display.hasNode(selected)) display.setNodeAttribute(selected, 'highlighted', true);
    display.forEachNode((n) =>
      display.setNodeAttribute(n, 'size', n === selected ? 6 : expanded.has(n) ? 4 : (model.getNodeAttribute(n, 'size') as number)),
    );
    // Sigma keeps the graph's extent from before a clear-and-import until told: without this refresh its
    // coordinate conversions (and so clicks on nodes) use the old frame.
    sigma.current?.refresh();
    // Past a few thousand edges a pan or zoom redraws nodes only, and edges and labels once it stops.
    sigma.current?.setSettings({ hideEdgesOnMove: display.size > 2000, hideLabelsOnMove: display.order > 1000 });
    setShown({
      nodes: display.mapNodes((n, a) => ({ id: n, label: String(a.label), kind: String(a.kind), color: String(a.color) })),
      edges: display.size,
    });
  }, [version, filters, selected, expanded, model, display, id]);

  useEffect(() => {
    if (!container.current) return;
    const s = new Sigma(display, container.current, { settings: { allowInvalidContainer: true, labelRenderedSizeThreshold: 6 } });
    s.on('clickNode', ({ node }) => {
      setSelected(node);
      void expand(node);
    });
    // The first frame with nodes: time to first render for bench:explorer, read from the Performance API.
    s.on('afterRender', () => {
      if (s.getGraph().order > 0 && performance.getEntriesByName('explorer:graph-drawn').length === 0)
        performance.mark('explorer:graph-drawn');
    });
    sigma.current = s;
    // For the browser tests and bench:explorer, which click and animate what sigma drew.
    (window as unknown as { __explorerSigma?: Sigma }).__explorerSigma = s;
    return () => {
      s.kill();
      sigma.current = null;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [display, model]);

  const sel = display.hasNode(selected)
    ? display.getNodeAttributes(selected)
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
