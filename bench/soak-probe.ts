/**
 * Loaded into the soak's server with `node --require` (bench:soak does this): every few seconds it
 * appends one JSON line to SOAK_PROBE_FILE with where the process's memory is: V8 heap (used and
 * committed), external and ArrayBuffer memory, and the size of each WebAssembly memory (PGlite's
 * Postgres heap among them: a WebAssembly memory grows and never shrinks). Measures only; changes
 * nothing the server does.
 */
import fs from 'node:fs';

const file = process.env.SOAK_PROBE_FILE;
// The build has no DOM library, so WebAssembly is reached untyped.
type WasmMemory = { buffer: ArrayBuffer };
const wasm = (globalThis as unknown as { WebAssembly: Record<string, any> }).WebAssembly;

if (file) {
  const memories: WasmMemory[] = [];
  const Memory = wasm.Memory as new (descriptor: unknown) => WasmMemory;
  const keep = (exports: Record<string, unknown> | undefined) => {
    for (const value of Object.values(exports ?? {})) if (value instanceof Memory) memories.push(value as WasmMemory);
  };
  const instantiate = wasm.instantiate.bind(wasm) as (...args: unknown[]) => Promise<any>;
  wasm.instantiate = async (...args: unknown[]) => {
    const made = await instantiate(...args);
    keep('instance' in made ? made.instance.exports : made.exports);
    return made;
  };
  wasm.Memory = class extends Memory {
    constructor(descriptor: unknown) {
      super(descriptor);
      memories.push(this);
    }
  };
  const mib = (n: number) => Math.round(n / 1048576);
  // What of the WebAssembly memories is resident (the pages Postgres touched: shared buffers filling
  // up among them, which buffer.byteLength does not show), found as the mappings of their exact size,
  // and what of the C heap (malloc: the ONNX runtime, V8's off-heap buffers) is.
  const resident = (): { wasm: number; malloc: number } => {
    const sizes = new Set([...new Set(memories)].map((w) => w.buffer.byteLength).filter((n) => n >= 64 * 1024 ** 2));
    const out = { wasm: 0, malloc: 0 };
    let kind: 'wasm' | 'malloc' | null = null;
    for (const line of fs.readFileSync('/proc/self/smaps', 'utf8').split('\n')) {
      const range = /^([0-9a-f]+)-([0-9a-f]+) \S+ \S+ \S+ \S+\s*(.*)$/.exec(line);
      if (range) {
        const size = Number.parseInt(range[2], 16) - Number.parseInt(range[1], 16);
        kind = range[3] === '[heap]' ? 'malloc' : sizes.has(size) ? 'wasm' : null;
      } else if (kind && line.startsWith('Rss:')) out[kind] += Number(/(\d+)/.exec(line)![1]) * 1024;
    }
    return out;
  };
  // With SOAK_PROBE_GC (and node --expose-gc) a full collection runs first, so heapUsed is what is
  // retained, not what awaits collection.
  const gc = process.env.SOAK_PROBE_GC ? (globalThis as { gc?: () => void }).gc : undefined;
  const sample = () => {
    gc?.();
    const m = process.memoryUsage();
    const line = {
      t: Date.now(),
      rss: mib(m.rss),
      heapUsed: mib(m.heapUsed),
      heapTotal: mib(m.heapTotal),
      external: mib(m.external),
      arrayBuffers: mib(m.arrayBuffers),
      wasm: [...new Set(memories)].map((w) => mib(w.buffer.byteLength)),
      wasmResident: mib(resident().wasm),
      mallocResident: mib(resident().malloc),
    };
    fs.appendFileSync(file, `${JSON.stringify(line)}\n`);
  };
  setInterval(sample, Number(process.env.SOAK_PROBE_MS ?? 10_000)).unref();
}
