/**
 * Checks that an interface document in docs/ says what the code's Candid says. The document's
 * ```candid blocks (types and method lines, interleaved with prose) are assembled into a service
 * and parsed by didc, Candid's reference implementation; then, for every method, sample values of
 * the code's argument and reply types make a round trip: encoded by agent-js with the code's
 * types, decoded by didc with the document's, re-encoded by didc, decoded again with the code's
 * types, and compared. A field, variant case or type the document lacks or gets wrong breaks the
 * trip (Candid's subtyping lets some differences through one direction, not both).
 */
import { decode as didcDecode, encode as didcEncode, getServiceMethods } from '@dfinity/didc';
import { IDL } from '@dfinity/candid';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils';
import { Principal } from '@dfinity/principal';
import { readFileSync } from 'node:fs';

export interface DocumentedMethod {
    readonly name: string;
    readonly args: string;
    readonly replies: string;
    readonly mode: 'update' | 'query' | 'composite_query';
}

export interface CandidDocument {
    /**
     * didc-parsable service: each method, plus `<method>__reply : (<replies>) -> ()` and
     * `<Type>__type : (<Type>) -> ()` so that replies and named types can be encoded and decoded.
     */
    readonly idl: string;
    readonly methods: readonly DocumentedMethod[];
}

/** Strips `//` comments (they may hold `;` and braces) and returns the ```candid blocks' text. */
function candidBlocks(markdown: string): string {
    const blocks = [...markdown.matchAll(/```candid\n([\s\S]*?)```/g)].map((m) => m[1]!);
    if (blocks.length === 0) throw new Error('no ```candid block in the document');
    return blocks.map((block) => block.replace(/\/\/[^\n]*/g, '')).join('\n');
}

/** Splits at `;` outside braces and parentheses. */
function statements(text: string): string[] {
    const out: string[] = [];
    let depth = 0;
    let start = 0;
    for (let i = 0; i < text.length; i++) {
        const c = text[i];
        if (c === '{' || c === '(') depth++;
        else if (c === '}' || c === ')') depth--;
        else if (c === ';' && depth === 0) {
            out.push(text.slice(start, i).replace(/\s+/g, ' ').trim());
            start = i + 1;
        }
    }
    const rest = text.slice(start).trim();
    if (rest !== '') throw new Error(`unterminated Candid statement: ${rest.slice(0, 80)}`);
    return out.filter((s) => s !== '');
}

/** `(A) -> (R) query` → its parts, splitting at the `->` outside parentheses. */
function splitFunc(name: string, signature: string): DocumentedMethod {
    let depth = 0;
    for (let i = 0; i < signature.length - 1; i++) {
        const c = signature[i];
        if (c === '(' || c === '{') depth++;
        else if (c === ')' || c === '}') depth--;
        else if (depth === 0 && c === '-' && signature[i + 1] === '>') {
            const args = signature.slice(0, i).trim();
            const after = signature.slice(i + 2).trim();
            const mode = /\)\s*composite_query$/.test(after) ? 'composite_query' : /\)\s*query$/.test(after) ? 'query' : 'update';
            const replies = after.replace(/\s*(composite_query|query|oneway)$/, '');
            return { name, args, replies, mode };
        }
    }
    throw new Error(`method ${name} has no "->": ${signature}`);
}

