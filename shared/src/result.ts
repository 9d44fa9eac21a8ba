/**
 * The one result shape of the project's domain code: `{ Ok }` or `{ Err }`, the same shape the
 * canisters' Candid results take, so a domain result crosses the canister boundary unchanged.
 * Errors are typed variants wherever a caller can act on the difference.
 */
export type Result<T, E> = { readonly Ok: T } | { readonly Err: E };

export const ok = <T>(value: T): { readonly Ok: T } => ({ Ok: value });
export const err = <E>(error: E): { readonly Err: E } => ({ Err: error });

export function isOk<T, E>(result: Result<T, E>): result is { readonly Ok: T } {
    return 'Ok' in result;
}
