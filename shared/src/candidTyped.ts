/**
 * Candid types that carry their JavaScript value type. @dfinity/candid's `IDL.Record` and
 * `IDL.Variant` are typed as `Record<string, any>`, and `IDL.Nat32` as `bigint | number`, so a
 * canister's method signatures used to retype by hand what its Candid declared. Built through
 * these helpers, the value type is derived from the one definition: `CandidValue<typeof T.X>`.
 * At run time they are the IDL constructors themselves (the caller's IDL: canister, agent or PicJS).
 */
import type { IDL as DefaultIdl } from '@dfinity/candid';

type Idl = typeof DefaultIdl;
type AnyType = DefaultIdl.Type<any>;
type Fields = Record<string, AnyType>;

/** The JavaScript value of a Candid type: what IDL.decode returns and IDL.encode takes. */
export type CandidValue<T> = T extends DefaultIdl.Type<infer V> ? V : never;

export type RecordValue<F extends Fields> = { -readonly [K in keyof F]: CandidValue<F[K]> };
export type VariantValueOf<F extends Fields> = { [K in keyof F]: { [P in K]: CandidValue<F[K]> } }[keyof F];

/** Typed constructors over the caller's IDL. */
export function candidTyped(IDL: Idl) {
    return {
        record: <F extends Fields>(fields: F) => IDL.Record(fields) as unknown as DefaultIdl.Type<RecordValue<F>>,
        variant: <F extends Fields>(fields: F) => IDL.Variant(fields) as unknown as DefaultIdl.Type<VariantValueOf<F>>,
        /** Not for fixed-width numbers: @dfinity/candid decodes those vectors as typed arrays. */
        vec: <V>(type: DefaultIdl.Type<V> & (V extends number | bigint ? never : unknown)) => IDL.Vec(type) as unknown as DefaultIdl.Type<V[]>,
        opt: <V>(type: DefaultIdl.Type<V>) => IDL.Opt(type) as unknown as DefaultIdl.Type<[] | [V]>,
        /** nat8/16/32 decode as numbers, nat64 as bigints (the IDL types say `bigint | number`). */
        nat32: IDL.Nat32 as unknown as DefaultIdl.Type<number>,
        nat64: IDL.Nat64 as unknown as DefaultIdl.Type<bigint>,
        nat: IDL.Nat as DefaultIdl.Type<bigint>,
        /** `blob` decodes as a Uint8Array. */
        blob: IDL.Vec(IDL.Nat8) as unknown as DefaultIdl.Type<Uint8Array>,
        text: IDL.Text as DefaultIdl.Type<string>,
        bool: IDL.Bool as DefaultIdl.Type<boolean>,
        null: IDL.Null as DefaultIdl.Type<null>,
        principal: IDL.Principal
    };
}
