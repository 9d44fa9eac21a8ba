/**
 * The network this bundle was built for, fixed at build time (next.config.ts checks it). A `local`
 * build carries the dev sign-in; an `ic` build does not contain it at all.
 */
export type NetworkKind = 'local' | 'ic';

export const BUILD_NETWORK: NetworkKind = process.env.NEXT_PUBLIC_IC_NETWORK === 'local' ? 'local' : 'ic';
