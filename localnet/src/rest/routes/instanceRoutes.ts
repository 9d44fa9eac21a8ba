/**
 * Per-instance endpoints under /instances/:id (state_api/routes.rs in dfinity/ic). Bodies are
 * decoded before an operation is queued, so malformed requests fail fast; the operation itself
 * runs on the instance's queue (see InstanceSlot.run).
 */
import type { Principal } from '@icp-sdk/core/principal';
import type { CallOutcome, CanisterCall, LocalIc, SubmitResult } from '../../core/localIc';
import {
    canisterNotFoundOutcome,
    decodeCanisterCall,
    decodeIngressStatusArgs,
    decodeMessageRef,
    encodeCallOutcome,
    encodeSubmitted
} from '../codec/callCodec';
import {
    decodeAddCycles,
    decodeAutoProgressConfig,
    decodeCanisterId,
    decodeSetStableMemory,
    decodeSubnetId,
    decodeTime,
    encodeBytesAsArray,
    encodeControllers,
    encodeCycles,
    encodeOptionalSubnetId,
    encodeStableMemory,
    encodeTime
} from '../codec/stateCodec';
import { encodeTopology } from '../codec/topologyCodec';
import type { JsonValue } from '../json';
import { isLocalIcError, RestError } from '../errors';
import type { RestRequest, RestResponse } from '../http';
import { jsonResponse } from '../http';
import type { InstanceSlot } from '../instanceRegistry';
import type { Handler, RestRouter, ServerContext } from './context';

const HTTP_OUTCALLS_NOT_EMULATED =
    'HTTP outcalls are not emulated by localnet: there are never pending canister HTTP outcalls to mock';

/**
 * Calls to a missing canister are a 200 `{"Err": ...}` reject in PocketIC, not an API error;
 * translate the core's CanisterNotFound accordingly.
 */
async function asCallOutcome(canisterId: Principal, certified: boolean, call: () => Promise<CallOutcome>): Promise<CallOutcome> {
    try {
        return await call();
    } catch (error) {
        if (isLocalIcError(error, 'CanisterNotFound')) return canisterNotFoundOutcome(canisterId, certified);
        throw error;
    }
}

/** Submits an ingress message; a refused message becomes PocketIC's 200 `{"Err": ...}`. */
async function submit(ic: LocalIc, call: CanisterCall): Promise<SubmitResult> {
    try {
        return await ic.submit(call);
    } catch (error) {
        if (isLocalIcError(error, 'CanisterNotFound')) return { kind: 'rejected', outcome: canisterNotFoundOutcome(call.canisterId, false) };
        throw error;
    }
}

function encodeSubmitResult(result: SubmitResult): JsonValue {
    return result.kind === 'accepted' ? encodeSubmitted(result) : encodeCallOutcome(result.outcome);
}

