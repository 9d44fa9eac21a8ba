/**
 * Instance time as the replica prints it in error messages (chrono's UTC display):
 * `2024-08-13 22:49:30.148075776 UTC`, with the fraction cut to 3, 6 or 9 digits or left out.
 */
const NANOS_PER_SECOND = 1_000_000_000n;

export function formatIcTime(nanos: bigint): string {
    const seconds = nanos / NANOS_PER_SECOND;
    const fraction = nanos % NANOS_PER_SECOND;
    const date = new Date(Number(seconds) * 1000).toISOString(); // yyyy-mm-ddThh:mm:ss.000Z
    const base = `${date.slice(0, 10)} ${date.slice(11, 19)}`;
    return `${base}${fractionDigits(fraction)} UTC`;
}

function fractionDigits(fraction: bigint): string {
    if (fraction === 0n) return '';
    const nine = fraction.toString().padStart(9, '0');
    if (fraction % 1_000_000n === 0n) return `.${nine.slice(0, 3)}`;
    if (fraction % 1_000n === 0n) return `.${nine.slice(0, 6)}`;
    return `.${nine}`;
}
