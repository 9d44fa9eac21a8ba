/**
 * `InstanceConfig` (body of POST /instances) → the core's LocalIcConfig. Options localnet cannot
 * honour are rejected with a clear message rather than ignored, so a test never silently runs
 * against a different IC than it asked for; purely cosmetic options are accepted and ignored.
 */
import type { LocalIcConfig, SubnetKind } from '../../core/localIc';
import { RestError } from '../errors';
import type { JsonObject, JsonValue } from '../json';
import { asArray, asObject, asSafeUnsigned, asString, asUnsigned, asVariant, optional, required, unknownVariant } from './reader';

export interface DecodedInstanceConfig {
    readonly config: LocalIcConfig;
    /** Set when `initial_time` is `AutoProgress`: the instance starts live. */
    readonly autoProgress?: { readonly artificialDelayMs?: number };
}

function unsupported(message: string): RestError {
    return new RestError(400, `${message} (not supported by localnet)`, 'tagged');
}

/** Validates one `SubnetSpec`; localnet only creates fresh subnets with the normal cost schedule. */
function checkSubnetSpec(value: JsonValue | undefined, path: string): void {
    const spec = asObject(value, path);
    const state = optional(spec, 'state_config');
    if (state !== undefined) {
        const { tag } = asVariant(state, `${path}.state_config`);
        if (tag === 'FromPath' || tag === 'FromBlobStore') throw unsupported(`${path}.state_config ${tag}: loading subnet state`);
        if (tag !== 'New') throw unknownVariant(`${path}.state_config`, tag, ['New', 'FromPath', 'FromBlobStore']);
    }
    const costSchedule = optional(spec, 'cost_schedule');
    if (costSchedule !== undefined && asString(costSchedule, `${path}.cost_schedule`) !== 'Normal') {
        throw unsupported(`${path}.cost_schedule ${String(costSchedule)}: only the Normal cost schedule is emulated`);
    }
    // instruction_config (Benchmarking) and dts_flag only tune limits/scheduling; accepted as is.
}

const namedSubnets: readonly (readonly [string, SubnetKind])[] = [
    ['nns', 'NNS'],
    ['sns', 'SNS'],
    ['ii', 'II'],
    ['fiduciary', 'Fiduciary'],
    ['bitcoin', 'Bitcoin']
];

function decodeSubnets(value: JsonValue | undefined): { kind: SubnetKind }[] {
    const set = asObject(value, 'body.subnet_config_set');
    const subnets: { kind: SubnetKind }[] = [];
    // Same order as PocketIC's ExtendedSubnetConfigSet::get_named, then system and application.
    for (const [key, kind] of namedSubnets) {
        const spec = optional(set, key);
        if (spec === undefined) continue;
        checkSubnetSpec(spec, `body.subnet_config_set.${key}`);
        subnets.push({ kind });
    }
    const listed = (key: string): JsonValue[] => {
        const list = optional(set, key);
        return list === undefined ? [] : asArray(list, `body.subnet_config_set.${key}`);
    };
    for (const key of ['verified_application', 'cloud_engine']) {
        if (listed(key).length > 0) throw unsupported(`body.subnet_config_set.${key}: ${key} subnets`);
    }
    for (const [key, kind] of [['system', 'System'], ['application', 'Application']] as const) {
        listed(key).forEach((spec, index) => {
            checkSubnetSpec(spec, `body.subnet_config_set.${key}[${index}]`);
            subnets.push({ kind });
        });
    }
    if (subnets.length === 0) throw new RestError(400, 'Bad config', 'tagged');
    return subnets;
}

function checkIcpFeatures(value: JsonValue | undefined): void {
    if (value === undefined) return;
    const features = asObject(value, 'body.icp_features');
    const enabled = Object.keys(features).filter((name) => optional(features, name) !== undefined);
    if (enabled.length > 0) {
        throw unsupported(`body.icp_features ${enabled.join(', ')}: system canisters are not bundled`);
    }
}

function decodeInitialTime(value: JsonValue | undefined): Pick<DecodedInstanceConfig, 'autoProgress'> & { initialTimeNanos?: bigint } {
    if (value === undefined) return {};
    const { tag, payload } = asVariant(value, 'body.initial_time');
    switch (tag) {
        case 'Timestamp': {
            const raw = asObject(payload, 'body.initial_time.Timestamp');
            const nanos = asUnsigned(required(raw, 'nanos_since_epoch', 'body.initial_time.Timestamp'), 'body.initial_time.Timestamp.nanos_since_epoch', 64);
            return { initialTimeNanos: nanos };
        }
        case 'AutoProgress': {
            const raw = payload === undefined || payload === null ? {} : asObject(payload, 'body.initial_time.AutoProgress');
            const delay = optional(raw, 'artificial_delay_ms');
            return {
                autoProgress:
                    delay === undefined ? {} : { artificialDelayMs: asSafeUnsigned(delay, 'body.initial_time.AutoProgress.artificial_delay_ms') }
            };
        }
        default:
            throw unknownVariant('body.initial_time', tag, ['Timestamp', 'AutoProgress']);
    }
}

export function decodeInstanceConfig(body: JsonValue): DecodedInstanceConfig {
    const object: JsonObject = asObject(body, 'body');
    const subnets = decodeSubnets(required(object, 'subnet_config_set', 'body'));
    checkIcpFeatures(optional(object, 'icp_features'));
    if (optional(object, 'state_dir') !== undefined) throw unsupported('body.state_dir: persistent instance state');
    if (optional(object, 'http_gateway_config') !== undefined) {
        throw unsupported('body.http_gateway_config: the HTTP gateway');
    }
    // icp_config flags, log_level, bitcoind/dogecoind addresses, incomplete_state and
    // disable_ingress_validation do not change what localnet executes; they are accepted and ignored.
    const { initialTimeNanos, autoProgress } = decodeInitialTime(optional(object, 'initial_time'));
    const config: LocalIcConfig = initialTimeNanos === undefined ? { subnets } : { subnets, initialTimeNanos };
    return autoProgress === undefined ? { config } : { config, autoProgress };
}
