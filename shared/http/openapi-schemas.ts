import { isDeepStrictEqual } from 'node:util';
import type { ZodType } from 'zod';
import * as z from 'zod';

type Json = Record<string, unknown>;
type Io = 'input' | 'output';

const DEFS = '#/$defs/';
const COMPONENTS = '#/components/schemas/';

/** Calls `visit` on every object in a JSON tree. */
function walk(node: unknown, visit: (object: Json) => void): void {
  if (Array.isArray(node)) for (const item of node) walk(item, visit);
  else if (node && typeof node === 'object') {
    visit(node as Json);
    for (const value of Object.values(node)) walk(value, visit);
  }
}

function defRefs(node: unknown): string[] {
  const ids: string[] = [];
  walk(node, (o) => {
    if (typeof o.$ref === 'string' && o.$ref.startsWith(DEFS)) ids.push(o.$ref.slice(DEFS.length));
  });
  return ids;
}

/**
 * The named zod schemas (`.meta({ id })`) of a document, hoisted into `components/schemas` under their ids.
 * zod converts one schema at a time with `$defs` local to it, so refs are rewritten only when every schema is
 * known: an id may convert differently as input (defaults make fields optional) and as output, and then the
 * input variant is named `<id>Input`. Only schemas some operation reaches are emitted.
 */
export class SchemaComponents {
  private readonly defs: Record<Io, Map<string, Json>> = { input: new Map(), output: new Map() };
  private readonly roots: { node: Json; io: Io }[] = [];

  /**
   * JSON Schema of `schema`, named parts as refs. `unwrap` returns a named root's body instead of a ref to it
   * (parameters are listed property by property).
   */
  add(schema: ZodType, io: Io, unwrap = false): Json {
    const converted = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Json;
    const { $defs, $schema: _, ...root } = converted as Json & { $defs?: Record<string, Json> };
    for (const [id, def] of Object.entries($defs ?? {})) {
      if (id.startsWith('__schema')) throw new Error(`a recursive schema needs .meta({ id }) (${id})`);
      const known = this.defs[io].get(id);
      if (known && !isDeepStrictEqual(known, def)) throw new Error(`two different schemas are named ${id}`);
      this.defs[io].set(id, def);
    }
    const ref = typeof root.$ref === 'string' ? root.$ref.slice(DEFS.length) : undefined;
    const node = unwrap && ref ? structuredClone(this.defs[io].get(ref)!) : root;
    this.roots.push({ node, io });
    return node;
  }

  /** Rewrites every ref handed out by `add` and returns the `components/schemas` they point at. */
  components(): Json {
    const inputDiffers = new Map<string, boolean>();
    const differs = (id: string): boolean => {
      const cached = inputDiffers.get(id);
      if (cached !== undefined) return cached;
      inputDiffers.set(id, false); // a named recursive schema refers to itself; assume equal while comparing
      const input = this.defs.input.get(id);
      const output = this.defs.output.get(id);
      const result =
        output !== undefined && (!isDeepStrictEqual(input, output) || defRefs(input).some(differs));
      inputDiffers.set(id, result);
      return result;
    };
    const nameOf = (io: Io, id: string) => (io === 'input' && differs(id) ? `${id}Input` : id);
    const schemas: Json = {};
    const queue = [...this.roots];
    for (let next = queue.pop(); next; next = queue.pop()) {
      const { io } = next;
      walk(next.node, (o) => {
        if (typeof o.$ref !== 'string' || !o.$ref.startsWith(DEFS)) return;
        const id = o.$ref.slice(DEFS.length);
        const name = nameOf(io, id);
        o.$ref = COMPONENTS + name;
        if (name in schemas) return;
        const def = structuredClone(this.defs[io].get(id)!);
        schemas[name] = def;
        queue.push({ node: def, io });
      });
    }
    return Object.fromEntries(Object.entries(schemas).sort(([a], [b]) => a.localeCompare(b)));
  }
}