export function readCandidDocument(path: string): CandidDocument {
    const types: string[] = [];
    const methods: DocumentedMethod[] = [];
    for (const statement of statements(candidBlocks(readFileSync(path, 'utf8')))) {
        if (statement.startsWith('type ')) {
            types.push(statement);
            continue;
        }
        const match = /^([A-Za-z_][A-Za-z0-9_]*)\s*:\s*(\(.*)$/.exec(statement);
        if (!match) throw new Error(`not a type or method declaration: ${statement.slice(0, 80)}`);
        methods.push(splitFunc(match[1]!, match[2]!));
    }
    const lines = [
        ...methods.flatMap((m) => [`  ${m.name} : ${m.args} -> ${m.replies}${m.mode === 'update' ? '' : ` ${m.mode}`};`, `  ${m.name}__reply : ${m.replies} -> ();`]),
        ...types.map((t) => /^type ([A-Za-z_][A-Za-z0-9_]*)/.exec(t)![1]!).map((name) => `  ${name}__type : (${name}) -> ();`)
    ];
    const idl = `${types.map((t) => `${t};`).join('\n')}\nservice : {\n${lines.join('\n')}\n}`;
    getServiceMethods(idl); // throws with didc's message if the document is not valid Candid
    return { idl, methods };
}

/**
 * Sample values of a type: `pick` chooses the variant case, whether options are present and
 * how long vectors are, so a run of samples covers every case.
 */
interface Sample {
    readonly pick: number;
    readonly depth: number;
}

class SampleValue extends IDL.Visitor<Sample, unknown> {
    override visitEmpty(): unknown {
        throw new Error('no value has type empty');
    }
    override visitBool(_t: IDL.BoolClass, d: Sample): unknown {
        return d.pick % 2 === 0;
    }
    override visitNull(): unknown {
        return null;
    }
    override visitReserved(): unknown {
        return null;
    }
    override visitText(_t: IDL.TextClass, d: Sample): unknown {
        return `sample ${d.pick} é✓`;
    }
    override visitNat(_t: IDL.NatClass, d: Sample): unknown {
        return BigInt(d.pick) * 1_000_003n;
    }
    override visitInt(_t: IDL.IntClass, d: Sample): unknown {
        return -BigInt(d.pick) * 7n;
    }
    override visitFloat(_t: IDL.FloatClass, d: Sample): unknown {
        return d.pick + 0.5;
    }
    override visitFixedNat(t: IDL.FixedNatClass, d: Sample): unknown {
        const value = (d.pick * 37 + 1) % 2 ** Math.min(t._bits, 31);
        return t._bits > 32 ? BigInt(value) : value;
    }
    override visitFixedInt(t: IDL.FixedIntClass, d: Sample): unknown {
        const value = -((d.pick * 37 + 1) % 2 ** Math.min(t._bits - 1, 30));
        return t._bits > 32 ? BigInt(value) : value;
    }
    override visitPrincipal(_t: IDL.PrincipalClass, d: Sample): unknown {
        return Principal.fromUint8Array(Uint8Array.of(d.pick % 256, 1, 1));
    }
    override visitVec<T>(_t: IDL.VecClass<T>, ty: IDL.Type<T>, d: Sample): unknown {
        const length = d.depth > 4 ? 0 : d.pick % 3;
        if (ty instanceof IDL.FixedNatClass && ty._bits === 8) return Uint8Array.from({ length: length * 5 }, (_, i) => (i * 31 + d.pick) % 256);
        return Array.from({ length }, (_, i) => ty.accept(this, { pick: d.pick + i, depth: d.depth + 1 }));
    }
    override visitOpt<T>(_t: IDL.OptClass<T>, ty: IDL.Type<T>, d: Sample): unknown {
        return d.depth > 4 || d.pick % 2 === 1 ? [] : [ty.accept(this, { pick: d.pick, depth: d.depth + 1 })];
    }
    override visitRecord(_t: IDL.RecordClass, fields: Array<[string, IDL.Type]>, d: Sample): unknown {
        return Object.fromEntries(fields.map(([name, ty], i) => [name, ty.accept(this, { pick: d.pick + i, depth: d.depth + 1 })]));
    }
    override visitTuple<T extends unknown[]>(_t: IDL.TupleClass<T>, components: IDL.Type[], d: Sample): unknown {
        return components.map((ty, i) => ty.accept(this, { pick: d.pick + i, depth: d.depth + 1 }));
    }
    override visitVariant(_t: IDL.VariantClass, fields: Array<[string, IDL.Type]>, d: Sample): unknown {
        const [name, ty] = fields[d.pick % fields.length]!;
        return { [name]: ty.accept(this, { pick: d.pick, depth: d.depth + 1 }) };
    }
    override visitRec<T>(_t: IDL.RecClass<T>, ty: IDL.ConstructType<T>, d: Sample): unknown {
        return ty.accept(this, d);
    }
    override visitFunc(_t: IDL.FuncClass, d: Sample): unknown {
        return [Principal.fromUint8Array(Uint8Array.of(d.pick % 256, 2)), `callback_${d.pick % 3}`];
    }
    override visitService(_t: IDL.ServiceClass, d: Sample): unknown {
        return Principal.fromUint8Array(Uint8Array.of(d.pick % 256, 3));
    }
}

/** The largest number of cases among the types' variants: enough samples to visit each case. */
function samplesNeeded(types: readonly IDL.Type[]): number {
    let most = 2;
    const seen = new Set<IDL.Type>();
    const walk = (t: IDL.Type): void => {
        if (seen.has(t)) return;
        seen.add(t);
        if (t instanceof IDL.VariantClass) most = Math.max(most, t._fields.length);
        if (t instanceof IDL.RecordClass || t instanceof IDL.VariantClass) t._fields.forEach(([, f]) => walk(f));
        if (t instanceof IDL.VecClass || t instanceof IDL.OptClass) walk(t._type);
        if (t instanceof IDL.RecClass) {
            const inner = t.getType();
            if (inner) walk(inner);
        }
    };
    types.forEach(walk);
    return most * 2;
}

/** A value in a form `toEqual` compares reliably (principals as text, blobs and other typed arrays as arrays). */
function comparable(value: unknown): unknown {
    if (value instanceof Principal) return `principal ${value.toText()}`;
    if (ArrayBuffer.isView(value) && !(value instanceof DataView)) return Array.from(value as unknown as ArrayLike<number | bigint>);
    if (Array.isArray(value)) return value.map(comparable);
    if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, comparable(v)]));
    return value;
}