export function addInstanceRoutes(router: RestRouter, context: ServerContext): void {
    const slotOf = (request: RestRequest): InstanceSlot => context.instances.get(request.numericParam('id'));

    /** An endpoint whose work runs on the instance queue; `prepare` decodes the request first. */
    const queued =
        <T>(prepare: (request: RestRequest) => T, operation: (ic: LocalIc, input: T) => Promise<JsonValue>): Handler =>
        async (request) => {
            const slot = slotOf(request);
            const input = prepare(request);
            return jsonResponse(await slot.run((ic) => operation(ic, input)));
        };

    /** An endpoint that only reads immutable instance data or progress flags (not queued, as in PocketIC). */
    const direct =
        (operation: (ic: LocalIc, request: RestRequest) => Promise<RestResponse>): Handler =>
        async (request) =>
            operation(slotOf(request).ic, request);

    const topology = direct(async (ic) => jsonResponse(encodeTopology(ic.topology())));
    const base = '/instances/:id';

    router
        .add('GET', `${base}/_/topology`, topology)
        .add('GET', `${base}/read/topology`, topology)
        .add(
            'POST',
            `${base}/read/query`,
            queued(
                (request) => decodeCanisterCall(request.json()),
                async (ic, call) => encodeCallOutcome(await asCallOutcome(call.canisterId, false, () => ic.query(call)))
            )
        )
        .add('GET', `${base}/read/get_time`, queued(() => undefined, async (ic) => encodeTime(await ic.time())))
        .add(
            'POST',
            `${base}/read/get_cycles`,
            queued((request) => decodeCanisterId(request.json()), async (ic, id) => encodeCycles(await ic.cyclesOf(id)))
        )
        .add(
            'POST',
            `${base}/read/get_stable_memory`,
            queued((request) => decodeCanisterId(request.json()), async (ic, id) => encodeStableMemory(await ic.stableMemoryOf(id)))
        )
        .add(
            'POST',
            `${base}/read/get_subnet`,
            queued((request) => decodeCanisterId(request.json()), async (ic, id) => encodeOptionalSubnetId(ic.subnetOf(id)))
        )
        .add(
            'POST',
            `${base}/read/get_controllers`,
            queued((request) => decodeCanisterId(request.json()), async (ic, id) => encodeControllers(await ic.controllersOf(id)))
        )
        .add(
            'POST',
            `${base}/read/pub_key`,
            direct(async (ic, request) => {
                const subnetId = decodeSubnetId(request.json());
                const subnet = ic.topology().subnets.find((candidate) => candidate.id.toText() === subnetId.toText());
                if (!subnet) throw new RestError(400, `SubnetNotFound(${subnetId.toText()})`);
                return jsonResponse(encodeBytesAsArray(subnet.publicKey));
            })
        )
        .add(
            'POST',
            `${base}/read/ingress_status`,
            queued(
                (request) => decodeIngressStatusArgs(request.json()),
                async (ic, { message, caller }) => {
                    try {
                        const outcome = await ic.ingressStatus(message.messageId, caller);
                        // `null` = not (yet) known, PocketIC's `Option::None`.
                        return outcome === undefined ? null : encodeCallOutcome(outcome);
                    } catch (error) {
                        if (isLocalIcError(error, 'MessageNotFound')) return null;
                        throw error;
                    }
                }
            )
        )
        .add(
            'POST',
            `${base}/update/submit_ingress_message`,
            queued((request) => decodeCanisterCall(request.json()), async (ic, call) => encodeSubmitResult(await submit(ic, call)))
        )
        .add(
            'POST',
            `${base}/update/await_ingress_message`,
            queued(
                (request) => decodeMessageRef(request.json(), 'body'),
                async (ic, message) => encodeCallOutcome(await ic.awaitIngress(message.messageId))
            )
        )
        // Submit + await in one operation (the older PocketIC client API).
        .add(
            'POST',
            `${base}/update/execute_ingress_message`,
            queued(
                (request) => decodeCanisterCall(request.json()),
                async (ic, call) => {
                    const submitted = await submit(ic, call);
                    return encodeCallOutcome(submitted.kind === 'accepted' ? await ic.awaitIngress(submitted.messageId) : submitted.outcome);
                }
            )
        )
        .add(
            'POST',
            `${base}/update/set_time`,
            queued((request) => decodeTime(request.json()), async (ic, nanos) => (await ic.setTime(nanos), null))
        )
        .add(
            'POST',
            `${base}/update/set_certified_time`,
            queued((request) => decodeTime(request.json()), async (ic, nanos) => (await ic.setCertifiedTime(nanos), null))
        )
        .add(
            'POST',
            `${base}/update/add_cycles`,
            queued(
                (request) => decodeAddCycles(request.json()),
                async (ic, { canisterId, amount }) => encodeCycles(await ic.addCycles(canisterId, amount))
            )
        )
        .add(
            'POST',
            `${base}/update/set_stable_memory`,
            queued(
                (request) => {
                    const { canisterId, blobId } = decodeSetStableMemory(request.json());
                    return { canisterId, bytes: context.blobs.contents(blobId) };
                },
                async (ic, { canisterId, bytes }) => (await ic.setStableMemory(canisterId, bytes), null)
            )
        )
        .add(
            'POST',
            `${base}/update/tick`,
            // PicJS sends `{}`, the Rust client `RawTickConfigs`; blockmaker configs do not apply here.
            queued((request) => request.optionalJson(), async (ic) => (await ic.tick(), null))
        )
        .add('GET', `${base}/read/get_canister_http`, direct(async () => jsonResponse([])))
        .add(
            'POST',
            `${base}/update/mock_canister_http`,
            direct(async () => {
                throw new RestError(400, HTTP_OUTCALLS_NOT_EMULATED);
            })
        )
        .add('GET', `${base}/auto_progress`, direct(async (ic) => jsonResponse(ic.isAutoProgressing())))
        .add(
            'POST',
            `${base}/auto_progress`,
            direct(async (ic, request) => {
                const config = decodeAutoProgressConfig(request.json());
                if (ic.isAutoProgressing()) throw new RestError(400, 'Auto progress mode has already been enabled.');
                await ic.autoProgress(config);
                return jsonResponse(null);
            })
        )
        .add(
            'POST',
            `${base}/stop_progress`,
            direct(async (ic) => {
                await ic.stopProgress();
                return jsonResponse(null);
            })
        );
}