/** Round-trips samples of `types` through the document's parameter types of `target`. */
function roundTrip(document: CandidDocument, target: string, types: readonly IDL.Type[]): string[] {
    const failures: string[] = [];
    const sampler = new SampleValue();
    for (let pick = 0; pick < samplesNeeded(types); pick++) {
        const values = types.map((t, i) => t.accept(sampler, { pick: pick + i, depth: 0 }));
        const fail = (problem: string) => failures.push(`(sample ${pick}): ${problem}`);
        let text: string;
        try {
            text = didcDecode({ idl: document.idl, input: bytesToHex(new Uint8Array(IDL.encode([...types], values))), serviceMethod: target, useServiceMethodReturnType: false });
        } catch (error) {
            fail(`the document's type cannot decode the code's value: ${String(error)}`);
            continue;
        }
        let back: unknown[];
        try {
            const reencoded = didcEncode({ idl: document.idl, input: text, withType: { kind: 'methodParams', name: target } });
            back = IDL.decode([...types], hexToBytes(reencoded));
        } catch (error) {
            fail(`the document's value ${text.slice(0, 200)} does not decode as the code's type: ${String(error)}`);
            continue;
        }
        if (canonical(back) !== canonical(values)) fail(`the value changed on the way through the document's types: ${text.slice(0, 300)}`);
    }
    return failures;
}

const canonical = (values: unknown): string => JSON.stringify(comparable(values), (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v));

/** A named type of the document against the code's (e.g. a canister's init argument). */
export function compareTypeWithDocument(document: CandidDocument, typeName: string, type: IDL.Type): string[] {
    if (!document.idl.includes(`  ${typeName}__type : `)) return [`type ${typeName}: not in the document`];
    return roundTrip(document, `${typeName}__type`, [type]).map((failure) => `type ${typeName} ${failure}`);
}

/** Every method of `service` against the document: presence, query mode, arguments and replies. */
export function compareWithDocument(document: CandidDocument, service: IDL.ServiceClass): string[] {
    const problems: string[] = [];
    const documented = new Map(document.methods.map((m) => [m.name, m]));
    for (const [name, func] of service._fields) {
        const entry = documented.get(name);
        if (!entry) {
            problems.push(`${name}: in the code, not in the document`);
            continue;
        }
        const mode = func.annotations.includes('composite_query') ? 'composite_query' : func.annotations.includes('query') ? 'query' : 'update';
        if (mode !== entry.mode) problems.push(`${name}: the code says ${mode}, the document ${entry.mode}`);
        problems.push(...roundTrip(document, name, func.argTypes).map((failure) => `${name} arguments ${failure}`));
        problems.push(...roundTrip(document, `${name}__reply`, func.retTypes).map((failure) => `${name} replies ${failure}`));
    }
    for (const name of documented.keys()) {
        if (!service._fields.some(([n]) => n === name)) problems.push(`${name}: in the document, not in the code`);
    }
    return problems;
}
